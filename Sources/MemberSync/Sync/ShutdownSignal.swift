import Dispatch
import Foundation
import Synchronization

/// SIGTERM and SIGINT ask the service to stop after the pass in flight; SIGHUP asks it to re-read its
/// configuration. Waits in the service loop wake up at once when a signal arrives.
public final class ShutdownSignal: Sendable {
    private struct State {
        var stopRequested = false
        var reloadRequested = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    /// Kept alive for the life of the process; written once, by `installHandlers`, at start-up.
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []

    public init() {}

    /// Starts listening for SIGTERM, SIGINT and SIGHUP (their default actions are turned off).
    public func installHandlers() {
        var installed: [any DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                if number == SIGHUP { self?.requestReload() } else { self?.requestStop() }
            }
            source.resume()
            installed.append(source)
        }
        sources = installed
    }

    public var isStopRequested: Bool { state.withLock { $0.stopRequested } }

    public func requestStop() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.stopRequested = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    public func requestReload() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.reloadRequested = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// True once after SIGHUP.
    public func takeReloadRequest() -> Bool {
        state.withLock { state in
            defer { state.reloadRequested = false }
            return state.reloadRequested
        }
    }

    /// Sleeps for `duration`, or less when a signal arrives.
    public func sleep(for duration: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await self.waitForSignal() }
            await group.next()
            group.cancelAll()
            self.wakeAll()
        }
    }

    private func waitForSignal() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.stopRequested || state.reloadRequested { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func wakeAll() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
