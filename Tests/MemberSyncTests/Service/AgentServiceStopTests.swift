import Foundation
import Synchronization
import Testing

@testable import MemberSync

/// A stop request (SIGTERM, SIGINT) during a slow pass: not a failure. The writes not answered stay
/// owed, the run is finished as stopped, and a create on its way stays in doubt.
@Suite struct AgentServiceStopTests {
    /// Runs the service on `store` until `store` holds a request, stops it, and returns its exit code.
    func runAndStop(_ harness: EngineHarness, store: HoldingStore) async throws -> Int32 {
        let engine = try harness.engine(on: store)
        let signal = ShutdownSignal()
        let service = AgentService(
            engine: engine,
            signal: signal,
            logger: Logger(label: "test", handler: harness.logs)
        )
        let running = Task { await service.run() }
        await store.waitUntilHeld()
        signal.requestStop()
        return await running.value
    }

    /// What every stop must leave: no failed profile, no store_unavailable row, no degraded flag, and
    /// the run in the history finished as stopped.
    func expectCleanStop(_ harness: EngineHarness) throws {
        let state = try harness.state()
        let outbox = try state.outbox()
        #expect(outbox.allSatisfy { $0.lastError == nil && !$0.isHeld }, "\(outbox)")
        #expect(try harness.report().filter { $0.code == .storeUnavailable }.isEmpty)
        #expect(try state.meta(MetaKey.degraded) == nil)
        let run = try #require(try state.runs(kind: "changes", limit: 1).first)
        #expect(run.result == "stopped")
        #expect(run.finishedAt != nil)
        #expect(!harness.logs.messages.contains("profile not synced"))
        #expect(!harness.logs.messages.contains("pass failed; will try again"))
        #expect(harness.logs.messages.contains { $0.hasPrefix("pass stopped by the stop request") })
    }

    @Test func stopDuringSlowUpdatesLeavesThemPendingNotFailed() async throws {
        let harness = try EngineHarness()
        for id in 1...30 { try harness.member(id, "P\(id)", "Member", email: "p\(id)@example.test") }
        try await harness.sync()
        for id in 1...30 { try harness.mctrade.updateProfile(id: id, set: ["last_name": .text("Changed\(id)")]) }

        let store = HoldingStore(harness.store, holding: .updates)
        #expect(try await runAndStop(harness, store: store) == 0)

        try expectCleanStop(harness)
        #expect(try harness.state().outbox().map(\.profileID).sorted() == Array(1...30))
        #expect(harness.store.customers.allSatisfy { $0.record.lastName == "Member" })
        let next = try await harness.sync()
        #expect(next.outcome == .ok)
        #expect(next.counts.updated == 30)
        #expect(try harness.state().outbox().isEmpty)
        #expect(harness.store.customers.allSatisfy { $0.record.lastName.hasPrefix("Changed") })
    }

    @Test func stopDuringACreateOnItsWayLeavesItInDoubtAndTheNextPassLooksItUp() async throws {
        let harness = try EngineHarness()
        harness.options.batchSize = 1
        harness.options.concurrentWrites = 1
        try harness.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.sync()
        try harness.member(102, "Ben", "Ode", email: "ben@example.test")
        try harness.member(103, "Cy", "Ode", email: "cy@example.test")

        // The store applies the first create but its answer never comes before the stop.
        let store = HoldingStore(harness.store, holding: .creates)
        #expect(try await runAndStop(harness, store: store) == 0)

        try expectCleanStop(harness)
        let state = try harness.state()
        #expect(try state.outbox().map(\.profileID).sorted() == [102, 103])
        #expect(try Array(state.pendingCreates().keys) == [102], "the create on its way stays in doubt, only it")
        #expect(harness.store.customer(withEmail: "ben@example.test") != nil)

        let next = try await harness.sync()
        #expect(next.outcome == .ok)
        #expect(next.counts.adopted == 1, "the create in doubt was found by its email")
        #expect(next.counts.created == 1)
        #expect(
            harness.store.log.filter { $0.hasPrefix("POST") } == [
                "POST ada@example.test", "POST ben@example.test", "POST cy@example.test",
            ]
        )
        #expect(harness.store.customers.filter { $0.record.emailKey == "ben@example.test" }.count == 1)
        #expect(try harness.state().pendingCreates().isEmpty)
        #expect(try harness.state().outbox().isEmpty)
    }

    @Test func aOneShotSyncClearsTheDegradedFlag() async throws {
        let harness = try EngineHarness()
        try harness.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.sync()
        try await harness.engine().notePassFailure(
            StoreError.unavailable(endpoint: "PUT /v3/customers", attempts: 3, lastError: "503")
        )
        #expect(try harness.state().meta(MetaKey.degraded) != nil)
        try await harness.sync()
        #expect(try harness.state().meta(MetaKey.degraded) == nil, "a change pass with nothing to do")

        try await harness.engine().notePassFailure(SyncError.settingsIncomplete("test"))
        try await harness.fullSync()
        #expect(try harness.state().meta(MetaKey.degraded) == nil, "sync --full")
    }
}

/// Passes everything to an in-memory store, except requests of one kind, which wait until the pass is
/// cancelled, as a slow request does in `BigCommerceClient`: an update then throws `CancellationError`;
/// a create is applied by the store, and its lost answer is a create in doubt.
final class HoldingStore: ForwardingStore, Sendable {
    enum Held: Sendable {
        case updates
        case creates
    }

    let base: InMemoryStore
    let held: Held
    private let waiting = Mutex<(isHeld: Bool, watchers: [CheckedContinuation<Void, Never>])>((false, []))

    init(_ base: InMemoryStore, holding held: Held) {
        self.base = base
        self.held = held
    }

    func waitUntilHeld() async {
        await withCheckedContinuation { continuation in
            let now = waiting.withLock { state -> Bool in
                if state.isHeld { return true }
                state.watchers.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Tells the watchers that a request is held, and waits until it is cancelled.
    private func hold() async {
        let watchers = waiting.withLock { state in
            state.isHeld = true
            defer { state.watchers = [] }
            return state.watchers
        }
        for watcher in watchers { watcher.resume() }
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
    }

    func createCustomers(_ records: [CustomerRecord]) async throws -> [StoreCustomer] {
        guard held == .creates else { return try await base.createCustomers(records) }
        _ = try await base.createCustomers(records)
        await hold()
        throw StoreError.createInDoubt(
            endpoint: "POST /v3/customers",
            underlying: "cancelled while waiting for the answer"
        )
    }

    func updateCustomers(_ updates: [CustomerUpdate]) async throws -> [StoreCustomer] {
        guard held == .updates else { return try await base.updateCustomers(updates) }
        await hold()
        throw CancellationError()
    }

    func orders(modifiedSince since: Date, page: Int, limit: Int) async throws -> [StoreOrder] { [] }
}
