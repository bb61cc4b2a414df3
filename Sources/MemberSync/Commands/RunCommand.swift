import Foundation

/// `membersync run`: the service, under systemd or on a terminal.
enum RunCommand {
    static func run(_ words: [String]) async throws -> Int32 {
        FreedMemory.useOneArena()
        let arguments = try CommandLineArguments(words, valueOptions: ["config"], flags: [])
        guard arguments.positional.isEmpty else {
            throw UsageError("run takes no arguments, got '\(arguments.positional.joined(separator: " "))'")
        }
        guard let configPath = arguments.value("config") else { throw UsageError("--config FILE is required") }
        let configuration = try Configuration.load(path: configPath)
        let handler = ReloadableLogHandler(level: configuration.logging.level)
        // The store client's every answer and wait for a sync pass (not for a revenue pass), and the
        // engine's every batch, show a pass is alive.
        let heartbeat = Heartbeat()
        let context = try AgentContext(
            configuration: configuration,
            logHandler: handler,
            logLevel: .trace,
            onStoreEvent: { _ in heartbeat.beatForStoreEvent() }
        )
        try StateDirectoryMissing.check(path: configuration.stateDatabasePath)
        let attempt = try ProcessLock.acquire(
            statePath: configuration.stateDatabasePath,
            command: "run",
            timeout: 0
        )
        guard let lock = attempt.lock else {
            let holder = attempt.holder.map(\.description) ?? "another process"
            MemberSyncCommand.printError(
                "membersync: the state file is in use by \(holder); is the service already running? "
                    + "('systemctl status membersync' or 'membersync status')"
            )
            return MemberSyncCommand.exitFailed
        }
        defer { lock.release() }
        let signal = ShutdownSignal()
        signal.installHandlers()
        var options = AgentService.Options()
        options.pollInterval = configuration.sync.pollInterval
        options.watchdogInterval = SystemdNotifier.watchdogInterval().map { $0 / 2 }
        let progress = ProgressReporter.forStandardError(logger: context.logger)
        let engine = context.makeEngine(state: try context.openState()) { done in
            progress.report(done)
            heartbeat.beat()
        }
        var hooks = AgentService.Hooks(notifier: SystemdNotifier(), heartbeat: heartbeat)
        hooks.reload = { @Sendable in
            try reload(path: configPath, handler: handler, running: configuration, logger: context.logger)
        }
        if let path = configuration.metrics.file {
            hooks.writeMetrics = { @Sendable in try await writeMetrics(context: context, path: path) }
        }
        var revenue: RevenuePoller?
        if configuration.revenue.isEnabled {
            revenue = RevenuePoller(
                recorder: RevenueCommand.makeRecorder(context: context, state: try context.openState()),
                interval: configuration.revenue.pollInterval,
                logger: context.logger
            )
        }
        let service = AgentService(
            engine: engine,
            signal: signal,
            options: options,
            logger: context.logger,
            hooks: hooks,
            revenue: revenue
        )
        return await service.run()
    }

    /// SIGHUP: re-reads the file; applies `logging.level` and returns `sync.poll_interval_ms`. Other
    /// keys take effect at the next start: a warning names those that differ from the `running` ones.
    static func reload(path: String, handler: ReloadableLogHandler, running: Configuration, logger: Logger) throws
        -> Duration
    {
        let configuration = try Configuration.load(path: path)
        handler.setLevel(configuration.logging.level)
        let waiting = running.keysNeedingRestart(toApply: configuration)
        if !waiting.isEmpty {
            logger.warning(
                "configuration re-read; changed keys take effect only after a restart",
                metadata: ["keys": "\(waiting.joined(separator: ", "))", "restart": "systemctl restart membersync"]
            )
        }
        return configuration.sync.pollInterval
    }

    /// Writes the metrics file from a fresh read of the state file and the client's request counts.
    static func writeMetrics(context: AgentContext, path: String) async throws {
        let snapshot = try AgentSnapshot.read(state: try context.openState(), source: context.source)
        let requests = await context.store.requestCounts()
        try MetricsFile(path: path).write(MetricsFile.render(snapshot, requests: requests))
    }
}
