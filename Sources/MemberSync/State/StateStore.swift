import Foundation
import SQLiteDB

/// The agent's own SQLite file (WAL): links, the last record the store accepted per customer, the
/// change-log cursor, the outbox of pending profiles, creates in doubt, the report and the run history.
///
/// Not `Sendable`: the sync engine owns it. Every step that must survive a crash is one transaction.
public final class StateStore {
    let database: Database
    public var path: String { database.path }

    /// Opens the state file, creating it readable by its owner only (it holds members' names and
    /// emails as last sent to the store); SQLite gives its `-wal` and `-shm` files the same mode.
    public init(path: String) throws {
        let isNew = !FileManager.default.fileExists(atPath: path)
        if isNew {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        database = try Database(path: path, busyTimeoutMilliseconds: 30_000)
        try database.enableWriteAheadLog()
        try migrate()
    }

    /// Opens a state file that must already exist: for commands that only read what the agent did,
    /// so that a wrong `state.database` is an error, not a new empty file.
    public static func existing(path: String) throws -> StateStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(
                code: 14,
                message: "no state file here: has the agent run yet? (check state.database)",
                sql: nil,
                path: path
            )
        }
        return try StateStore(path: path)
    }

    /// Runs `body` in one immediate transaction.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try database.withTransaction(.immediate, body)
    }

    static func timestamp(_ date: Date = Date()) -> String {
        ISO8601.string(from: date)
    }

    // MARK: - Meta values

    public func meta(_ key: String) throws -> String? {
        try database.scalar("SELECT value FROM meta WHERE key = ?", [.text(key)]).string
    }

    public func setMeta(_ key: String, _ value: String?) throws {
        if let value {
            try database.query(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [.text(key), .text(value)]
            )
        } else {
            try database.query("DELETE FROM meta WHERE key = ?", [.text(key)])
        }
    }

    /// The last change id of MC Trade's log that the agent has taken into its outbox (0 before any).
    public func cursor() throws -> Int64 {
        Int64(try meta(MetaKey.cursor) ?? "0") ?? 0
    }

    /// Moves the cursor to `value`, remembering the `changed_at` of that change so that a restored copy
    /// of MC Trade that reuses the id for another change can be told apart.
    public func setCursor(_ value: Int64, changedAt: String? = nil) throws {
        try setMeta(MetaKey.cursor, String(value))
        try setMeta(MetaKey.cursorChangedAt, changedAt)
    }

    // MARK: - Links and last accepted records

    /// Profile id → customer id.
    public func links() throws -> [Int: Int] {
        var links: [Int: Int] = [:]
        try database.forEachRow("SELECT profile_id, customer_id FROM links") { row in
            if let profile = row.int(0), let customer = row.int(1) { links[profile] = customer }
        }
        return links
    }

    public func linkCount() throws -> Int {
        try database.scalar("SELECT COUNT(*) FROM links").int ?? 0
    }

    /// Links `profileID` to `customerID`, dropping any other link either of them had.
    public func link(profileID: Int, customerID: Int) throws {
        try database.query("DELETE FROM links WHERE customer_id = ? AND profile_id <> ?", customerID, profileID)
        try database.query(
            """
            INSERT INTO links (profile_id, customer_id, linked_at) VALUES (?, ?, ?)
            ON CONFLICT(profile_id) DO UPDATE SET customer_id = excluded.customer_id, linked_at = excluded.linked_at
            WHERE links.customer_id <> excluded.customer_id
            """,
            profileID,
            customerID,
            Self.timestamp()
        )
    }

    /// Customer id → the record the store last accepted.
    public func lastSentRecords() throws -> [Int: CustomerRecord] {
        var records: [Int: CustomerRecord] = [:]
        try forEachLastSent { id, record in records[id] = record }
        return records
    }

    /// Calls `body` with every customer id and the record the store last accepted, one row at a time.
    public func forEachLastSent(_ body: (Int, CustomerRecord) throws -> Void) throws {
        try database.forEachRow(
            "SELECT customer_id, email, first_name, last_name, company, phone, customer_group_id FROM sent_records"
        ) { row in
            guard let id = row.int(0) else { return }
            try body(id, Self.record(from: row, offset: 1))
        }
    }

    public func lastSent(customerID: Int) throws -> (record: CustomerRecord, sentAt: String)? {
        guard
            let row = try database.query(
                """
                SELECT customer_id, email, first_name, last_name, company, phone, customer_group_id, sent_at
                FROM sent_records WHERE customer_id = ?
                """,
                customerID
            ).first
        else { return nil }
        return (Self.record(from: row, offset: 1), row.string(7) ?? "")
    }

    /// Remembers what the store accepted (or, after a listing, holds) for a customer.
    public func recordSent(_ record: CustomerRecord, customerID: Int) throws {
        try database.query(
            """
            INSERT INTO sent_records (customer_id, email, first_name, last_name, company, phone, customer_group_id,
                                      sent_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(customer_id) DO UPDATE SET email = excluded.email, first_name = excluded.first_name,
                last_name = excluded.last_name, company = excluded.company, phone = excluded.phone,
                customer_group_id = excluded.customer_group_id, sent_at = excluded.sent_at
            """,
            [
                .integer(Int64(customerID)), .text(record.email), .text(record.firstName), .text(record.lastName),
                .text(record.company), .text(record.phone), .integer(Int64(record.customerGroupID)),
                .text(Self.timestamp()),
            ]
        )
    }

    public func forgetSent(customerID: Int) throws {
        try database.query("DELETE FROM sent_records WHERE customer_id = ?", customerID)
    }

    static func record(from row: Row, offset: Int) -> CustomerRecord {
        CustomerRecord(
            email: row.string(offset) ?? "",
            firstName: row.string(offset + 1) ?? "",
            lastName: row.string(offset + 2) ?? "",
            company: row.string(offset + 3) ?? "",
            phone: row.string(offset + 4) ?? "",
            customerGroupID: row.int(offset + 5) ?? 0
        )
    }
}

/// Keys of the `meta` table.
public enum MetaKey {
    public static let cursor = "cursor"
    public static let logLowest = "log_lowest"
    public static let logHighest = "log_highest"
    /// Set (to the reason) while a full sync is owed: first start, gap, settings change, crash mid-run.
    public static let fullSyncNeeded = "full_sync_needed"
    /// Set by `sync --full` while the service runs: the service runs the full sync.
    public static let fullSyncRequested = "full_sync_requested"
    public static let lastFullSyncStarted = "last_full_sync_started"
    public static let lastFullSyncFinished = "last_full_sync_finished"
    public static let lastFullSyncResult = "last_full_sync_result"
    public static let lastSuccessfulFullSync = "last_successful_full_sync"
    /// Comma-separated group ids the store was seen to have.
    public static let verifiedGroups = "verified_groups"
    /// When `verifiedGroups` was last read from the store.
    public static let verifiedGroupsAt = "verified_groups_at"
    /// Set while writes are stopped (401/403), to the reason.
    public static let writesStopped = "writes_stopped"
    public static let lastPassAt = "last_pass_at"
    /// `changed_at` of the change at the cursor, as read.
    public static let cursorChangedAt = "cursor_changed_at"
    /// Linked customers moved out of their group by change passes since the last full sync (the
    /// removal rail counts them together, so that a bulk edit saved one row at a time is caught too).
    public static let changePathRemovals = "change_path_removals"
    /// Set by `sync --force` while the service runs: its next pass goes past the safety rails.
    public static let forceRequested = "force_requested"
    /// Set while a safety rail holds the writes back (a pass refused), to the reason.
    public static let passRefused = "pass_refused"
    /// Set while passes fail (store or MC Trade unavailable), to the last error.
    public static let degraded = "degraded"
}

/// ISO 8601 UTC with milliseconds, like MC Trade's timestamps.
public enum ISO8601 {
    public static func string(from date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = milliseconds / 1000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            Int(parts.tm_year) + 1900,
            Int(parts.tm_mon) + 1,
            Int(parts.tm_mday),
            Int(parts.tm_hour),
            Int(parts.tm_min),
            Int(parts.tm_sec),
            Int(milliseconds % 1000)
        )
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
    public static func date(from text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
