import SQLiteDB

/// One finished or running pass, as kept in the run history.
public struct RunRecord: Sendable, Hashable, Codable {
    public var runID: Int64
    public var kind: String
    public var startedAt: String
    public var finishedAt: String?
    public var result: String?
    public var counts: RunCounts
    public var message: String?
}

/// Counts of one pass.
public struct RunCounts: Sendable, Hashable, Codable {
    public var evaluated = 0
    public var created = 0
    public var updated = 0
    public var adopted = 0
    public var relinked = 0
    public var removed = 0
    public var unchanged = 0
    public var failed = 0
    public var notUploaded = 0
    public var requests = 0

    public init() {}
}

extension StateStore {
    /// Replaces the report rows of `profiles` (all rows when nil) with `entries`.
    public func replaceReport(for profiles: Set<Int>?, with entries: [ReportEntry]) throws {
        if let profiles {
            for id in profiles {
                try database.query("DELETE FROM report WHERE profile_id = ? AND code <> 'store_rejected'", id)
            }
        } else {
            try database.query("DELETE FROM report WHERE code <> 'store_rejected'")
        }
        for entry in entries { try addReport(entry) }
    }

    public func addReport(_ entry: ReportEntry) throws {
        try database.query(
            """
            INSERT INTO report (profile_id, code, field, message, related_profile_id, customer_id, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(profile_id, code, field) DO UPDATE SET message = excluded.message,
                related_profile_id = excluded.related_profile_id, customer_id = excluded.customer_id,
                updated_at = excluded.updated_at
            """,
            [
                .integer(Int64(entry.profileID)), .text(entry.code.rawValue), .text(entry.field ?? ""),
                .text(entry.message), entry.relatedProfileID.map { .integer(Int64($0)) } ?? .null,
                entry.customerID.map { .integer(Int64($0)) } ?? .null, .text(Self.timestamp()),
            ]
        )
    }

    public func clearReport(profileID: Int, code: ReasonCode) throws {
        try database.query("DELETE FROM report WHERE profile_id = ? AND code = ?", profileID, code.rawValue)
    }

    /// Every report row, ordered by profile.
    public func report() throws -> [ReportEntry] {
        try database.query(
            """
            SELECT profile_id, code, field, message, related_profile_id, customer_id FROM report
            ORDER BY profile_id, code, field
            """
        ).compactMap { row in
            guard let id = row.int(0), let code = row.string(1).flatMap(ReasonCode.init(rawValue:)) else { return nil }
            let field = row.string(2)
            return ReportEntry(
                profileID: id,
                code: code,
                field: field?.isEmpty == true ? nil : field,
                message: row.string(3) ?? "",
                relatedProfileID: row.int(4),
                customerID: row.int(5)
            )
        }
    }

    // MARK: - Runs

    public func startRun(kind: String) throws -> Int64 {
        try database.query("INSERT INTO runs (kind, started_at) VALUES (?, ?)", kind, Self.timestamp())
        return database.lastInsertRowID
    }

    public func finishRun(_ runID: Int64, result: String, counts: RunCounts, message: String?) throws {
        try database.query(
            """
            UPDATE runs SET finished_at = ?, result = ?, evaluated = ?, created = ?, updated = ?, adopted = ?,
                relinked = ?, removed = ?, unchanged = ?, failed = ?, not_uploaded = ?, requests = ?, message = ?
            WHERE run_id = ?
            """,
            [
                .text(Self.timestamp()), .text(result), .integer(Int64(counts.evaluated)),
                .integer(Int64(counts.created)), .integer(Int64(counts.updated)), .integer(Int64(counts.adopted)),
                .integer(Int64(counts.relinked)), .integer(Int64(counts.removed)), .integer(Int64(counts.unchanged)),
                .integer(Int64(counts.failed)), .integer(Int64(counts.notUploaded)), .integer(Int64(counts.requests)),
                message.map { .text($0) } ?? .null, .integer(runID),
            ]
        )
    }

    /// The most recent runs, newest first, optionally of one kind.
    public func runs(kind: String? = nil, limit: Int = 20) throws -> [RunRecord] {
        let filter = kind == nil ? "" : "WHERE kind = ?"
        let values: [SQLiteValue] = (kind.map { [.text($0)] } ?? []) + [.integer(Int64(limit))]
        return try database.query(
            """
            SELECT run_id, kind, started_at, finished_at, result, evaluated, created, updated, adopted, relinked,
                   removed, unchanged, failed, not_uploaded, requests, message
            FROM runs \(filter) ORDER BY run_id DESC LIMIT ?
            """,
            values
        ).map { row in
            var counts = RunCounts()
            counts.evaluated = row.int(5) ?? 0
            counts.created = row.int(6) ?? 0
            counts.updated = row.int(7) ?? 0
            counts.adopted = row.int(8) ?? 0
            counts.relinked = row.int(9) ?? 0
            counts.removed = row.int(10) ?? 0
            counts.unchanged = row.int(11) ?? 0
            counts.failed = row.int(12) ?? 0
            counts.notUploaded = row.int(13) ?? 0
            counts.requests = row.int(14) ?? 0
            return RunRecord(
                runID: Int64(row.int(0) ?? 0),
                kind: row.string(1) ?? "",
                startedAt: row.string(2) ?? "",
                finishedAt: row.string(3),
                result: row.string(4),
                counts: counts,
                message: row.string(15)
            )
        }
    }
}
