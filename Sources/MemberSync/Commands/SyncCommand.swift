import Foundation

/// `membersync sync`: the pending changes once (or a full sync with `--full`), then exit.
enum SyncCommand {
    static func run(_ words: [String]) async throws -> Int32 {
        let arguments = try CommandLineArguments(
            words,
            valueOptions: ["config", "wait"],
            flags: ["full", "dry-run", "force"]
        )
        guard arguments.positional.isEmpty else {
            throw UsageError("sync takes no arguments, got '\(arguments.positional.joined(separator: " "))'")
        }
        let waitSeconds = try arguments.value("wait").map { text -> Double in
            guard let value = Double(text), value >= 0 else { throw UsageError("--wait needs a number of seconds") }
            return value
        }
        let context = try AgentContext(configuration: MemberSyncCommand.loadConfiguration(arguments))
        let isDryRun = arguments.has("dry-run")
        let isFull = arguments.has("full")
        var lock: ProcessLock?
        if !isDryRun {
            let statePath = context.configuration.stateDatabasePath
            try StateDirectoryMissing.check(path: statePath)
            // A running service is asked at once; another one-shot command is waited for.
            if let holder = ProcessLock.currentHolder(statePath: statePath), holder.command.hasPrefix("run") {
                return try handOver(to: holder, context: context, isFull: isFull, force: arguments.has("force"))
            }
            let attempt = try ProcessLock.acquire(statePath: statePath, command: "sync", timeout: waitSeconds ?? 60)
            if let holder = attempt.holder {
                return try handOver(to: holder, context: context, isFull: isFull, force: arguments.has("force"))
            }
            lock = attempt.lock
        }
        defer { lock?.release() }
        let progress = ProgressReporter.forStandardError(logger: context.logger)
        let scratchPath = isDryRun ? context.dryRunScratchPath() : nil
        defer { scratchPath.map(AgentContext.removeScratchState(at:)) }
        let state = try scratchPath.map { try StateStore(path: $0) } ?? context.openState()
        let engine = context.makeEngine(state: state, onProgress: progress.report)
        let result: PassResult
        if isFull {
            result = try await engine.runFullSync(dryRun: isDryRun, force: arguments.has("force"))
        } else {
            result = try await engine.runPending(dryRun: isDryRun, force: arguments.has("force"))
        }
        print(PassSummary.text(result))
        if isFull && !isDryRun && context.configuration.revenue.isEnabled {
            await recordRevenue(context: context)
        }
        return MemberSyncCommand.exitCode(for: result.outcome)
    }

    /// The revenue pass of a full sync, as the service runs it: orders changed since the high-water
    /// mark, and those of customers the sync just adopted. Its failure is printed but does not change
    /// the exit code, which answers for the profiles; `membersync status` shows the failed pass.
    static func recordRevenue(context: AgentContext) async {
        do {
            let recorder = RevenueCommand.makeRecorder(context: context, state: try context.openState())
            print(try await recorder.recordRecentOrders(kind: .full).summary)
        } catch {
            MemberSyncCommand.printError(
                "membersync: revenue not recorded: \(error)"
                    + (MemberSyncCommand.nextStep(for: error).map { "\n" + $0 } ?? "")
            )
        }
    }

    /// Another process holds the state file: a running service is asked to do the full sync itself;
    /// otherwise say who holds it.
    static func handOver(to holder: ProcessLock.Holder, context: AgentContext, isFull: Bool, force: Bool = false)
        throws -> Int32
    {
        guard holder.command.hasPrefix("run") else {
            MemberSyncCommand.printError(
                "membersync: the state file is in use by \(holder); try again when it has finished (or pass --wait SECONDS)"
            )
            return MemberSyncCommand.exitFailed
        }
        let state = try context.openState()
        let requester = "membersync sync\(isFull ? " --full" : "")\(force ? " --force" : "") (pid \(getpid()))"
        if force { try state.setMeta(MetaKey.forceRequested, requester) }
        if isFull {
            try state.setMeta(MetaKey.fullSyncRequested, requester)
            print(
                "the service (\(holder)) runs the full sync at its next poll\(force ? ", past the safety rails" : "");"
                    + " 'membersync status' shows when it finished"
            )
        } else if force {
            print(
                "the service (\(holder)) runs its next pass past the safety rails; 'membersync status' shows the result"
            )
        } else {
            print("the service (\(holder)) follows the change log itself; nothing to do")
        }
        return MemberSyncCommand.exitOK
    }
}
