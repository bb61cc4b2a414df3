import Foundation
import Synchronization

/// The long-running service (`membersync run`): follows the change log every poll interval, runs the
/// full sync when it is due, records store orders on their own schedule beside the passes, backs off
/// while MC Trade or the store is unavailable, and stops on SIGTERM or SIGINT within `stopGrace` of
/// the request: a pass, revenue pass or metrics write still running then is cancelled, and abandoned
/// when it does not end in time. That is safe: the outbox, the cursor and the owed full sync are
/// recorded before any write, and the revenue mark moves only after a pass's rows are committed.
public final class AgentService: Sendable {
    public struct Options: Sendable {
        public var pollInterval: Duration = .milliseconds(500)
        /// Longest wait between tries while something is failing.
        public var maxBackoff: Duration = .seconds(60)
        /// How long the service may go on after a stop request before it abandons what is in flight.
        public var stopGrace: Duration = .seconds(7)
        /// How often to send `WATCHDOG=1` (half of `WatchdogSec=`); nil for never.
        public var watchdogInterval: Duration?
        /// How long the service may go without a heartbeat before the watchdog pings stop, so that
        /// systemd restarts it. Several times the longest silence a working pass has: a request that
        /// times out (30 s), then a retry or rate-limit wait (up to 30 s), each of which beats.
        public var stallLimit: Duration = .seconds(180)
        /// How often the revenue schedule looks whether a revenue pass is due.
        public var revenueTick: Duration = .seconds(1)

        public init() {}
    }

    /// What the service tells the outside world, and how it re-reads its configuration.
    public struct Hooks: Sendable {
        /// Receives `READY=1`, `STATUS=` lines and watchdog pings.
        public var notifier: SystemdNotifier?
        /// Re-reads the configuration on SIGHUP and returns the new poll interval (it applies the log
        /// level itself); a thrown error keeps the old settings.
        public var reload: (@Sendable () throws -> Duration)?
        /// Writes the metrics file; called at start and after every pass.
        public var writeMetrics: (@Sendable () async throws -> Void)?
        /// Beaten by the service loop, and by whoever else shows progress within a pass (the store
        /// client's events, the engine's batches); the watchdog pings only while it beats.
        public var heartbeat: Heartbeat

        public init(
            notifier: SystemdNotifier? = nil,
            reload: (@Sendable () throws -> Duration)? = nil,
            writeMetrics: (@Sendable () async throws -> Void)? = nil,
            heartbeat: Heartbeat = Heartbeat()
        ) {
            self.notifier = notifier
            self.reload = reload
            self.writeMetrics = writeMetrics
            self.heartbeat = heartbeat
        }
    }

    let engine: SyncEngine
    let signal: ShutdownSignal
    let options: Options
    let logger: Logger
    let hooks: Hooks
    /// Records store orders on its own schedule; nil when `revenue.enabled` is off.
    let revenue: RevenuePoller?
    private let pollInterval: Mutex<Duration>
    /// When everything still in flight is abandoned: set when a stop request is first seen.
    private let stopDeadline = Mutex<ContinuousClock.Instant?>(nil)

    public init(
        engine: SyncEngine,
        signal: ShutdownSignal,
        options: Options = Options(),
        logger: Logger,
        hooks: Hooks = Hooks(),
        revenue: RevenuePoller? = nil
    ) {
        self.engine = engine
        self.signal = signal
        self.options = options
        self.logger = logger
        self.hooks = hooks
        self.revenue = revenue
        self.pollInterval = Mutex(options.pollInterval)
    }

    /// Runs until a stop is requested. Returns the process exit code.
    public func run() async -> Int32 {
        logger.info("service started", metadata: ["poll.ms": "\(currentPollInterval.milliseconds)"])
        let watchdog = startWatchdog()
        defer { watchdog?.cancel() }
        let revenueTask = revenue.map { poller in Task { await poller.run(tick: options.revenueTick) } }
        await writeMetricsUntilStop()
        notify { try $0.ready(status: "started; first pass running") }
        var backoff = currentPollInterval
        var lastProblem: String?
        while !signal.isStopRequested {
            hooks.heartbeat.beat()
            let started = ContinuousClock.now
            let requestsBefore = await engine.requestTotal()
            switch await untilStop({ await self.runOnePassCatching() }) {
            case nil:
                logger.notice("stopping with a pass in flight; its work stays in the outbox for the next start")
                return await stop(revenueTask)
            case .success(let result)?:
                await engine.notePassSucceeded()
                if lastProblem != nil { logger.notice("recovered; back to normal") }
                lastProblem = nil
                // A refused full sync stays owed; asking again every poll would only spend the quota.
                backoff = result.outcome == .refused ? .seconds(300) : currentPollInterval
                if result.outcome == .refused { await engine.logPass(result, duration: ContinuousClock.now - started) }
                notify { try $0.status(Self.statusLine(result)) }
                await revenue?.noteSyncPass(result)
            case .failure(let error)? where error is CancellationError:
                // Only a stop request cancels a pass: no failure, the rest stays owed.
                logger.notice(
                    "pass stopped by the stop request; its unsent work stays in the outbox for the next start"
                )
            case .failure(let error)?:
                await engine.notePassFailure(error)
                let problem = LogPrivacy.maskingEmails("\(error)")
                if problem != lastProblem {
                    let requests = await engine.requestTotal() - requestsBefore
                    logger.error(
                        "pass failed; will try again",
                        metadata: [
                            "error": "\(problem)", "requests": "\(requests)",
                            "duration.ms": "\((ContinuousClock.now - started).milliseconds)",
                        ]
                    )
                }
                lastProblem = problem
                backoff = min(max(backoff * 2, .seconds(1)), options.maxBackoff)
                notify { try $0.status("pass failed, retrying in \(backoff.milliseconds / 1000) s: \(problem)") }
            }
            hooks.heartbeat.beat()
            await writeMetricsUntilStop()
            FreedMemory.release()
            if signal.takeReloadRequest() { reload() }
            await waitForNextPass(backoff)
        }
        return await stop(revenueTask)
    }

    var currentPollInterval: Duration { pollInterval.withLock { $0 } }

    func runOnePass() async throws -> PassResult {
        // `membersync sync --force` run beside the service asks for one pass past the safety rails.
        let force = await engine.takeForceRequest()
        if force { logger.notice("an operator asked for a pass past the safety rails") }
        if let reason = try await engine.fullSyncDue() {
            logger.info("full sync starting", metadata: ["reason": "\(reason)"])
            return try await engine.runFullSync(dryRun: false, force: force)
        }
        return try await engine.runChangePass(dryRun: false, force: force)
    }

    /// Waits `backoff`, but wakes at the next poll when an operator asked for a full sync or a forced
    /// pass (a long wait after a refusal must not make them wait too). Beats the heartbeat at least
    /// four times per `stallLimit`: waiting is alive.
    func waitForNextPass(_ backoff: Duration) async {
        var remaining = backoff
        while remaining > .zero && !signal.isStopRequested {
            let slice = min(remaining, currentPollInterval, options.stallLimit / 4)
            await signal.sleep(for: slice)
            hooks.heartbeat.beat()
            remaining -= slice
            if remaining > .zero, await engine.hasOperatorRequest() { return }
        }
    }

    /// Cancels the revenue schedule and waits for it until the stop deadline, then says goodbye.
    private func stop(_ revenueTask: Task<Void, Never>?) async -> Int32 {
        if let revenueTask {
            revenueTask.cancel()
            if await untilStop({ await revenueTask.value }) == nil {
                logger.notice("stopping with a revenue pass in flight; the next start lists the same orders again")
            }
        }
        notify { try $0.stopping(status: "stopping") }
        logger.info("service stopped")
        return 0
    }

    // MARK: - Work bounded by the stop grace

    func runOnePassCatching() async -> Result<PassResult, any Error> {
        do {
            return .success(try await runOnePass())
        } catch {
            return .failure(error)
        }
    }

    /// Runs `work`; once a stop is requested it is cancelled, and when it has not ended by the stop
    /// deadline (`stopGrace` after the request was first seen, shared by everything in flight) it is
    /// left behind and nil is returned.
    func untilStop<Value: Sendable>(_ work: @escaping @Sendable () async -> Value) async -> Value? {
        let task = Task { await work() }
        let end = OneShot<Value?>()
        let watcher = Task {
            while !signal.isStopRequested { try await Task.sleep(for: .milliseconds(50)) }
            task.cancel()
            try await Task.sleep(until: deadlineAfterStop(), clock: .continuous)
            end.resume(nil)
        }
        Task { end.resume(await task.value) }
        let result = await end.value
        watcher.cancel()
        return result
    }

    private func deadlineAfterStop() -> ContinuousClock.Instant {
        stopDeadline.withLock { deadline in
            if let deadline { return deadline }
            let now = ContinuousClock.now + options.stopGrace
            deadline = now
            return now
        }
    }

    // MARK: - Hooks

    private func reload() {
        guard let reload = hooks.reload else {
            logger.notice("SIGHUP: nothing to re-read")
            return
        }
        notify { try $0.reloading() }
        do {
            let interval = try reload()
            pollInterval.withLock { $0 = interval }
            logger.notice("configuration re-read", metadata: ["poll.ms": "\(interval.milliseconds)"])
        } catch {
            logger.error("configuration not re-read; keeping the old one", metadata: ["error": "\(error)"])
        }
        notify { try $0.ready(status: "configuration re-read") }
    }

    private func writeMetricsUntilStop() async {
        guard let write = hooks.writeMetrics else { return }
        let logger = self.logger
        _ = await untilStop {
            do {
                try await write()
            } catch {
                logger.warning("metrics not written", metadata: ["error": "\(error)"])
            }
        }
    }

    private func notify(_ body: (SystemdNotifier) throws -> Void) {
        guard let notifier = hooks.notifier else { return }
        do {
            try body(notifier)
        } catch {
            logger.debug("service manager not notified", metadata: ["error": "\(error)"])
        }
    }

    /// Pings the watchdog from its own task while the heartbeat is younger than `stallLimit`: a long
    /// full sync that keeps answering requests keeps the service alive, while a pass wedged without
    /// progress (a request that never ends, a deadlock) stops the pings, and systemd restarts the
    /// service `WatchdogSec=` later. Pings resume if progress does.
    private func startWatchdog() -> Task<Void, Never>? {
        guard let notifier = hooks.notifier, let interval = options.watchdogInterval else { return nil }
        let logger = self.logger
        let heartbeat = hooks.heartbeat
        let limit = options.stallLimit
        return Task {
            var stalled = false
            while !Task.isCancelled {
                let silence = heartbeat.silence
                if silence > limit {
                    if !stalled {
                        logger.error(
                            "no progress; watchdog pings stopped so that the service manager restarts the service",
                            metadata: ["silence.ms": "\(silence.milliseconds)", "limit.ms": "\(limit.milliseconds)"]
                        )
                    }
                    stalled = true
                } else {
                    if stalled { logger.notice("progress again; watchdog pings resumed") }
                    stalled = false
                    Self.ping(notifier, logger: logger)
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    private static func ping(_ notifier: SystemdNotifier, logger: Logger) {
        do {
            try notifier.watchdog()
        } catch {
            logger.debug("watchdog ping failed", metadata: ["error": "\(error)"])
        }
    }

    static func statusLine(_ result: PassResult) -> String {
        let counts = result.counts
        let kind = result.kind == .full ? "full sync" : "change pass"
        return "last \(kind) \(result.outcome.rawValue): created \(counts.created), updated \(counts.updated), "
            + "removed \(counts.removed), failed \(counts.failed), requests \(counts.requests)"
    }
}

/// A value set once by whichever of several tasks comes first, awaited by one other task.
final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, Never>)
        case done(Value)
    }

    private let state = Mutex(State.empty)

    /// Sets the value; later calls are ignored.
    func resume(_ value: Value) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, Never>? in
            switch state {
            case .done: return nil
            case .empty:
                state = .done(value)
                return nil
            case .waiting(let continuation):
                state = .done(value)
                return continuation
            }
        }
        waiter?.resume(returning: value)
    }

    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Value? in
                    if case .done(let value) = state { return value }
                    state = .waiting(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let parts = components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
