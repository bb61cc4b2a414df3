import Foundation
import SQLiteDB

/// The store's data in one SQLite file, every access serialised by a lock.
///
/// `@unchecked Sendable`: the connection is only touched while `lock` is held.
final class SandboxStore: @unchecked Sendable {
    private let database: Database
    private let lock = NSLock()
    let emailsIgnoreCase: Bool

    init(path: String, emailsIgnoreCase: Bool) throws {
        let database = try Database(path: path)
        try database.enableWriteAheadLog(synchronousNormal: false)
        try database.execute("PRAGMA synchronous = OFF")
        try database.execute(Self.schema)
        self.database = database
        self.emailsIgnoreCase = emailsIgnoreCase
    }

    /// Runs `body` with the connection while holding the lock.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try lock.withLock { try body(database) }
    }

    /// Runs `body` in an immediate transaction while holding the lock.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try lock.withLock { try database.withTransaction(.immediate) { try body(database) } }
    }

    /// Deletes every group, customer and order and restarts the id sequences.
    func reset() throws {
        try write { database in
            try database.execute(
                "DELETE FROM customers; DELETE FROM customer_groups; DELETE FROM orders; DELETE FROM sqlite_sequence;"
            )
        }
    }

    /// The key emails are compared by: lower-cased when emails ignore case.
    func emailKey(_ email: String) -> String { emailsIgnoreCase ? email.lowercased() : email }

    /// Column holding the comparison key for emails.
    var emailColumn: String { emailsIgnoreCase ? "email_lower" : "email" }

    private static let schema = """
        CREATE TABLE IF NOT EXISTS customer_groups (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            is_default INTEGER NOT NULL DEFAULT 0,
            date_created INTEGER NOT NULL,
            date_modified INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS customers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT NOT NULL,
            email_lower TEXT NOT NULL,
            first_name TEXT NOT NULL,
            last_name TEXT NOT NULL,
            company TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            tax_exempt_category TEXT NOT NULL DEFAULT '',
            customer_group_id INTEGER NOT NULL DEFAULT 0,
            date_created INTEGER NOT NULL,
            date_modified INTEGER NOT NULL,
            force_password_reset INTEGER NOT NULL DEFAULT 0,
            has_password INTEGER NOT NULL DEFAULT 0,
            trigger_account_created_notification INTEGER NOT NULL DEFAULT 0,
            origin_channel_id INTEGER NOT NULL DEFAULT 1,
            registration_ip_address TEXT NOT NULL DEFAULT '',
            channel_ids TEXT
        );
        CREATE INDEX IF NOT EXISTS customers_email_lower ON customers (email_lower);
        CREATE INDEX IF NOT EXISTS customers_email ON customers (email);
        CREATE TABLE IF NOT EXISTS orders (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            customer_id INTEGER NOT NULL DEFAULT 0,
            status_id INTEGER NOT NULL DEFAULT 11,
            date_created INTEGER NOT NULL,
            date_modified INTEGER NOT NULL,
            total_inc_tax INTEGER NOT NULL,
            total_ex_tax INTEGER NOT NULL,
            currency_code TEXT NOT NULL DEFAULT 'USD',
            is_deleted INTEGER NOT NULL DEFAULT 0
        );
        """
}
