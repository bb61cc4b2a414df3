import Foundation
import SQLiteDB

/// MC Trade's `profile_revenue` table, the only one the agent writes in MC Trade's file.
///
/// Writes are kept out of MC Trade's way: the rows of a page are first compared with what the table
/// holds (a read, which takes no lock in WAL mode), and only new or changed rows are written, in one
/// short `IMMEDIATE` transaction per page. No network call ever happens inside a transaction. A writer
/// of MC Trade's that holds the file longer than the busy timeout makes the page fail (and the pass be
/// tried again later) rather than making MC Trade wait for the agent.
///
/// The upsert is keyed on `(source, order_id)` and never goes back in time: a row is replaced only by
/// a version of the order modified at or after the one it holds, so two passes that overlap (the
/// service and a back-fill) leave the newest version whatever order they commit in.
public final class ProfileRevenueTable {
    /// What writing one page did.
    public struct WriteCounts: Sendable, Hashable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0

        public init() {}
    }

    public let path: String
    private let database: Database

    static let columns = [
        "order_id", "profile_id", "customer_id", "status", "total_inc_tax", "currency_code", "ordered_at", "updated_at",
    ]

    /// Opens MC Trade's file for writing revenue. Never creates the file, and never changes its
    /// journal mode: both are MC Trade's business.
    public init(path: String, busyTimeoutMilliseconds: Int32 = 2_000) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RevenueError.mctradeUnavailable(path: path, reason: "the file does not exist")
        }
        self.path = path
        do {
            database = try Database(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch let error as SQLiteError {
            throw RevenueError.mctradeUnavailable(path: path, reason: error.message)
        }
        try checkSchema()
    }

    /// Records `rows`: inserts the new ones, updates the changed ones in place, leaves the rest alone.
    /// An order already recorded keeps the profile it was recorded for: when a customer's link moves to
    /// another profile, the orders placed before stay with the profile that placed them.
    public func write(_ rows: [RevenueRow]) throws -> WriteCounts {
        var counts = WriteCounts()
        let existing = try current(orderIDs: rows.map(\.orderID))
        var changed: [RevenueRow] = []
        for var row in rows {
            if let old = existing[row.orderID] { row.profileID = old.profileID }
            guard let old = existing[row.orderID] else {
                counts.inserted += 1
                changed.append(row)
                continue
            }
            // A version older than the one recorded (read before another pass wrote) changes nothing.
            if old == row || old.updatedAt > row.updatedAt {
                counts.unchanged += 1
            } else {
                counts.updated += 1
                changed.append(row)
            }
        }
        guard !changed.isEmpty else { return counts }
        try guarded {
            try database.withTransaction(.immediate) {
                for row in changed { try upsert(row) }
            }
        }
        return counts
    }

    /// The rows the table holds for these orders (of the agent's source), by order id.
    public func current(orderIDs: [Int]) throws -> [Int: RevenueRow] {
        guard !orderIDs.isEmpty else { return [:] }
        var rows: [Int: RevenueRow] = [:]
        let marks = Array(repeating: "?", count: orderIDs.count).joined(separator: ", ")
        let sql = """
            SELECT \(Self.columns.joined(separator: ", ")) FROM profile_revenue
            WHERE source = ? AND order_id IN (\(marks))
            """
        let values = [SQLiteValue.text(RevenueRow.source)] + orderIDs.map { .integer(Int64($0)) }
        try guarded {
            try database.forEachRow(sql, values) { row in
                guard let orderID = row.int(0) else { return }
                rows[orderID] = RevenueRow(
                    orderID: orderID,
                    profileID: row.int(1) ?? 0,
                    customerID: row.int(2) ?? 0,
                    status: row.string(3) ?? "",
                    totalIncTax: row.string(4) ?? "",
                    currencyCode: row.string(5) ?? "",
                    orderedAt: row.string(6) ?? "",
                    updatedAt: row.string(7) ?? ""
                )
            }
        }
        return rows
    }

    /// Inserts `row`, or updates the recorded order in place; its profile never changes (see `write`),
    /// also when another process recorded the order since it was read.
    private func upsert(_ row: RevenueRow) throws {
        try database.query(
            """
            INSERT INTO profile_revenue (source, \(Self.columns.joined(separator: ", ")))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (source, order_id) DO UPDATE SET
                customer_id = excluded.customer_id, status = excluded.status,
                total_inc_tax = excluded.total_inc_tax, currency_code = excluded.currency_code,
                ordered_at = excluded.ordered_at, updated_at = excluded.updated_at
            WHERE excluded.updated_at >= profile_revenue.updated_at
            """,
            [
                .text(RevenueRow.source), .integer(Int64(row.orderID)), .integer(Int64(row.profileID)),
                .integer(Int64(row.customerID)), .text(row.status), .text(row.totalIncTax), .text(row.currencyCode),
                .text(row.orderedAt), .text(row.updatedAt),
            ]
        )
    }

    private func checkSchema() throws {
        let names = try guarded {
            try database.query("PRAGMA table_info(profile_revenue)").compactMap { $0.string("name") }
        }
        guard !names.isEmpty else {
            throw RevenueError.mctradeSchema(path: path, detail: "table 'profile_revenue' is missing")
        }
        for column in ["source"] + Self.columns where !names.contains(column) {
            throw RevenueError.mctradeSchema(path: path, detail: "profile_revenue has no column '\(column)'")
        }
    }

    /// Runs `body`, turning SQLite's errors into `RevenueError`.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw RevenueError.mctradeUnavailable(path: path, reason: error.message)
        }
    }
}

@available(*, unavailable)
extension ProfileRevenueTable: Sendable {}
