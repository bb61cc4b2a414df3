import Foundation

/// `membersync status`: cursor and lag, pending and failed counts, last and next full sync.
enum StatusCommand {
    static func run(_ words: [String]) async throws -> Int32 {
        let arguments = try CommandLineArguments(words, valueOptions: ["config"], flags: [])
        let context = try AgentContext(configuration: MemberSyncCommand.loadConfiguration(arguments))
        let state = try context.openState()
        let cursor = try state.cursor()
        let highest = try? context.source.read(after: cursor, changeLimit: 0) { _ in false }.bounds.highest
        let outbox = try state.outbox()
        let lag = max(0, (highest ?? cursor) - cursor)
        var lines: [String] = []
        lines.append("change log: cursor \(cursor), newest \(highest.map(String.init) ?? "unknown"), lag \(lag) changes")
        lines.append("pending profiles: \(outbox.filter { !$0.isHeld && $0.lastError == nil }.count)")
        lines.append("failed profiles: \(outbox.filter { $0.lastError != nil }.count) (held until changed or retried: \(outbox.filter(\.isHeld).count))")
        lines.append("linked profiles: \(try state.linkCount())")
        lines.append("last full sync: \(try state.meta(MetaKey.lastFullSyncFinished) ?? "never") (\(try state.meta(MetaKey.lastFullSyncResult) ?? "-"))")
        lines.append("last successful full sync: \(try state.meta(MetaKey.lastSuccessfulFullSync) ?? "never")")
        if let holder = ProcessLock.currentHolder(statePath: context.configuration.stateDatabasePath) {
            lines.append("running: \(holder)")
        }
        if let stopped = try state.meta(MetaKey.writesStopped) { lines.append("WRITES STOPPED: \(stopped)") }
        print(lines.joined(separator: "\n"))
        return MemberSyncCommand.exitOK
    }
}
