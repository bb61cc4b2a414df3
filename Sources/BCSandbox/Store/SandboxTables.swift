import Foundation
import SQLiteDB

/// A WHERE clause with its bound values.
struct SQLCondition: Sendable {
    var clauses: [String] = []
    var values: [SQLiteValue] = []

    mutating func add(_ clause: String, _ newValues: [SQLiteValue] = []) {
        clauses.append(clause)
        values.append(contentsOf: newValues)
    }

    /// `column IN (?, ?, ...)`.
    mutating func add(_ column: String, in list: [SQLiteValue]) {
        add("\(column) IN (\(Array(repeating: "?", count: list.count).joined(separator: ", ")))", list)
    }

    var sql: String { clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ") }
}

/// SQL for the customers table.
enum CustomerTable {
    private static let columns = """
        email, email_lower, first_name, last_name, company, phone, notes, tax_exempt_category, customer_group_id,
        date_created, date_modified, force_password_reset, has_password, trigger_account_created_notification,
        origin_channel_id, registration_ip_address, channel_ids
        """

    private static func values(_ customer: CustomerRow) -> [SQLiteValue] {
        [
            .text(customer.email), .text(customer.email.lowercased()), .text(customer.firstName),
            .text(customer.lastName), .text(customer.company), .text(customer.phone), .text(customer.notes),
            .text(customer.taxExemptCategory), customer.customerGroupID.sqliteValue,
            customer.dateCreated.sqliteValue, customer.dateModified.sqliteValue,
            customer.forcePasswordReset.sqliteValue, customer.hasPassword.sqliteValue,
            customer.triggerAccountCreatedNotification.sqliteValue, customer.originChannelID.sqliteValue,
            .text(customer.registrationIPAddress),
            customer.channelIDs.map { .text($0.map(String.init).joined(separator: ",")) } ?? .null,
        ]
    }

    /// Inserts the customer (its `id` is ignored unless non-zero) and returns the new id.
    static func insert(_ customer: CustomerRow, into database: Database) throws -> Int {
        var row = values(customer)
        var idColumn = ""
        if customer.id > 0 {
            idColumn = "id, "
            row.insert(customer.id.sqliteValue, at: 0)
        }
        let marks = Array(repeating: "?", count: row.count).joined(separator: ", ")
        try database.query("INSERT INTO customers (\(idColumn)\(columns)) VALUES (\(marks))", row)
        return Int(database.lastInsertRowID)
    }

    /// Writes every column of an existing customer.
    static func update(_ customer: CustomerRow, in database: Database) throws {
        let assignments = columns.split(separator: ",").map {
            "\($0.trimmingCharacters(in: .whitespacesAndNewlines)) = ?"
        }
        try database.query(
            "UPDATE customers SET \(assignments.joined(separator: ", ")) WHERE id = ?",
            values(customer) + [customer.id.sqliteValue]
        )
    }

    static func find(id: Int, in database: Database) throws -> CustomerRow? {
        try database.query("SELECT * FROM customers WHERE id = ?", id).first.map(CustomerRow.init(row:))
    }

    /// Ids of customers whose email has the given comparison key.
    static func ids(emailKey: String, column: String, in database: Database) throws -> [Int] {
        try database.query("SELECT id FROM customers WHERE \(column) = ?", emailKey).compactMap { $0.int(0) }
    }

    static func select(
        _ condition: SQLCondition,
        orderBy: String,
        limit: Int,
        offset: Int = 0,
        in database: Database
    ) throws -> [CustomerRow] {
        try database.query(
            "SELECT * FROM customers\(condition.sql) ORDER BY \(orderBy) LIMIT ? OFFSET ?",
            condition.values + [limit.sqliteValue, offset.sqliteValue]
        ).map(CustomerRow.init(row:))
    }

    static func count(_ condition: SQLCondition, in database: Database) throws -> Int {
        try database.scalar("SELECT COUNT(*) FROM customers\(condition.sql)", condition.values).int ?? 0
    }

    static func delete(ids: [Int], in database: Database) throws {
        var condition = SQLCondition()
        condition.add("id", in: ids.map(\.sqliteValue))
        try database.query("DELETE FROM customers\(condition.sql)", condition.values)
    }
}

/// SQL for the customer_groups table.
enum GroupTable {
    static func insert(name: String, id: Int?, now: Int, into database: Database) throws -> GroupRow {
        if let id {
            try database.query(
                "INSERT INTO customer_groups (id, name, date_created, date_modified) VALUES (?, ?, ?, ?)",
                id,
                name,
                now,
                now
            )
        } else {
            try database.query(
                "INSERT INTO customer_groups (name, date_created, date_modified) VALUES (?, ?, ?)",
                name,
                now,
                now
            )
        }
        return try find(id: Int(database.lastInsertRowID), in: database)!
    }

    static func find(id: Int, in database: Database) throws -> GroupRow? {
        try database.query("SELECT * FROM customer_groups WHERE id = ?", id).first.map(GroupRow.init(row:))
    }

    static func exists(name: String, in database: Database) throws -> Bool {
        try database.scalar("SELECT COUNT(*) FROM customer_groups WHERE lower(name) = lower(?)", name).int ?? 0 > 0
    }

    static func select(_ condition: SQLCondition, limit: Int, offset: Int, in database: Database) throws -> [GroupRow] {
        try database.query(
            "SELECT * FROM customer_groups\(condition.sql) ORDER BY id LIMIT ? OFFSET ?",
            condition.values + [limit.sqliteValue, offset.sqliteValue]
        ).map(GroupRow.init(row:))
    }

    static func count(in database: Database) throws -> Int {
        try database.scalar("SELECT COUNT(*) FROM customer_groups").int ?? 0
    }
}

/// SQL for the orders table.
enum OrderTable {
    static func insert(
        customerID: Int,
        statusID: Int,
        total: Int,
        currency: String,
        created: Int,
        into database: Database
    ) throws -> OrderRow {
        try database.query(
            """
            INSERT INTO orders (customer_id, status_id, date_created, date_modified, total_inc_tax, total_ex_tax,
                currency_code) VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            customerID,
            statusID,
            created,
            created,
            total,
            total,
            currency
        )
        return try find(id: Int(database.lastInsertRowID), in: database)!
    }

    static func find(id: Int, in database: Database) throws -> OrderRow? {
        try database.query("SELECT * FROM orders WHERE id = ?", id).first.map(OrderRow.init(row:))
    }

    static func update(_ order: OrderRow, in database: Database) throws {
        try database.query(
            """
            UPDATE orders SET customer_id = ?, status_id = ?, date_created = ?, date_modified = ?, total_inc_tax = ?,
                total_ex_tax = ?, currency_code = ?, is_deleted = ? WHERE id = ?
            """,
            order.customerID,
            order.statusID,
            order.dateCreated,
            order.dateModified,
            order.totalIncTax,
            order.totalExTax,
            order.currencyCode,
            order.isDeleted,
            order.id
        )
    }

    static func select(_ condition: SQLCondition, limit: Int, offset: Int, in database: Database) throws -> [OrderRow] {
        try database.query(
            "SELECT * FROM orders\(condition.sql) ORDER BY id LIMIT ? OFFSET ?",
            condition.values + [limit.sqliteValue, offset.sqliteValue]
        ).map(OrderRow.init(row:))
    }

    static func count(_ condition: SQLCondition, in database: Database) throws -> Int {
        try database.scalar("SELECT COUNT(*) FROM orders\(condition.sql)", condition.values).int ?? 0
    }
}
