import SQLiteDB

/// A profile waiting to be synced.
public struct OutboxEntry: Sendable, Hashable {
    public var profileID: Int
    public var attempts: Int
    public var lastError: String?
    /// The store refused this profile's record: not sent again until the profile changes or `retry`.
    public var isHeld: Bool
    public var heldFingerprint: String?
}

extension StateStore {
    /// Adds profiles to the outbox (coalescing: one entry per profile). A new change releases a held
    /// entry, since the profile may now be acceptable.
    public func enqueue(profileIDs: some Sequence<Int>, changeID: Int64?) throws {
        let now = Self.timestamp()
        for id in profileIDs {
            try database.query(
                """
                INSERT INTO outbox (profile_id, enqueued_at, change_id) VALUES (?, ?, ?)
                ON CONFLICT(profile_id) DO UPDATE SET change_id = excluded.change_id, held = 0,
                    held_fingerprint = NULL
                """,
                [.integer(Int64(id)), .text(now), changeID.map { .integer($0) } ?? .null]
            )
        }
    }

    public func outbox() throws -> [OutboxEntry] {
        try database.query(
            "SELECT profile_id, attempts, last_error, held, held_fingerprint FROM outbox ORDER BY profile_id"
        ).compactMap { row in
            guard let id = row.int(0) else { return nil }
            return OutboxEntry(
                profileID: id,
                attempts: row.int(1) ?? 0,
                lastError: row.string(2),
                isHeld: row.int(3) == 1,
                heldFingerprint: row.string(4)
            )
        }
    }

    /// Removes a profile from the outbox once the store accepted its work (or nothing was owed).
    public func completeOutbox(profileID: Int) throws {
        try database.query("DELETE FROM outbox WHERE profile_id = ?", profileID)
    }

    /// Keeps a profile in the outbox with the error; `holdFingerprint` marks a refusal by the store.
    public func failOutbox(profileID: Int, error: String, holdFingerprint: String?) throws {
        try database.query(
            """
            INSERT INTO outbox (profile_id, enqueued_at, attempts, last_error, held, held_fingerprint)
            VALUES (?, ?, 1, ?, ?, ?)
            ON CONFLICT(profile_id) DO UPDATE SET attempts = outbox.attempts + 1, last_error = excluded.last_error,
                held = excluded.held, held_fingerprint = excluded.held_fingerprint
            """,
            [
                .integer(Int64(profileID)), .text(Self.timestamp()), .text(error),
                .integer(holdFingerprint == nil ? 0 : 1), holdFingerprint.map { .text($0) } ?? .null,
            ]
        )
    }

    /// Releases held entries (all, or those of the given profiles) so that they are sent again.
    @discardableResult
    public func releaseHeld(profileIDs: [Int]?) throws -> Int {
        if let profileIDs {
            var count = 0
            for id in profileIDs {
                try database.query("UPDATE outbox SET held = 0, held_fingerprint = NULL WHERE profile_id = ?", id)
                count += database.changes
            }
            return count
        }
        try database.query("UPDATE outbox SET held = 0, held_fingerprint = NULL WHERE held = 1")
        return database.changes
    }

    // MARK: - Creates in doubt

    /// Notes that a create for these profiles is about to be sent: if no answer comes, they are in doubt.
    public func markCreatesSent(_ creates: [(profileID: Int, email: String)]) throws {
        let now = Self.timestamp()
        for create in creates {
            try database.query(
                """
                INSERT INTO pending_creates (profile_id, email, sent_at) VALUES (?, ?, ?)
                ON CONFLICT(profile_id) DO UPDATE SET email = excluded.email, sent_at = excluded.sent_at
                """,
                create.profileID,
                create.email,
                now
            )
        }
    }

    public func clearPendingCreate(profileID: Int) throws {
        try database.query("DELETE FROM pending_creates WHERE profile_id = ?", profileID)
    }

    /// True when a create for this profile was sent and its answer never arrived.
    public func hasPendingCreate(profileID: Int) throws -> Bool {
        try database.scalar("SELECT 1 FROM pending_creates WHERE profile_id = ?", profileID) != .null
    }

    /// Profile id → email of creates whose answer never arrived.
    public func pendingCreates() throws -> [Int: String] {
        var result: [Int: String] = [:]
        try database.forEachRow("SELECT profile_id, email FROM pending_creates") { row in
            if let id = row.int(0) { result[id] = row.string(1) ?? "" }
        }
        return result
    }
}
