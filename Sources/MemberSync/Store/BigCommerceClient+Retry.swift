import Foundation

extension BigCommerceClient {
    /// After a 429: holds every request back for the wait the store asked for (at least 1 s), or for
    /// a jittered exponential backoff from 1 s when it said nothing. Does not spend `maxAttempts`.
    func holdOffAfterRateLimit(_ endpoint: Endpoint, wait: Duration?, hits: Int, attempt: Int) async throws {
        guard hits <= configuration.maxRateLimitWaits else {
            throw StoreError.unavailable(
                endpoint: endpoint.label,
                attempts: attempt,
                lastError: "still rate limited after \(hits - 1) waits"
            )
        }
        if let wait {
            await pacer.holdOff(for: max(wait, .seconds(1)), reason: .rateLimited)
        } else {
            await pacer.holdOff(for: rateLimitBackoff(hits: hits), reason: .rateLimitedWithoutHeaders)
        }
    }

    /// A 5xx: GET and PUT back off and try again within `maxAttempts`; a create is never sent again,
    /// and a 502/504 (a proxy that may have let the create through) leaves it in doubt.
    func handleServerError(_ detail: String, _ status: Int, _ endpoint: Endpoint, attempt: Int, failures: Int)
        async throws
    {
        if endpoint.method == "POST" {
            if status == 502 || status == 504 {
                throw StoreError.createInDoubt(endpoint: endpoint.label, underlying: detail)
            }
            throw StoreError.unavailable(endpoint: endpoint.label, attempts: attempt, lastError: detail)
        }
        try await retryOrGiveUp(endpoint, attempt: attempt, failures: failures, errorKind: "server_error", detail)
    }

    /// No answer: GET and PUT back off and try again; a create that may have been sent is in doubt,
    /// one that certainly was not is unavailable.
    func handleTransportError(_ error: Error, _ endpoint: Endpoint, attempt: Int, failures: Int) async throws {
        let transportError = error as? HTTPTransportError
        let detail = redactor.scrub(transportError?.description ?? "transport failure")
        if endpoint.method == "POST" {
            if transportError?.kind == .notSent {
                throw StoreError.unavailable(endpoint: endpoint.label, attempts: attempt, lastError: detail)
            }
            let underlying = error is CancellationError ? "cancelled while waiting for the answer" : detail
            throw StoreError.createInDoubt(endpoint: endpoint.label, underlying: underlying)
        }
        if error is CancellationError || Task.isCancelled { throw CancellationError() }
        try await retryOrGiveUp(endpoint, attempt: attempt, failures: failures, errorKind: "transport_error", detail)
    }

    private func retryOrGiveUp(_ endpoint: Endpoint, attempt: Int, failures: Int, errorKind: String, _ detail: String)
        async throws
    {
        guard failures < configuration.maxAttempts else {
            throw StoreError.unavailable(endpoint: endpoint.label, attempts: attempt, lastError: detail)
        }
        let delay = retryBackoff(failures: failures)
        onEvent(
            .retrying(
                method: endpoint.method,
                path: endpoint.path,
                attempt: attempt,
                delay: delay,
                errorKind: errorKind
            )
        )
        try await sleep(delay)
    }

    /// Full jitter over `baseDelay · 2^(failures-1)` capped at `maxDelay`, never below half the base.
    func retryBackoff(failures: Int) -> Duration {
        let base = configuration.baseDelay.seconds
        let ceiling = min(configuration.maxDelay.seconds, base * pow(2, Double(min(failures - 1, 30))))
        let floor = min(base / 2, ceiling)
        return .milliseconds(Int((Double.random(in: floor...ceiling) * 1000).rounded(.up)))
    }

    /// From 1 s, doubling with each headerless 429 in a row, plus up to 50% jitter, capped at
    /// `maxDelay`; never below 1 s.
    func rateLimitBackoff(hits: Int) -> Duration {
        let cap = max(configuration.maxDelay.seconds, 1)
        let ceiling = min(cap, pow(2, Double(min(hits - 1, 30))))
        let jittered = min(cap, ceiling * Double.random(in: 1...1.5))
        return .milliseconds(Int((max(jittered, 1) * 1000).rounded(.up)))
    }
}
