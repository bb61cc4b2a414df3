import Foundation

/// `membersync revenue`: records store orders of linked customers in MC Trade's `profile_revenue` once,
/// from the high-water mark (like the service), or with `--since DATE` from that date (a back-fill).
///
/// Takes no process lock: it never writes to the store, its rows are upserts that never go back in
/// time, and its mark only moves forward, so it may run beside the service.
enum RevenueCommand {
    static func run(_ words: [String]) async throws -> Int32 {
        let arguments = try CommandLineArguments(words, valueOptions: ["config", "since"], flags: [])
        guard arguments.positional.isEmpty else {
            throw UsageError("revenue takes no arguments, got '\(arguments.positional.joined(separator: " "))'")
        }
        let configuration = try MemberSyncCommand.loadConfiguration(arguments)
        let since = try arguments.value("since").map { try parseSince($0, timeZone: configuration.timeZone) }
        let context = try AgentContext(configuration: configuration)
        // Orders are recorded for linked customers only: before the first sync there are none.
        let recorder = makeRecorder(context: context, state: try context.openExistingState())
        let result: RevenuePassResult
        if let since {
            result = try await recorder.recordOrders(modifiedSince: since, kind: .backfill)
        } else {
            result = try await recorder.recordRecentOrders(kind: .live)
        }
        print(result.summary)
        return MemberSyncCommand.exitOK
    }

    /// A recorder on the context's store and MC Trade file, with the configured overlap.
    static func makeRecorder(context: AgentContext, state: sending StateStore) -> RevenueRecorder {
        var options = RevenueRecorder.Options()
        options.overlap = context.configuration.revenue.overlap
        return RevenueRecorder(
            store: context.store,
            state: state,
            mctradePath: context.configuration.mctradeDatabasePath,
            options: options,
            logger: context.logger
        )
    }

    /// `YYYY-MM-DD` (midnight in the configured time zone) or ISO 8601 with a zone
    /// (`2026-12-01T05:00:00Z`, `2026-12-01T05:00:00.000-06:00`).
    static func parseSince(_ text: String, timeZone: TimeZone) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let day = CalendarDay(trimmed) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = DateComponents(year: day.year, month: day.month, day: day.day)
            if let date = calendar.date(from: parts) { return date }
        }
        if trimmed.contains("T"), let date = ISO8601.date(from: trimmed) { return date }
        throw UsageError("--since needs a date (YYYY-MM-DD) or an ISO 8601 time with a zone, got '\(text)'")
    }
}
