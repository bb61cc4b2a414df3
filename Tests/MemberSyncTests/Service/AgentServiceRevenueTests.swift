import Foundation
import Synchronization
import Testing

@testable import MemberSync

/// The service's revenue schedule: it runs beside the sync passes, not after them, and a stop request
/// ends a revenue pass within the stop grace however slow the store is.
@Suite struct AgentServiceRevenueTests {
    /// A member synced (so linked) and a service whose revenue passes go to `revenueStore`.
    func service(
        _ harness: EngineHarness,
        revenueStore: any CustomerStore,
        signal: ShutdownSignal,
        stopGrace: Duration = .seconds(7)
    ) throws -> AgentService {
        var options = AgentService.Options()
        options.pollInterval = .milliseconds(20)
        options.stopGrace = stopGrace
        options.revenueTick = .milliseconds(20)
        let logger = Logger(label: "test", level: .debug, handler: harness.logs)
        let recorder = RevenueRecorder(
            store: revenueStore,
            state: try StateStore(path: harness.statePath),
            mctradePath: harness.mctrade.path,
            logger: logger
        )
        return AgentService(
            engine: try harness.engine(),
            signal: signal,
            options: options,
            logger: logger,
            revenue: RevenuePoller(recorder: recorder, interval: .milliseconds(100), logger: logger)
        )
    }

    /// The service's exit code, or nil when it has not returned within `limit`.
    func exitCode(of running: Task<Int32, Never>, within limit: Duration) async -> Int32? {
        let end = OneShot<Int32?>()
        Task { end.resume(await running.value) }
        Task {
            try? await Task.sleep(for: limit)
            end.resume(nil)
        }
        return await end.value
    }

    @Test func stopCancelsASlowRevenuePassAtOnce() async throws {
        let harness = try EngineHarness()
        try harness.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.sync()
        // Like a 30 s 429 back-off or request timeout: a wait that cancellation ends.
        let store = SlowOrdersStore(harness.store, hang: .cancellable(.seconds(30)))
        let signal = ShutdownSignal()
        // A grace far longer than the bound below: only cancellation can end the pass in time (a loaded
        // test machine may take seconds to schedule the stop).
        let service = try service(harness, revenueStore: store, signal: signal, stopGrace: .seconds(25))
        let running = Task { await service.run() }
        await store.waitUntilWaiting()
        let start = ContinuousClock.now
        signal.requestStop()
        #expect(await exitCode(of: running, within: .seconds(40)) == 0)
        #expect(ContinuousClock.now - start < .seconds(10), "the stop took \(ContinuousClock.now - start)")
        #expect(harness.logs.messages.contains { $0.hasPrefix("revenue pass stopped before its end") })
        #expect(try harness.state().revenueMark() == nil)
        // Cut by the stop, not failed: status and the metrics show no failed revenue pass for it.
        #expect(try harness.state().revenueRuns(limit: 1).first?["result"] == .text("stopped"))
        #expect(try harness.state().lastRevenueRun() == nil)
    }

    @Test func stopAbandonsARevenuePassThatIgnoresCancellationWithinTheGrace() async throws {
        let harness = try EngineHarness()
        try harness.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.sync()
        let store = SlowOrdersStore(harness.store, hang: .untilReleased)
        defer { store.release() }
        let signal = ShutdownSignal()
        let service = try service(harness, revenueStore: store, signal: signal, stopGrace: .milliseconds(300))
        let running = Task { await service.run() }
        await store.waitUntilWaiting()
        let start = ContinuousClock.now
        signal.requestStop()
        #expect(await exitCode(of: running, within: .seconds(20)) == 0)
        #expect(ContinuousClock.now - start < .seconds(10), "the stop took \(ContinuousClock.now - start)")
        #expect(harness.logs.messages.contains { $0.hasPrefix("stopping with a revenue pass in flight") })
        #expect(try harness.state().revenueMark() == nil)
    }

    @Test func ordersAreRecordedWhileTheSyncPassesAreRefused() async throws {
        let harness = try EngineHarness()
        for id in 1...20 { try harness.member(id, "P\(id)", "Member", email: "p\(id)@example.test") }
        try await harness.sync()
        // A bulk edit past the safety rail: every pass is refused, and the service waits 300 s.
        try harness.mctrade.execute("UPDATE profiles SET is_member = 0 WHERE profile_id <= 12")
        let customer = try #require(try harness.state().links()[1])
        let signal = ShutdownSignal()
        let service = try service(harness, revenueStore: harness.store, signal: signal)
        let running = Task { await service.run() }
        defer { signal.requestStop() }
        #expect(await waitFor { harness.logs.messages.contains("change pass refused") })
        #expect(await waitFor { harness.logs.messages.contains("revenue recorded") })

        let now = ISO8601.string(from: Date())
        harness.store.put(
            StoreOrder(
                id: 900,
                customerID: customer,
                statusID: 11,
                status: "Awaiting Fulfillment",
                totalIncTax: "42.0000",
                currencyCode: "USD",
                dateCreated: now,
                dateModified: now
            )
        )
        #expect(await waitFor { (try? harness.mctrade.revenueRows().count) == 1 })
        func isRefusedSummary(_ record: LogRecord) -> Bool {
            record.message == "pass finished" && record.metadata["pass.outcome"] == "refused"
        }
        #expect(await waitFor { harness.logs.records.contains(where: isRefusedSummary) })
        let refusedSummary = try #require(harness.logs.records.first(where: isRefusedSummary))
        #expect(refusedSummary.metadata["pass.kind"] == "changes")
        #expect(refusedSummary.metadata["removed"] == "0")
        #expect(refusedSummary.metadata["requests"] != nil)
        #expect(refusedSummary.metadata["duration.ms"] != nil)
        signal.requestStop()
        #expect(await exitCode(of: running, within: .seconds(10)) == 0)
    }

    /// Polls `condition` for up to 10 s.
    func waitFor(_ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}

/// Passes everything to an in-memory store, except order listings, which hang: for a while unless
/// cancelled (a 429 back-off), or until released whatever happens (a dead connection).
final class SlowOrdersStore: ForwardingStore, Sendable {
    enum Hang: Sendable {
        case cancellable(Duration)
        case untilReleased
    }

    let base: InMemoryStore
    let hang: Hang
    private let waiting = Mutex<
        (stuck: [CheckedContinuation<Void, Never>], watchers: [CheckedContinuation<Void, Never>])
    >(
        ([], [])
    )

    init(_ base: InMemoryStore, hang: Hang) {
        self.base = base
        self.hang = hang
    }

    /// Returns once an order listing is hanging.
    func waitUntilWaiting() async {
        await withCheckedContinuation { continuation in
            waiting.withLock { $0.watchers.append(continuation) }
        }
    }

    func release() {
        for continuation in waiting.withLock({ state in
            defer { state.stuck = [] }
            return state.stuck
        }) { continuation.resume() }
    }

    private func wakeWatchers() {
        for watcher in waiting.withLock({ state in
            defer { state.watchers = [] }
            return state.watchers
        }) { watcher.resume() }
    }

    func orders(modifiedSince since: Date, page: Int, limit: Int) async throws -> [StoreOrder] {
        switch hang {
        case .cancellable(let duration):
            wakeWatchers()
            try await Task.sleep(for: duration)
        case .untilReleased:
            await withCheckedContinuation { continuation in
                waiting.withLock { $0.stuck.append(continuation) }
                wakeWatchers()
            }
        }
        return try await base.orders(modifiedSince: since, page: page, limit: limit)
    }

}
