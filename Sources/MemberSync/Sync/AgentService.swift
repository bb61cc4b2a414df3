import Foundation

/// The long-running service (`membersync run`): follows the change log every poll interval, runs the
/// full sync when it is due, backs off while MC Trade or the store is unavailable, and stops cleanly
/// between passes on SIGTERM or SIGINT.
public final class AgentService: Sendable {
    public struct Options: Sendable {
        public var pollInterval: Duration = .milliseconds(500)
        /// Longest wait between tries while something is failing.
        public var maxBackoff: Duration = .seconds(60)

        public init() {}
    }

    let engine: SyncEngine
    let signal: ShutdownSignal
    let options: Options
    let logger: Logger
    /// Called after every pass (metrics, revenue); errors are logged, not fatal.
    let afterPass: @Sendable (PassResult?) async -> Void

    public init(
        engine: SyncEngine,
        signal: ShutdownSignal,
        options: Options = Options(),
        logger: Logger,
        afterPass: @escaping @Sendable (PassResult?) async -> Void = { _ in }
    ) {
        self.engine = engine
        self.signal = signal
        self.options = options
        self.logger = logger
        self.afterPass = afterPass
    }

    /// Runs until a stop is requested. Returns the process exit code.
    public func run() async -> Int32 {
        logger.info("service started", metadata: ["poll.ms": "\(options.pollInterval.milliseconds)"])
        var backoff = options.pollInterval
        var lastProblem: String?
        while !signal.isStopRequested {
            do {
                let result = try await runOnePass()
                await engine.notePassSucceeded()
                if lastProblem != nil { logger.notice("recovered; back to normal") }
                lastProblem = nil
                // A refused full sync stays owed; asking again every poll would only spend the quota.
                backoff = result.outcome == .refused ? .seconds(300) : options.pollInterval
                await afterPass(result)
            } catch {
                await engine.notePassFailure(error)
                let problem = "\(error)"
                if problem != lastProblem { logger.error("pass failed; will try again", metadata: ["error": "\(problem)"]) }
                lastProblem = problem
                backoff = min(max(backoff * 2, .seconds(1)), options.maxBackoff)
                await afterPass(nil)
            }
            if signal.takeReloadRequest() { logger.notice("SIGHUP: configuration is re-read at the next start") }
            await signal.sleep(for: backoff)
        }
        logger.info("service stopped")
        return 0
    }

    func runOnePass() async throws -> PassResult {
        if let reason = try await engine.fullSyncDue() {
            logger.info("full sync starting", metadata: ["reason": "\(reason)"])
            return try await engine.runFullSync(dryRun: false, force: false)
        }
        return try await engine.runChangePass(dryRun: false)
    }
}

extension Duration {
    var milliseconds: Int64 {
        let parts = components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
