import Foundation

/// Runs the service's revenue passes: one every `interval`, and one after every full sync. Called from
/// `AgentService`'s after-pass hook, so a revenue pass never runs beside a sync pass. A failed pass is
/// logged (once while it keeps failing the same way) and tried again at the next interval.
public actor RevenuePoller {
    let recorder: RevenueRecorder
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date
    private var lastAttempt: Date?
    private var lastProblem: String?

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

    /// Runs a revenue pass when one is due after `pass` (nil: the pass failed); returns it, if one ran.
    @discardableResult
    public func afterPass(_ pass: PassResult?) async -> RevenuePassResult? {
        let isFullSync = pass.map { $0.kind == .full && !$0.isDryRun } ?? false
        guard isFullSync || isDue else { return nil }
        lastAttempt = now()
        do {
            let result = try await recorder.recordRecentOrders(kind: isFullSync ? .full : .live)
            if lastProblem != nil { logger.notice("revenue recovered") }
            lastProblem = nil
            log(result)
            return result
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

    private func log(_ result: RevenuePassResult) {
        let metadata: Logger.Metadata = [
            "revenue.kind": "\(result.kind.rawValue)", "revenue.pages": "\(result.pages)",
            "revenue.requests": "\(result.requests)", "revenue.listed": "\(result.listed)",
            "revenue.inserted": "\(result.inserted)", "revenue.updated": "\(result.updated)",
        ]
        if result.inserted + result.updated > 0 || result.kind == .full {
            logger.info("revenue recorded", metadata: metadata)
        } else {
            logger.debug("revenue recorded", metadata: metadata)
        }
    }
}
