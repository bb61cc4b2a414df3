/// Keeps the store's word on its quota and holds requests back until the quota allows them: a small
/// reserve of `X-Rate-Limit-Requests-Left` is never spent, and after a 429 nothing is sent until the
/// wait it asked for (or the backoff chosen for it) is over. Also tallies requests by outcome.
actor RequestPacer {
    /// How a request ended, for `RequestCounts`.
    enum Outcome {
        case succeeded
        case rateLimited
        case serverError
        case clientError
        case transportError
    }

    private let reserve: Int
    private let sleep: @Sendable (Duration) async throws -> Void
    private let now: @Sendable () -> ContinuousClock.Instant
    private let onEvent: @Sendable (StoreClientEvent) -> Void

    private var requestsLeft: Int?
    private var resetAt: ContinuousClock.Instant?
    private var inFlight = 0
    private var resumeAt: ContinuousClock.Instant?
    private var resumeReason = QuotaWaitReason.rateLimited
    private var counts = RequestCounts()
    /// Requests waiting for the answer of the one request sent while the quota is unknown.
    private var probeWaiters: [CheckedContinuation<Void, Never>] = []
    /// False once the store answered without quota headers (then nothing is held back for them).
    private var storeReportsQuota = true
    /// Requests that other apps spend per request of ours, as seen from the drop of `requestsLeft`
    /// between answers (halved at every answer that shows less).
    private var otherAppsSpend = 0.0
    /// True once two answers in one window showed how fast the quota drains.
    private var knowsDrainRate = false

    init(
        reserve: Int,
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        now: @escaping @Sendable () -> ContinuousClock.Instant,
        onEvent: @escaping @Sendable (StoreClientEvent) -> Void
    ) {
        self.reserve = reserve
        self.sleep = sleep
        self.now = now
        self.onEvent = onEvent
    }

    /// Waits until a request may be sent, then counts it as in flight until `finish(headers:)`.
    func acquireTurn() async throws {
        while true {
            try Task.checkCancellation()
            let current = now()
            if let until = resumeAt, until > current {
                try await wait(until - current, reason: resumeReason)
                if resumeAt == until { resumeAt = nil }
                continue
            }
            resumeAt = nil
            // Until two answers showed how much is left and how fast other apps drain it, one request
            // goes at a time, so that concurrent requests cannot overrun a quota other apps spend.
            if (requestsLeft == nil || !knowsDrainRate) && inFlight > 0 && storeReportsQuota {
                await withCheckedContinuation { probeWaiters.append($0) }
                continue
            }
            if let left = requestsLeft, !leavesReserve(left: left) {
                if let reset = resetAt, reset > current {
                    try await wait(reset - current, reason: .reserveReached)
                    if resetAt == reset { forgetQuota() }
                    continue
                }
                forgetQuota()
            }
            inFlight += 1
            return
        }
    }

    /// Ends a request begun with `acquireTurn()`, keeping the quota its answer reports (if any).
    func finish(headers: HTTPHeaders?) {
        inFlight = max(inFlight - 1, 0)
        defer { wakeProbeWaiters() }
        guard let headers else { return }
        guard let left = headers.integer("X-Rate-Limit-Requests-Left") else {
            storeReportsQuota = false
            return
        }
        storeReportsQuota = true
        if let previous = requestsLeft, left <= previous {
            otherAppsSpend = max(Double(previous - left - 1), otherAppsSpend / 2)
            knowsDrainRate = true
        }
        requestsLeft = left
        resetAt = headers.integer("X-Rate-Limit-Time-Reset-Ms").map { now() + .milliseconds($0) }
    }

    /// True when one more request (with those in flight, and what other apps spend meanwhile) still
    /// leaves the reserve untouched.
    private func leavesReserve(left: Int) -> Bool {
        let projected = Double(left) - Double(inFlight + 1) * (1 + otherAppsSpend)
        return projected >= Double(reserve)
    }

    private func wakeProbeWaiters() {
        let waiters = probeWaiters
        probeWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Sends nothing more until `delay` from now has passed (a 429's wait).
    func holdOff(for delay: Duration, reason: QuotaWaitReason) {
        let until = now() + delay
        if let current = resumeAt, current >= until { return }
        resumeAt = until
        resumeReason = reason
    }

    /// Tallies one request that got an answer (or none).
    func record(_ kind: StoreRequestKind, outcome: Outcome) {
        counts.total += 1
        counts.byKind[kind.rawValue, default: 0] += 1
        switch outcome {
        case .succeeded: counts.succeeded += 1
        case .rateLimited: counts.rateLimited += 1
        case .serverError: counts.serverErrors += 1
        case .clientError: counts.clientErrors += 1
        case .transportError: counts.transportErrors += 1
        }
    }

    /// The tallies so far.
    func requestCounts() -> RequestCounts {
        counts
    }

    private func wait(_ delay: Duration, reason: QuotaWaitReason) async throws {
        let milliseconds = Int((delay.seconds * 1000).rounded(.up))
        onEvent(.waitingForQuota(milliseconds: milliseconds, reason: reason))
        try await sleep(delay)
    }

    private func forgetQuota() {
        requestsLeft = nil
        resetAt = nil
    }
}
