import CSQLite
import Foundation

// SQLITE_TRANSIENT is a macro the importer does not bring in: a destructor of -1 tells SQLite to copy.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement. Confined to the connection's owner, like the connection itself.
public final class Statement {
    let handle: OpaquePointer
    let sql: String
    unowned let database: Database

    init(database: Database, sql: String) throws {
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v2(database.handle, sql, -1, &statement, nil)
        guard result == SQLITE_OK, let statement else {
            throw database.error(code: result, sql: sql)
        }
        self.handle = statement
        self.sql = sql
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds values to the positional parameters, 1-based, after resetting the statement.
    public func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .null:
                result = sqlite3_bind_null(handle, index)
            case .integer(let number):
                result = sqlite3_bind_int64(handle, index, number)
            case .real(let number):
                result = sqlite3_bind_double(handle, index, number)
            case .text(let text):
                result = text.withCString { pointer in
                    sqlite3_bind_text(handle, index, pointer, Int32(text.utf8.count), sqliteTransient)
                }
            case .blob(let bytes):
                result = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), sqliteTransient)
                }
            }
            guard result == SQLITE_OK else { throw database.error(code: result, sql: sql) }
        }
    }

    /// Steps once: a row, or nil when the statement is done.
    public func step() throws -> Row? {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW:
            return currentRow()
        case SQLITE_DONE:
            return nil
        default:
            let error = database.error(code: result, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs to completion and returns every row.
    public func all() throws -> [Row] {
        var rows: [Row] = []
        while let row = try step() { rows.append(row) }
        return rows
    }

    private func currentRow() -> Row {
        let count = sqlite3_column_count(handle)
        var values: [SQLiteValue] = []
        values.reserveCapacity(Int(count))
        for column in 0..<count {
            values.append(columnValue(column))
        }
        return Row(columns: database.columnNames(for: self, count: count), values: values)
    }

    private func columnValue(_ column: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let length = Int(sqlite3_column_bytes(handle, column))
            let buffer = UnsafeBufferPointer(start: text, count: length)
            return .text(String(decoding: buffer, as: UTF8.self))
        case SQLITE_BLOB:
            let length = Int(sqlite3_column_bytes(handle, column))
            guard length > 0, let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: length)))
        default:
            return .null
        }
    }
}

@available(*, unavailable)
extension Statement: Sendable {}

/// One result row: values by position or by column name.
public struct Row: Sendable {
    public let columns: ColumnNames
    public let values: [SQLiteValue]

    public subscript(index: Int) -> SQLiteValue { values[index] }

    public subscript(name: String) -> SQLiteValue {
        guard let index = columns.index(of: name) else { return .null }
        return values[index]
    }

    public func int(_ name: String) -> Int? { self[name].int }
    public func string(_ name: String) -> String? { self[name].string }
    public func int(_ index: Int) -> Int? { values[index].int }
    public func string(_ index: Int) -> String? { values[index].string }
}

/// Column names of a result, shared by all its rows.
public final class ColumnNames: Sendable {
    public let names: [String]
    private let positions: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name] == nil {
            positions[name] = index
        }
        self.positions = positions
    }

    public func index(of name: String) -> Int? { positions[name] }
}
