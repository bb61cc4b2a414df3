import Foundation
import SQLiteDB

/// Why MC Trade's file could not be read.
public enum SourceError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// The file is missing, locked or unreadable right now; worth trying again shortly.
    case unavailable(path: String, reason: String)
    /// The file lacks a table or column the agent reads.
    case schema(path: String, detail: String)

    public var description: String {
        switch self {
        case .unavailable(let path, let reason): return "cannot read MC Trade database '\(path)': \(reason)"
        case .schema(let path, let detail): return "MC Trade database '\(path)' has an unexpected schema: \(detail)"
        }
    }

    public var errorDescription: String? { description }
}

/// The first and last change ids present in `profile_changes` (nil when the log is empty).
public struct ChangeLogBounds: Sendable, Equatable {
    public var lowest: Int64?
    public var highest: Int64?
    /// The last change id ever handed out (`sqlite_sequence`), which survives purging every row.
    public var sequence: Int64?
    /// `changed_at` of the row at the cursor (nil when it is gone), to tell the row the agent read
    /// from another that took its id in a copy of MC Trade restored from a backup and edited since.
    public var changedAtCursor: String?
    /// `changed_at` of the newest row.
    public var highestChangedAt: String?
}

/// One consistent read of MC Trade: the change log after a cursor and, when asked, every table the
/// rules look at, all inside one read transaction.
public struct SourceRead: Sendable {
    public var bounds: ChangeLogBounds
    /// Changes after the cursor, oldest first.
    public var changes: [ProfileChange]
    public var snapshot: SourceSnapshot?
}

/// Reads MC Trade's SQLite file. Opens the file afresh for every read, so that a file replaced by a
/// restore is seen, and never writes to it.
public struct MCTradeSource: Sendable {
    public let path: String

    /// How long a read waits for a writer that holds MC Trade's file locked before giving up (the
    /// pass is then tried again later; a locked file is never read as "no profiles").
    public let busyTimeoutMilliseconds: Int32

    public init(path: String, busyTimeoutMilliseconds: Int32 = 10_000) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    /// Reads the change log after `cursor` (at most `changeLimit` rows) and, when `includeSnapshot`
    /// says so for those changes, the whole snapshot in the same transaction.
    public func read(
        after cursor: Int64,
        changeLimit: Int = 10_000,
        includeSnapshot: ([ProfileChange]) -> Bool
    ) throws -> SourceRead {
        let database = try open()
        do {
            return try database.withTransaction(.deferred) {
                let bounds = try readBounds(database, cursor: cursor)
                let changes = try readChanges(database, after: cursor, limit: changeLimit)
                let snapshot = includeSnapshot(changes) ? try readSnapshot(database) : nil
                return SourceRead(bounds: bounds, changes: changes, snapshot: snapshot)
            }
        } catch let error as SQLiteError {
            throw classify(error)
        }
    }

    /// Like `read(after:changeLimit:includeSnapshot:)`, but without keeping the individuals: every
    /// profile is handed to `visit` with a snapshot of the organizations, relationships and settings,
    /// which is what the rules need, and the snapshot returned holds only those (`profiles` are the
    /// organizations).
    public func read(
        after cursor: Int64,
        changeLimit: Int = 10_000,
        includeSnapshot: ([ProfileChange]) -> Bool,
        visiting visit: (Profile, SourceSnapshot) -> Void
    ) throws -> SourceRead {
        let database = try open()
        do {
            return try database.withTransaction(.deferred) {
                let bounds = try readBounds(database, cursor: cursor)
                let changes = try readChanges(database, after: cursor, limit: changeLimit)
                let snapshot = includeSnapshot(changes) ? try readSnapshot(database, visiting: visit) : nil
                return SourceRead(bounds: bounds, changes: changes, snapshot: snapshot)
            }
        } catch let error as SQLiteError {
            throw classify(error)
        }
    }

    /// Reads only the snapshot.
    public func readSnapshot() throws -> SourceSnapshot {
        try read(after: Int64.max, changeLimit: 0, includeSnapshot: { _ in true }).snapshot!
    }

    /// Reads only the settings row (cheap; for scheduling).
    public func readSettings() throws -> SyncSettings? {
        let database = try open()
        do {
            return try readSettings(database)
        } catch let error as SQLiteError {
            throw classify(error)
        }
    }

    func open() throws -> Database {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SourceError.unavailable(path: path, reason: "the file does not exist")
        }
        do {
            let database = try Database(path: path, mode: .readOnly, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            try checkSchema(database)
            return database
        } catch let error as SQLiteError {
            throw classify(error)
        }
    }

    func classify(_ error: SQLiteError) -> SourceError {
        if error.primaryCode == 1 && error.message.contains("no such") {
            return .schema(path: path, detail: error.message)
        }
        return .unavailable(path: path, reason: error.message)
    }

    func checkSchema(_ database: Database) throws {
        let names = Set(
            try database.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").compactMap {
                $0.string(0)
            }
        )
        for table in ["profiles", "relationships", "bigcommerce_settings", "profile_changes"]
        where !names.contains(table) {
            throw SourceError.schema(path: path, detail: "table '\(table)' is missing")
        }
    }

    func readBounds(_ database: Database, cursor: Int64) throws -> ChangeLogBounds {
        let row = try database.query("SELECT MIN(change_id), MAX(change_id) FROM profile_changes").first
        let sequence = try? database.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'profile_changes'").int
        let highest = row?[1].int.map(Int64.init)
        let changedAt = { (id: Int64) in
            try database.scalar("SELECT changed_at FROM profile_changes WHERE change_id = ?", [.integer(id)]).string
        }
        return ChangeLogBounds(
            lowest: row?[0].int.map(Int64.init),
            highest: highest,
            sequence: sequence.flatMap { $0 }.map(Int64.init),
            changedAtCursor: cursor > 0 && cursor < Int64.max ? try changedAt(cursor) : nil,
            highestChangedAt: try highest.flatMap(changedAt)
        )
    }

    func readChanges(_ database: Database, after cursor: Int64, limit: Int) throws -> [ProfileChange] {
        guard limit > 0 else { return [] }
        let rows = try database.query(
            """
            SELECT change_id, profile_id, entity, operation, changed_at FROM profile_changes
            WHERE change_id > ? ORDER BY change_id LIMIT ?
            """,
            [.integer(cursor), .integer(Int64(limit))]
        )
        return rows.compactMap { row in
            guard let id = row.int(0) else { return nil }
            // An entity the schema does not know still marks its profile as changed.
            let entity = row.string(2).flatMap(ProfileChange.Entity.init(rawValue:)) ?? .profile
            return ProfileChange(
                changeID: Int64(id),
                profileID: row.int(1),
                entity: entity,
                operation: row.string(3) ?? "update",
                changedAt: row.string(4)
            )
        }
    }
}
