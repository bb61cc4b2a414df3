import Foundation
import SQLiteDB

/// Creates and edits groups, customers and orders the way a shopper or a store admin would.
struct AdminSeeding {
    let context: StoreContext

    func createGroup(_ object: [String: Any]) throws -> HTTPResponse {
        guard let name = object["name"] as? String, !name.isEmpty else {
            return AdminAPI.error(400, "a group needs a name")
        }
        let id = object["id"] as? Int
        if let id, id <= 0 { return AdminAPI.error(400, "group id must be positive (0 means no group)") }
        let now = context.nowSeconds
        let group = try context.store.write { database -> GroupRow? in
            if let id, try GroupTable.find(id: id, in: database) != nil { return nil }
            return try GroupTable.insert(name: name, id: id, now: now, into: database)
        }
        guard let group else { return AdminAPI.error(409, "group \(id ?? 0) already exists") }
        return .json(200, group.apiJSON)
    }

    func createCustomers(_ body: Any) throws -> HTTPResponse {
        guard let items = body as? [[String: Any]] else {
            return AdminAPI.error(400, "the body must be an array of objects")
        }
        let now = context.nowSeconds
        let store = context.store
        let rows = try items.map { item throws(ResponseError) in try Self.customer(from: item, now: now) }
        // A refusal is thrown, not returned, so that the transaction rolls back the customers inserted before it.
        let created = try store.write { database -> [CustomerRow] in
            var created: [CustomerRow] = []
            for var row in rows {
                if try !CustomerTable.ids(emailKey: store.emailKey(row.email), column: store.emailColumn, in: database)
                    .isEmpty
                {
                    throw ResponseError(AdminAPI.error(409, "email \"\(row.email)\" is already in use"))
                }
                row.id = try CustomerTable.insert(row, into: database)
                created.append(row)
            }
            return created
        }
        return .json(200, created.map(\.dumpJSON))
    }

    func updateCustomer(id: Int, _ object: [String: Any]) throws -> HTTPResponse {
        let now = context.nowSeconds
        let store = context.store
        let result = try store.write { database -> Result<CustomerRow, ResponseError> in
            guard var row = try CustomerTable.find(id: id, in: database) else {
                return .failure(ResponseError(AdminAPI.error(404, "no customer \(id)")))
            }
            do throws(ResponseError) {
                try Self.apply(object, to: &row, now: now)
            } catch {
                return .failure(error)
            }
            let owners = try CustomerTable.ids(
                emailKey: store.emailKey(row.email),
                column: store.emailColumn,
                in: database
            )
            if owners.contains(where: { $0 != id }) {
                return .failure(ResponseError(AdminAPI.error(409, "email \"\(row.email)\" is already in use")))
            }
            try CustomerTable.update(row, in: database)
            return .success(row)
        }
        return .json(200, try result.get().dumpJSON)
    }

    func deleteCustomer(id: Int) throws -> HTTPResponse {
        let deleted = try context.store.write { database -> Bool in
            try CustomerTable.delete(ids: [id], in: database)
            return database.changes > 0
        }
        return deleted ? .json(200, ["ok": true]) : AdminAPI.error(404, "no customer \(id)")
    }

    func createOrder(_ object: [String: Any]) throws -> HTTPResponse {
        guard let customerID = object["customer_id"] as? Int, let total = OrderRow.parseMoney(object["total_inc_tax"])
        else { return AdminAPI.error(400, "an order needs customer_id (0 = guest) and total_inc_tax") }
        let statusID = object["status_id"] as? Int ?? 11
        guard (0..<OrderRow.statusNames.count).contains(statusID) else {
            return AdminAPI.error(400, "status_id must be 0-14")
        }
        let created = try Self.date(object["date_created"]) ?? context.nowSeconds
        let currency = object["currency_code"] as? String ?? "USD"
        var order = try context.store.write { database in
            try OrderTable.insert(
                customerID: customerID,
                statusID: statusID,
                total: total,
                currency: currency,
                created: created,
                into: database
            )
        }
        if object["date_modified"] != nil || object["total_ex_tax"] != nil {
            order = try applyOrder(id: order.id, object, touch: false)
        }
        return .json(200, order.apiJSON)
    }

    func updateOrder(id: Int, _ object: [String: Any]) throws -> HTTPResponse {
        .json(200, try applyOrder(id: id, object, touch: true).apiJSON)
    }

    private func applyOrder(id: Int, _ object: [String: Any], touch: Bool) throws -> OrderRow {
        let now = context.nowSeconds
        let modified = try Self.date(object["date_modified"])
        let created = try Self.date(object["date_created"])
        return try context.store.write { database -> Result<OrderRow, ResponseError> in
            guard var order = try OrderTable.find(id: id, in: database) else {
                return .failure(ResponseError(AdminAPI.error(404, "no order \(id)")))
            }
            if let value = object["customer_id"] as? Int { order.customerID = value }
            if let value = object["status_id"] as? Int { order.statusID = value }
            if let value = OrderRow.parseMoney(object["total_inc_tax"]) {
                order.totalIncTax = value
                order.totalExTax = value
            }
            if let value = OrderRow.parseMoney(object["total_ex_tax"]) { order.totalExTax = value }
            if let value = object["currency_code"] as? String { order.currencyCode = value }
            if let value = object["is_deleted"] as? Bool { order.isDeleted = value }
            if let created { order.dateCreated = created }
            if let modified { order.dateModified = modified } else if touch { order.dateModified = now }
            try OrderTable.update(order, in: database)
            return .success(order)
        }.get()
    }

    private static func customer(from item: [String: Any], now: Int) throws(ResponseError) -> CustomerRow {
        guard let email = item["email"] as? String, let first = item["first_name"] as? String,
            let last = item["last_name"] as? String
        else { throw ResponseError(AdminAPI.error(400, "each customer needs email, first_name and last_name")) }
        var row = CustomerRow(email: email, firstName: first, lastName: last)
        row.dateCreated = now
        row.dateModified = now
        try apply(item, to: &row, now: now)
        row.dateModified = try date(item["date_modified"]) ?? row.dateCreated
        return row
    }

    /// Applies admin edits; `date_modified` becomes now unless the object sets it.
    private static func apply(_ object: [String: Any], to row: inout CustomerRow, now: Int) throws(ResponseError) {
        if let value = object["email"] as? String { row.email = value }
        if let value = object["first_name"] as? String { row.firstName = value }
        if let value = object["last_name"] as? String { row.lastName = value }
        if let value = object["company"] as? String { row.company = value }
        if let value = object["phone"] as? String { row.phone = value }
        if let value = object["notes"] as? String { row.notes = value }
        if let value = object["customer_group_id"] as? Int { row.customerGroupID = value }
        if let value = object["force_password_reset"] as? Bool { row.forcePasswordReset = value }
        if object["password"] is String { row.hasPassword = true }
        if let value = try date(object["date_created"]) { row.dateCreated = value }
        row.dateModified = try date(object["date_modified"]) ?? now
    }

    private static func date(_ value: Any?) throws(ResponseError) -> Int? {
        guard let value else { return nil }
        guard let text = value as? String, let seconds = SandboxDate.parseAny(text) else {
            throw ResponseError(AdminAPI.error(400, "\"\(value)\" is not an ISO 8601 date"))
        }
        return seconds
    }
}
