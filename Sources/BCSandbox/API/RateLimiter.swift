import Foundation
import Synchronization

/// The store's shared request quota: a fixed window that starts with the first request after the last one ended.
final class RateLimiter: Sendable {
    /// What the rate-limit headers report.
    struct Snapshot: Sendable {
        var quota: Int
        var windowMilliseconds: Int
        var left: Int
        var resetMilliseconds: Int

        /// `X-Retry-After`: whole seconds until the reset, rounded up.
        var retryAfterSeconds: Int { max(1, (resetMilliseconds + 999) / 1000) }

        var json: [String: Any] {
            ["quota": quota, "window_ms": windowMilliseconds, "left": left, "reset_ms": resetMilliseconds]
        }
    }

    private struct State {
        var quota: Int
        var windowMilliseconds: Int
        var windowStart: Int64?
        var used = 0
        var spendPerRequest = 0
    }

    private let clock: @Sendable () -> Int64
    private let defaults: (quota: Int, window: Int)
    private let state: Mutex<State>

    /// A quota below 0 counts as 0 and a window below 1 ms as 1 ms, as `configure` treats them.
    init(quota: Int, windowMilliseconds: Int, clock: @escaping @Sendable () -> Int64) {
        let quota = max(0, quota)
        let windowMilliseconds = max(1, windowMilliseconds)
        self.clock = clock
        self.defaults = (quota, windowMilliseconds)
        self.state = Mutex(State(quota: quota, windowMilliseconds: windowMilliseconds))
    }

    /// Spends one request if any is left; returns whether it was allowed and the state afterwards.
    func acquire() -> (allowed: Bool, snapshot: Snapshot) {
        let now = clock()
        return state.withLock { state in
            Self.roll(&state, now: now)
            guard state.used < state.quota else { return (false, Self.snapshot(state, now: now)) }
            if state.windowStart == nil { state.windowStart = now }
            state.used += 1
            // "Another app" spends while our request is handled, so this answer's headers show it.
            state.used = min(state.quota, state.used + state.spendPerRequest)
            return (true, Self.snapshot(state, now: now))
        }
    }

    func snapshot() -> Snapshot {
        let now = clock()
        return state.withLock { state in
            Self.roll(&state, now: now)
            return Self.snapshot(state, now: now)
        }
    }

    /// Changes the settings; `spend` is used up at once by another app.
    func configure(quota: Int?, windowMilliseconds: Int?, spend: Int?, spendPerRequest: Int?) {
        let now = clock()
        state.withLock { state in
            Self.roll(&state, now: now)
            if let quota { state.quota = max(0, quota) }
            if let windowMilliseconds { state.windowMilliseconds = max(1, windowMilliseconds) }
            if let spendPerRequest { state.spendPerRequest = max(0, spendPerRequest) }
            if let spend, spend > 0 {
                if state.windowStart == nil { state.windowStart = now }
                state.used = min(state.quota, state.used + spend)
            }
        }
    }

    /// Back to the configured defaults with a fresh window.
    func reset() {
        state.withLock { $0 = State(quota: defaults.quota, windowMilliseconds: defaults.window) }
    }

    private static func roll(_ state: inout State, now: Int64) {
        guard let start = state.windowStart, now - start >= Int64(state.windowMilliseconds) else { return }
        state.windowStart = nil
        state.used = 0
    }

    private static func snapshot(_ state: State, now: Int64) -> Snapshot {
        let reset = state.windowStart.map { Int($0 + Int64(state.windowMilliseconds) - now) }
        return Snapshot(
            quota: state.quota,
            windowMilliseconds: state.windowMilliseconds,
            left: max(0, state.quota - state.used),
            resetMilliseconds: max(0, reset ?? state.windowMilliseconds)
        )
    }
}

/// Counts in-flight requests per endpoint, to refuse those beyond the store's concurrency limits.
final class ConcurrencyGate: Sendable {
    private let inFlight = Mutex([String: Int]())

    /// Enters `key`; returns false (and does not enter) when `limit` requests are already in flight.
    func enter(_ key: String, limit: Int) -> Bool {
        inFlight.withLock { counts in
            let current = counts[key, default: 0]
            guard current < limit else { return false }
            counts[key] = current + 1
            return true
        }
    }

    func leave(_ key: String) {
        inFlight.withLock { $0[key, default: 1] -= 1 }
    }
}
