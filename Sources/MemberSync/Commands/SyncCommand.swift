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
            let attempt = try ProcessLock.acquire(statePath: statePath, command: "sync", timeout: waitSeconds ?? 60)
            if let holder = attempt.holder {
                return try handOver(to: holder, context: context, isFull: isFull)
            }
            lock = attempt.lock
        }
        defer { lock?.release() }
        let engine = context.makeEngine(state: try context.openState())
        let result: PassResult
        if isFull {
            result = try await engine.runFullSync(dryRun: isDryRun, force: arguments.has("force"))
        } else {
            result = try await engine.runPending(dryRun: isDryRun)
        }
        print(PassSummary.text(result))
        return MemberSyncCommand.exitCode(for: result.outcome)
    }

    /// Another process holds the state file: a running service is asked to do the full sync itself;
    /// otherwise say who holds it.
    static func handOver(to holder: ProcessLock.Holder, context: AgentContext, isFull: Bool) throws -> Int32 {
        guard holder.command.hasPrefix("run") else {
            MemberSyncCommand.printError(
                "membersync: the state file is in use by \(holder); try again when it has finished (or pass --wait SECONDS)"
            )
            return MemberSyncCommand.exitFailed
        }
        if isFull {
            let state = try context.openState()
            try state.setMeta(MetaKey.fullSyncRequested, "membersync sync --full (pid \(getpid()))")
            print("the service (\(holder)) runs the full sync now; 'membersync status' shows when it finished")
        } else {
            print("the service (\(holder)) follows the change log itself; nothing to do")
        }
        return MemberSyncCommand.exitOK
    }
}

/// `membersync run`: the service.
enum RunCommand {
    static func run(_ words: [String]) async throws -> Int32 {
        let arguments = try CommandLineArguments(words, valueOptions: ["config"], flags: [])
        let context = try AgentContext(configuration: MemberSyncCommand.loadConfiguration(arguments))
        let attempt = try ProcessLock.acquire(
            statePath: context.configuration.stateDatabasePath,
            command: "run",
            timeout: 0
        )
        guard let lock = attempt.lock else {
            let holder = attempt.holder.map(\.description) ?? "another process"
            MemberSyncCommand.printError("membersync: the state file is in use by \(holder); is the service already running?")
            return MemberSyncCommand.exitFailed
        }
        defer { lock.release() }
        let signal = ShutdownSignal()
        signal.installHandlers()
        var options = AgentService.Options()
        options.pollInterval = context.configuration.sync.pollInterval
        let engine = context.makeEngine(state: try context.openState())
        var afterPass: @Sendable (PassResult?) async -> Void = { _ in }
        if context.configuration.revenue.isEnabled {
            let recorder = RevenueCommand.makeRecorder(context: context, state: try context.openState())
            let revenue = RevenuePoller(
                recorder: recorder,
                interval: context.configuration.revenue.pollInterval,
                logger: context.logger
            )
            afterPass = { await revenue.afterPass($0) }
        }
        let service = AgentService(
            engine: engine,
            signal: signal,
            options: options,
            logger: context.logger,
            afterPass: afterPass
        )
        return await service.run()
    }
}
