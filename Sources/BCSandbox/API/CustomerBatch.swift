import Foundation
import SQLiteDB

/// Applies one create or update batch inside a transaction: checks what needs the database, then writes.
struct CustomerBatch: Sendable {
    typealias ItemError = (index: Int, field: String, message: String)

    /// Customers written, and the problems that kept items (or, all-or-nothing, the batch) from being written.
    struct Outcome: Sendable {
        var customers: [CustomerRow] = []
        var errors: [ItemError] = []
    }

    let context: StoreContext
    let inputs: [CustomerInput]
    let operation: CustomerInput.Operation

    func apply(in database: Database) throws -> Outcome {
        var outcome = Outcome()
        var rows: [(index: Int, row: CustomerRow)] = []
        var batchEmails: [String: Int] = [:]
        var batchIDs: Set<Int> = []
        for (index, input) in inputs.enumerated() {
            var errors = input.errorsWithIndex(index)
            let row = try prepare(input, index: index, database: database, errors: &errors)
            if let id = input.id, operation == .update, !batchIDs.insert(id).inserted {
                errors.append((index, "id", "customer id \(id) appears more than once in the batch"))
            }
            if let email = input.email {
                let key = context.store.emailKey(email)
                if let first = batchEmails[key] {
                    errors.append((index, "email", "email \"\(email)\" duplicates item \(first) of the same batch"))
                } else {
                    batchEmails[key] = index
                }
            }
            if errors.isEmpty, let row { rows.append((index, row)) } else { outcome.errors += errors }
        }
        guard outcome.errors.isEmpty || context.configuration.appliesPartialBatches else { return outcome }
        for (_, row) in rows { outcome.customers.append(try write(row, in: database)) }
        return outcome
    }

    /// Builds the row to write, or records why it cannot be written.
    private func prepare(_ input: CustomerInput, index: Int, database: Database, errors: inout [ItemError]) throws
        -> CustomerRow?
    {
        guard input.errors.isEmpty else { return nil }
        let now = context.nowSeconds
        var row: CustomerRow
        switch operation {
        case .create:
            row = CustomerRow(email: "", firstName: "", lastName: "")
            row.customerGroupID = context.configuration.defaultCustomerGroupID
            row.dateCreated = now
            row.triggerAccountCreatedNotification =
                input.triggersWelcomeEmail ?? context.configuration.welcomeEmailByDefault
        case .update:
            guard let id = input.id, let existing = try CustomerTable.find(id: id, in: database) else {
                errors.append((index, "id", "customer id \(input.id ?? 0) does not exist"))
                return nil
            }
            row = existing
            if input.customerGroupID == nil, context.faults.isEnabled(.putWithoutGroupResets) {
                row.customerGroupID = 0
            }
        }
        input.apply(to: &row)
        row.dateModified = now
        try checkGroup(row.customerGroupID, input: input, index: index, database: database, errors: &errors)
        if let email = input.email {
            let owners = try CustomerTable.ids(
                emailKey: context.store.emailKey(email),
                column: context.store.emailColumn,
                in: database
            )
            if owners.contains(where: { $0 != row.id || operation == .create }) {
                errors.append((index, "email", "email \"\(email)\" is already in use by another customer"))
            }
        }
        return row
    }

    private func checkGroup(_ id: Int, input: CustomerInput, index: Int, database: Database, errors: inout [ItemError])
        throws
    {
        guard input.customerGroupID != nil, id > 0, try GroupTable.find(id: id, in: database) == nil else { return }
        errors.append((index, "customer_group_id", "customer group \(id) does not exist"))
    }

    private func write(_ row: CustomerRow, in database: Database) throws -> CustomerRow {
        switch operation {
        case .create:
            var created = row
            created.id = try CustomerTable.insert(row, into: database)
            return created
        case .update:
            try CustomerTable.update(row, in: database)
            return row
        }
    }
}

extension CustomerInput {
    /// This item's validation errors, tagged with its index in the batch.
    func errorsWithIndex(_ index: Int) -> [CustomerBatch.ItemError] {
        errors.map { (index, $0.field, $0.message) }
    }
}
