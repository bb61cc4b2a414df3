import Foundation
import SQLiteDB

/// The revenue side of the state file: the high-water mark of store orders (`meta`) and the history of
/// revenue passes (`revenue_runs`).
extension StateStore {
    /// The `meta` key of the newest order `date_modified` recorded (ISO 8601 UTC).
    static let revenueMarkKey = "revenue_mark"

    /// The newest `date_modified` up to which every order has been recorded; nil before the first pass.
    public func revenueMark() throws -> Date? {
        try meta(Self.revenueMarkKey).flatMap(ISO8601.date(from:))
    }

    /// Moves the mark forward to `date`, never back (a back-fill may finish after a later live pass).
    /// Returns the mark now kept.
    @discardableResult
    public func advanceRevenueMark(to date: Date) throws -> Date {
        try transaction {
            let current = try revenueMark()
            let kept = max(current ?? date, date)
            if kept != current { try setMeta(Self.revenueMarkKey, ISO8601.string(from: kept)) }
            return kept
        }
    }

    /// Notes that `customerID` was just linked to a profile by adoption or relink, so that its orders
    /// placed before the link are listed by `customer_id` and recorded. Call it in the transaction that
    /// makes the link, so that a crash cannot lose the note.
    public func oweOrdersOfLinkedCustomer(_ customerID: Int) throws {
        try database.query(
            "INSERT INTO revenue_customers_owed (customer_id, queued_at) VALUES (?, ?) "
                + "ON CONFLICT (customer_id) DO UPDATE SET queued_at = excluded.queued_at",
            [.integer(Int64(customerID)), .text(Self.timestamp())]
        )
    }

    /// Customers whose orders are owed, oldest note first, with the time of the note.
    public func customersOwedOrders() throws -> [(customerID: Int, queuedAt: String)] {
        try database.query("SELECT customer_id, queued_at FROM revenue_customers_owed ORDER BY queued_at, customer_id")
            .compactMap { row in
                guard let id = row.int(0), let queuedAt = row.string(1) else { return nil }
                return (id, queuedAt)
            }
    }

    /// Drops the note once the customer's orders are committed; a newer note (linked again meanwhile)
    /// stays.
    func settleOrdersOwed(customerID: Int, queuedAt: String) throws {
        try database.query(
            "DELETE FROM revenue_customers_owed WHERE customer_id = ? AND queued_at = ?",
            [.integer(Int64(customerID)), .text(queuedAt)]
        )
    }

    /// Records that a revenue pass started; returns its run id.
    func startRevenueRun(kind: RevenuePassResult.Kind, since: Date) throws -> Int64 {
        try database.query(
            "INSERT INTO revenue_runs (kind, started_at, since) VALUES (?, ?, ?)",
            [.text(kind.rawValue), .text(Self.timestamp()), .text(ISO8601.string(from: since))]
        )
        return database.lastInsertRowID
    }

    /// Records how a revenue pass ended: `error` nil for success.
    /// Finishes a revenue run as `ok`, `failed` (with `error`), or `stopped` when a stop request cut it
    /// (not a failure: `lastRevenueRun` passes over it).
    func finishRevenueRun(_ runID: Int64, _ result: RevenuePassResult, error: String?, stopped: Bool = false) throws {
        try database.query(
            """
            UPDATE revenue_runs SET finished_at = ?, result = ?, mark = ?, pages = ?, requests = ?, listed = ?,
                inserted = ?, updated = ?, unchanged = ?, guests = ?, unlinked = ?, outside_window = ?, message = ?
            WHERE run_id = ?
            """,
            [
                .text(Self.timestamp()), .text(stopped ? "stopped" : error == nil ? "ok" : "failed"),
                result.mark.map { .text(ISO8601.string(from: $0)) } ?? .null,
                .integer(Int64(result.pages)), .integer(Int64(result.requests)), .integer(Int64(result.listed)),
                .integer(Int64(result.inserted)), .integer(Int64(result.updated)), .integer(Int64(result.unchanged)),
                .integer(Int64(result.guests)), .integer(Int64(result.unlinked)),
                .integer(Int64(result.outsideWindow)), error.map { .text($0) } ?? .null, .integer(runID),
            ]
        )
    }

    /// The newest finished revenue pass that a stop did not cut; nil before the first.
    public func lastRevenueRun() throws -> RevenueRunRecord? {
        try database.query(
            """
            SELECT kind, finished_at, result, inserted, updated, requests, message FROM revenue_runs
            WHERE finished_at IS NOT NULL AND result != 'stopped' ORDER BY run_id DESC LIMIT 1
            """
        ).first.map { row in
            RevenueRunRecord(
                kind: row.string(0) ?? "",
                finishedAt: row.string(1) ?? "",
                result: row.string(2) ?? "",
                inserted: row.int(3) ?? 0,
                updated: row.int(4) ?? 0,
                requests: row.int(5) ?? 0,
                message: row.string(6)
            )
        }
    }

    /// When the newest successful revenue pass finished; nil before the first.
    public func lastSuccessfulRevenuePass() throws -> Date? {
        // The newest run first: no scan of the whole history, which grows by a row a minute.
        try database.scalar("SELECT finished_at FROM revenue_runs WHERE result = 'ok' ORDER BY run_id DESC LIMIT 1")
            .string
            .flatMap(ISO8601.date(from:))
    }

    /// The last `limit` revenue passes, newest first, as column-name dictionaries (for status and tests).
    public func revenueRuns(limit: Int = 20) throws -> [[String: SQLiteValue]] {
        try database.query("SELECT * FROM revenue_runs ORDER BY run_id DESC LIMIT ?", limit).map { row in
            Dictionary(uniqueKeysWithValues: zip(row.columns.names, row.values))
        }
    }
}
