import Foundation

/// Runs the service's revenue passes on their own schedule: one at start, one every `interval`, and
/// one at once after every full sync. The schedule does not wait for the sync passes: a refused or
/// long full sync does not hold orders back. Both share the store client, so its pacing keeps the two
/// within the store's quota together. A failed pass is logged (once while it keeps failing the same
/// way) and tried again at the next interval.
public actor RevenuePoller {
    let recorder: RevenueRecorder
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date
    private var lastAttempt: Date?
    private var lastProblem: String?
    private var fullSyncFinished = false

    /// True inside a revenue pass of a poller: the service's watchdog heartbeat leaves out its store
    /// requests, so that a poller busy every minute cannot hide a sync pass that is stuck.
    @TaskLocal public static var isInPass = false

    public init(
        recorder: RevenueRecorder,
        interval: Duration,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.recorder = recorder
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    /// Runs passes until the calling task is cancelled (the service cancels it when asked to stop),
    /// looking every `tick` whether one is due. A pass in flight is cancelled with the task: it stops
    /// at its next store request or page, and the high-water mark stays where it was.
    // TODO: until the store client has learned the quota it sends one request at a time, so a slow
    // first order listing at start delays the first sync pass by up to a request timeout (30 s); it
    // matters only when the store answers slowly right at start.
    public func run(tick: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            await runIfDue()
            try? await Task.sleep(for: tick)
        }
    }

    /// Notes a finished sync pass: a full sync that wrote (not a dry run) makes the next revenue pass
    /// due at once.
    public func noteSyncPass(_ pass: PassResult) {
        if pass.kind == .full && !pass.isDryRun && pass.outcome != .refused { fullSyncFinished = true }
    }

    /// Runs a revenue pass when one is due; returns it, if one ran and succeeded.
    @discardableResult
    public func runIfDue() async -> RevenuePassResult? {
        let afterFullSync = fullSyncFinished
        guard afterFullSync || isDue else { return nil }
        fullSyncFinished = false
        lastAttempt = now()
        do {
            let kind: RevenuePassResult.Kind = afterFullSync ? .full : .live
            let result = try await Self.$isInPass.withValue(true) { try await recorder.recordRecentOrders(kind: kind) }
            if lastProblem != nil { logger.notice("revenue recovered") }
            lastProblem = nil
            log(result)
            return result
        } catch is CancellationError {
            logger.notice("revenue pass stopped before its end; the next start lists the same orders again")
            return nil
        } catch {
            let problem = "\(error)"
            if problem != lastProblem {
                logger.error("revenue pass failed; will try again", metadata: ["error": "\(problem)"])
            }
            lastProblem = problem
            return nil
        }
    }

    private var isDue: Bool {
        guard let lastAttempt else { return true }
        return now().timeIntervalSince(lastAttempt) >= interval.seconds
    }

    /// The summary line of a pass. A pass that recorded nothing new logs at debug, so that a quiet
    /// store does not fill the journal with a line a minute.
    private func log(_ result: RevenuePassResult) {
        if result.inserted + result.updated > 0 || result.kind == .full {
            logger.info("revenue recorded", metadata: result.logMetadata)
        } else {
            logger.debug("revenue recorded", metadata: result.logMetadata)
        }
    }
}
