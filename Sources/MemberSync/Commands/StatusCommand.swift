import Foundation

/// `membersync status`: cursor and lag, pending and failed counts, last and next full sync, the
/// store's answer; exit 1 when unhealthy, so that a monitor can call it.
enum StatusCommand {
    static func run(_ words: [String]) async throws -> Int32 {
        let arguments = try CommandLineArguments(
            words,
            valueOptions: ["config", "format", "max-lag"],
            flags: ["offline"]
        )
        guard arguments.positional.isEmpty else {
            throw UsageError("status takes no arguments, got '\(arguments.positional.joined(separator: " "))'")
        }
        let format = try MemberSyncCommand.format(arguments, allowed: ["text", "json"])
        var limits = StatusReport.Limits()
        if let text = arguments.value("max-lag") {
            guard let value = Int64(text), value >= 0 else {
                throw UsageError("--max-lag needs a number of changes, not '\(text)'")
            }
            limits.maxLag = value
        }
        let offline = arguments.has("offline")
        let configuration = try MemberSyncCommand.loadConfiguration(arguments, callsStore: !offline)
        let context = try AgentContext(configuration: configuration, offline: offline)
        _ = try context.openExistingState()
        let report = try await makeReport(
            context: context,
            store: offline ? nil : context.store,
            limits: limits
        )
        print(format == "json" ? report.json() : report.text())
        return report.isHealthy ? MemberSyncCommand.exitOK : MemberSyncCommand.exitFailed
    }

    /// Reads the state file and MC Trade, and asks `store` (nil: offline).
    static func makeReport(
        context: AgentContext,
        store: (any CustomerStore)?,
        limits: StatusReport.Limits,
        now: Date = Date()
    ) async throws -> StatusReport {
        let configuration = context.configuration
        let snapshot = try AgentSnapshot.read(state: try context.openState(), source: context.source)
        let engine = context.makeEngine(state: try context.openState())
        let next = try? await engine.nextScheduledFullSync()
        let answer =
            store == nil
            ? (check: StatusReport.StoreCheck.skipped, groupIDs: nil) : await StatusReport.checkStoreGroups(store!)
        var report = StatusReport(
            snapshot: snapshot,
            nextFullSync: next ?? nil,
            store: answer.check,
            runningProcess: ProcessLock.currentHolder(statePath: configuration.stateDatabasePath)?.description,
            now: now,
            limits: limits
        )
        report.revenueEnabled = configuration.revenue.isEnabled
        if let settings = try? context.source.readSettings() {
            report.settingsProblem = StatusReport.settingsProblem(settings, storeGroups: answer.groupIDs)
        } else if snapshot.sourceError == nil {
            report.settingsProblem = StatusReport.settingsProblem(nil, storeGroups: answer.groupIDs)
        }
        return report
    }
}
