import Synchronization

/// When the service last showed it is alive. The store client beats on every request answered (or
/// failed) and every wait for the rate limit, the engine on every batch written, and the service
/// loop between passes and while it waits for the next one; the watchdog pings systemd only while
/// the last beat is recent. A pass that hangs without any of these stops the pings.
public final class Heartbeat: Sendable {
    private let last: Mutex<ContinuousClock.Instant>

    public init() {
        last = Mutex(.now)
    }

    /// Something moved.
    public func beat() {
        last.withLock { $0 = .now }
    }

    /// A store client event: a beat, unless a revenue pass made the request (the revenue poller runs
    /// every minute beside the sync passes and would hide a sync pass that is stuck).
    public func beatForStoreEvent() {
        if !RevenuePoller.isInPass { beat() }
    }

    /// Time since the last beat.
    public var silence: Duration {
        ContinuousClock.now - last.withLock { $0 }
    }
}
