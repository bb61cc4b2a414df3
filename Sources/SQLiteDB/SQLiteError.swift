import Foundation

/// An error reported by SQLite, with the message and the SQL that caused it (never the bound values).
public struct SQLiteError: Error, CustomStringConvertible, LocalizedError, Sendable {
    /// The extended result code.
    public let code: Int32
    public let message: String
    public let sql: String?
    /// The database file the error came from.
    public let path: String

    public init(code: Int32, message: String, sql: String?, path: String) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
    }

    /// The primary result code (the low byte of the extended code).
    public var primaryCode: Int32 { code & 0xFF }

    /// True for SQLITE_BUSY and SQLITE_LOCKED: another connection holds the database.
    public var isBusy: Bool { primaryCode == 5 || primaryCode == 6 }

    public var description: String {
        var text = "sqlite error \(code) on '\(path)': \(message)"
        if let sql { text += " (in \"\(sql.prefix(200))\")" }
        return text
    }

    public var errorDescription: String? { description }
}
