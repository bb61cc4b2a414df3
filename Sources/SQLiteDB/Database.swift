import CSQLite
import Foundation

/// A connection to one SQLite file.
///
/// Not `Sendable`: keep it inside one actor, or behind a lock, as SQLite connections are used from one
/// thread at a time here (multi-thread mode).
public final class Database {
    /// How the file is opened.
    public enum Mode: Sendable {
        case readWrite
        /// Read-only; the file must exist.
        case readOnly
    }

    /// Transaction kinds; writers use `.immediate` so that they take the write lock up front.
    public enum TransactionKind: String, Sendable {
        case deferred = "DEFERRED"
        case immediate = "IMMEDIATE"
    }

    public let path: String
    let handle: OpaquePointer
    private var statementCache: [String: Statement] = [:]
    private var columnNameCache: [String: ColumnNames] = [:]

    /// Opens (and for `.readWrite` creates) the file. The busy timeout is how long a statement waits for
    /// another connection's lock before failing with SQLITE_BUSY.
    public init(path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 5_000) throws {
        var connection: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        let result = sqlite3_open_v2(path, &connection, flags, nil)
        guard result == SQLITE_OK, let connection else {
            // sqlite.org: a handle is returned even on failure and must still be closed.
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(connection)
            throw SQLiteError(code: result, message: message, sql: nil, path: path)
        }
        self.handle = connection
        self.path = path
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, busyTimeoutMilliseconds)
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Switches the file to write-ahead logging and checks that SQLite agreed.
    public func enableWriteAheadLog(synchronousNormal: Bool = true) throws {
        let mode = try scalar("PRAGMA journal_mode = WAL").string?.lowercased()
        guard mode == "wal" else {
            throw SQLiteError(code: 1, message: "journal_mode is \(mode ?? "unknown"), not wal", sql: nil, path: path)
        }
        if synchronousNormal { try execute("PRAGMA synchronous = NORMAL") }
    }

    /// Runs one or more statements that take no parameters.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &message)
        if result != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql, path: path)
        }
    }

    /// Runs one statement with positional parameters and returns every row it yields.
    @discardableResult
    public func query(_ sql: String, _ values: [SQLiteValue] = []) throws -> [Row] {
        let statement = try cachedStatement(sql)
        try statement.bind(values)
        defer { sqlite3_reset(statement.handle) }
        return try statement.all()
    }

    /// Runs one statement with bindable parameters.
    @discardableResult
    public func query(_ sql: String, _ values: any SQLiteBindable...) throws -> [Row] {
        try query(sql, values.map(\.sqliteValue))
    }

    /// Runs a statement and calls `body` for each row without collecting them.
    public func forEachRow(_ sql: String, _ values: [SQLiteValue] = [], _ body: (Row) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(values)
        defer { sqlite3_reset(statement.handle) }
        while let row = try statement.step() { try body(row) }
    }

    /// The first column of the first row, or `.null`.
    public func scalar(_ sql: String, _ values: [SQLiteValue] = []) throws -> SQLiteValue {
        try query(sql, values).first?.values.first ?? .null
    }

    public func scalar(_ sql: String, _ values: any SQLiteBindable...) throws -> SQLiteValue {
        try scalar(sql, values.map(\.sqliteValue))
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws (rethrowing the
    /// first error even if the rollback fails too).
    public func withTransaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Breaks off a running statement from another thread (SQLITE_INTERRUPT).
    public func interrupt() { sqlite3_interrupt(handle) }

    func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] { return statement }
        let statement = try Statement(database: self, sql: sql)
        if statementCache.count > 200 { statementCache.removeAll() }
        statementCache[sql] = statement
        return statement
    }

    func columnNames(for statement: Statement, count: Int32) -> ColumnNames {
        if let names = columnNameCache[statement.sql] { return names }
        let names = ColumnNames(
            (0..<count).map { String(cString: sqlite3_column_name(statement.handle, $0)) }
        )
        columnNameCache[statement.sql] = names
        return names
    }

    func error(code: Int32, sql: String?) -> SQLiteError {
        SQLiteError(
            code: sqlite3_extended_errcode(handle),
            message: String(cString: sqlite3_errmsg(handle)),
            sql: sql,
            path: path
        )
    }
}

@available(*, unavailable)
extension Database: Sendable {}
