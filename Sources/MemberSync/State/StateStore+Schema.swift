import SQLiteDB

extension StateStore {
    /// Schema migrations, applied in order and recorded in `user_version`.
    static let migrations: [String] = [
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE links (
            profile_id  INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL UNIQUE,
            linked_at   TEXT NOT NULL
        );
        CREATE TABLE sent_records (
            customer_id       INTEGER PRIMARY KEY,
            email             TEXT NOT NULL,
            first_name        TEXT NOT NULL,
            last_name         TEXT NOT NULL,
            company           TEXT NOT NULL,
            phone             TEXT NOT NULL,
            customer_group_id INTEGER NOT NULL,
            sent_at           TEXT NOT NULL
        );
        CREATE TABLE outbox (
            profile_id      INTEGER PRIMARY KEY,
            enqueued_at     TEXT NOT NULL,
            change_id       INTEGER,
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT,
            held            INTEGER NOT NULL DEFAULT 0,
            held_fingerprint TEXT
        );
        CREATE TABLE pending_creates (
            profile_id INTEGER PRIMARY KEY,
            email      TEXT NOT NULL,
            sent_at    TEXT NOT NULL
        );
        CREATE TABLE report (
            profile_id         INTEGER NOT NULL,
            code               TEXT NOT NULL,
            field              TEXT,
            message            TEXT NOT NULL,
            related_profile_id INTEGER,
            customer_id        INTEGER,
            updated_at         TEXT NOT NULL,
            PRIMARY KEY (profile_id, code, field)
        );
        CREATE TABLE runs (
            run_id       INTEGER PRIMARY KEY AUTOINCREMENT,
            kind         TEXT NOT NULL,
            started_at   TEXT NOT NULL,
            finished_at  TEXT,
            result       TEXT,
            evaluated    INTEGER NOT NULL DEFAULT 0,
            created      INTEGER NOT NULL DEFAULT 0,
            updated      INTEGER NOT NULL DEFAULT 0,
            adopted      INTEGER NOT NULL DEFAULT 0,
            relinked     INTEGER NOT NULL DEFAULT 0,
            removed      INTEGER NOT NULL DEFAULT 0,
            unchanged    INTEGER NOT NULL DEFAULT 0,
            failed       INTEGER NOT NULL DEFAULT 0,
            not_uploaded INTEGER NOT NULL DEFAULT 0,
            requests     INTEGER NOT NULL DEFAULT 0,
            message      TEXT
        );
        """,
        """
        CREATE TABLE revenue_runs (
            run_id         INTEGER PRIMARY KEY AUTOINCREMENT,
            kind           TEXT NOT NULL,
            started_at     TEXT NOT NULL,
            finished_at    TEXT,
            result         TEXT,
            since          TEXT NOT NULL,
            mark           TEXT,
            pages          INTEGER NOT NULL DEFAULT 0,
            requests       INTEGER NOT NULL DEFAULT 0,
            listed         INTEGER NOT NULL DEFAULT 0,
            inserted       INTEGER NOT NULL DEFAULT 0,
            updated        INTEGER NOT NULL DEFAULT 0,
            unchanged      INTEGER NOT NULL DEFAULT 0,
            guests         INTEGER NOT NULL DEFAULT 0,
            unlinked       INTEGER NOT NULL DEFAULT 0,
            outside_window INTEGER NOT NULL DEFAULT 0,
            message        TEXT
        );
        """,
        """
        CREATE TABLE revenue_customers_owed (
            customer_id INTEGER PRIMARY KEY,
            queued_at   TEXT NOT NULL
        );
        """,
    ]

    func migrate() throws {
        let version = try database.scalar("PRAGMA user_version").int ?? 0
        guard version < Self.migrations.count else { return }
        try database.withTransaction {
            for index in version..<Self.migrations.count {
                try database.execute(Self.migrations[index])
            }
            try database.execute("PRAGMA user_version = \(Self.migrations.count)")
        }
    }
}
