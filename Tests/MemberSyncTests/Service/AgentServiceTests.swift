import Foundation
import Synchronization
import Testing

@testable import MemberSync

/// The service loop: notifications over a real datagram socket, a stop with a pass in flight, reload.
@Suite struct AgentServiceTests {
    func socketName() -> String { "@membersync-service-\(UUID().uuidString)" }

    @Test func forceAskedBesideTheServiceTakesTheNextPassPastTheRail() async throws {
        let harness = try EngineHarness()
        for id in 1...20 { try harness.member(id, "P\(id)", "Member", email: "p\(id)@example.test") }
        try await harness.sync()
        try harness.mctrade.execute("UPDATE profiles SET is_member = 0 WHERE profile_id <= 12")
        let service = AgentService(
            engine: try harness.engine(),
            signal: ShutdownSignal(),
            logger: Logger(label: "test", handler: harness.logs)
        )
        #expect(try await service.runOnePass().outcome == .refused)
        try harness.state().setMeta(MetaKey.forceRequested, "membersync sync --force (test)")
        #expect(try await service.runOnePass().outcome == .ok)
        #expect(harness.store.customers.filter { $0.record.customerGroupID == 4 }.count == 8)
        #expect(try harness.state().meta(MetaKey.forceRequested) == nil)
    }

    @Test func notifiesReadyStatusAndStoppingAndWritesMetrics() async throws {
        let harness = try EngineHarness()
        try harness.member(101, "Ada", "Kovacs", email: "ada@example.test")
        let name = socketName()
        let listener = try DatagramListener(name: name)
        let signal = ShutdownSignal()
        let metricsWrites = Mutex(0)
        var options = AgentService.Options()
        options.pollInterval = .milliseconds(20)
        options.watchdogInterval = .milliseconds(20)
        let hooks = AgentService.Hooks(
            notifier: SystemdNotifier(socketPath: name),
            writeMetrics: { metricsWrites.withLock { $0 += 1 } }
        )
        let service = AgentService(
            engine: try harness.engine(),
            signal: signal,
            options: options,
            logger: Logger(label: "test", handler: harness.logs),
            hooks: hooks
        )
        let running = Task { await service.run() }
        let untilStatus = await listener.receive(until: "last full sync ok")
        #expect(untilStatus.contains { $0.hasPrefix("READY=1\nSTATUS=") })
        #expect(untilStatus.contains("WATCHDOG=1"))
        #expect(untilStatus.last?.contains("STATUS=last full sync ok: created 1") == true, "\(untilStatus)")
        signal.requestStop()
        #expect(await running.value == 0)
        #expect(await listener.receive(until: "STOPPING=1").last?.hasPrefix("STOPPING=1") == true)
        #expect(metricsWrites.withLock { $0 } >= 2)
    }

    @Test func stopAbandonsAPassStuckInTheStoreAndTheOutboxKeepsTheWork() async throws {
        let harness = try EngineHarness()
        try harness.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.sync()
        try harness.member(102, "Ben", "Ode", email: "ben@example.test")
        let store = StuckStore(harness.store)
        let engine = try harness.engine(on: store)
        let signal = ShutdownSignal()
        var options = AgentService.Options()
        options.stopGrace = .milliseconds(100)
        let service = AgentService(
            engine: engine,
            signal: signal,
            options: options,
            logger: Logger(label: "test", handler: harness.logs)
        )
        let running = Task { await service.run() }
        await store.waitUntilStuck()
        let start = ContinuousClock.now
        signal.requestStop()
        #expect(await running.value == 0)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(harness.logs.messages.contains { $0.hasPrefix("stopping with a pass in flight") })
        #expect(try harness.state().outbox().map(\.profileID) == [102])
        defer { store.release() }

        let next = try await harness.sync()
        #expect(next.counts.created == 1)
        #expect(try harness.state().outbox().isEmpty)
    }

    @Test func aFailedPassLogsItsErrorRequestsAndDuration() async throws {
        let harness = try EngineHarness()
        try harness.member(101, "Ada", "Kovacs", email: "ada@example.test")
        harness.store.state.withLock {
            $0.groupsFailure = StoreError.unavailable(
                endpoint: "GET /v2/customer_groups",
                attempts: 3,
                lastError: "503"
            )
        }
        let signal = ShutdownSignal()
        var options = AgentService.Options()
        options.pollInterval = .milliseconds(10)
        let service = AgentService(
            engine: try harness.engine(),
            signal: signal,
            options: options,
            logger: Logger(label: "test", handler: harness.logs)
        )
        let running = Task { await service.run() }
        while !harness.logs.messages.contains("pass failed; will try again") { await Task.yield() }
        signal.requestStop()
        _ = await running.value
        let line = try #require(harness.logs.records.first { $0.message == "pass failed; will try again" })
        #expect(line.level == .error)
        #expect("\(line.metadata["error"] ?? "")".contains("customer_groups"))
        let requests = await harness.store.requestCounts().total
        #expect(line.metadata["requests"] == "\(requests)")
        #expect(line.metadata["duration.ms"] != nil)
    }

    /// A service wired as `membersync run` wires it: the engine's batches beat the heartbeat.
    func watchedService(
        _ harness: EngineHarness,
        store: any CustomerStore,
        listener: DatagramListener,
        signal: ShutdownSignal,
        configure: (inout AgentService.Options) -> Void = { _ in }
    ) throws -> AgentService {
        let heartbeat = Heartbeat()
        var engineOptions = harness.options
        engineOptions.onProgress = { _ in heartbeat.beat() }
        let engine = try harness.engine(on: store, options: engineOptions)
        var options = AgentService.Options()
        options.pollInterval = .milliseconds(20)
        options.watchdogInterval = .milliseconds(20)
        options.stopGrace = .milliseconds(100)
        configure(&options)
        return AgentService(
            engine: engine,
            signal: signal,
            options: options,
            logger: Logger(label: "test", handler: harness.logs),
            hooks: AgentService.Hooks(notifier: SystemdNotifier(socketPath: listener.name), heartbeat: heartbeat)
        )
    }

    /// Stops the service, reading its notifications meanwhile (a full socket queue blocks the sender).
    func stop(_ running: Task<Int32, Never>, signal: ShutdownSignal, listener: DatagramListener) async {
        signal.requestStop()
        let stopping = await listener.receive(until: "STOPPING=1", within: .seconds(30))
        #expect(stopping.last?.message.hasPrefix("STOPPING=1") == true)
        #expect(await running.value == 0)
    }

    @Test func watchdogPingsStopWhileAPassIsStuckWithoutProgressAndResumeOnceItMoves() async throws {
        let harness = try EngineHarness()
        try harness.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.sync()
        try harness.member(102, "Ben", "Ode", email: "ben@example.test")
        let store = StuckStore(harness.store)
        defer { store.release() }
        let listener = try DatagramListener(name: socketName())
        let signal = ShutdownSignal()
        // Limits of seconds, not milliseconds: the whole test run shares two cores, and a watchdog task
        // held back longer than the limit would miss its first ping.
        let stallLimit = Duration.seconds(2)
        let service = try watchedService(harness, store: store, listener: listener, signal: signal) {
            $0.stallLimit = stallLimit
        }
        let running = Task { await service.run() }
        await store.waitUntilStuck()
        #expect(await listener.receive(until: "WATCHDOG=1").last == "WATCHDOG=1")

        // The pings sent before the stall limit passed are taken first.
        _ = await listener.receive(within: stallLimit * 2)
        let whileStuck = await listener.receive(within: .milliseconds(600))
        #expect(!whileStuck.contains { $0.message == "WATCHDOG=1" }, "\(whileStuck.map(\.message))")
        #expect(harness.logs.messages.contains { $0.hasPrefix("no progress; watchdog pings stopped") })

        store.release()
        let afterRelease = await listener.receive(until: "WATCHDOG=1", within: .seconds(30))
        #expect(afterRelease.last?.message == "WATCHDOG=1")
        #expect(harness.logs.messages.contains("progress again; watchdog pings resumed"))
        await stop(running, signal: signal, listener: listener)
    }

    @Test func watchdogKeepsPingingThroughASlowPassThatMakesProgress() async throws {
        let harness = try EngineHarness()
        for id in 1...12 { try harness.member(id, "P\(id)", "Member", email: "p\(id)@example.test") }
        harness.options.batchSize = 1
        harness.options.concurrentWrites = 1
        let store = SlowStore(harness.store, createDelay: .milliseconds(600))
        let listener = try DatagramListener(name: socketName())
        let signal = ShutdownSignal()
        let stallLimit = Duration.seconds(2)
        let service = try watchedService(harness, store: store, listener: listener, signal: signal) {
            $0.stallLimit = stallLimit
        }
        let running = Task { await service.run() }
        let messages = await listener.receive(until: "STATUS=last full sync", within: .seconds(60))
        await stop(running, signal: signal, listener: listener)

        let end = try #require(messages.last { $0.message.contains("STATUS=last full sync ok: created 12") }?.at)
        let start = try #require(store.firstCreate)
        #expect(end - start > stallLimit * 3, "the pass outlasts the stall limit")
        let late = messages.filter { $0.message == "WATCHDOG=1" && $0.at > start + stallLimit * 2 && $0.at < end }
        #expect(!late.isEmpty, "pinged while the pass made progress")
    }

    /// Between passes the loop waits the poll interval, or a back-off after a failed pass; both are
    /// alive, however long they are.
    @Test(arguments: [false, true])
    func watchdogKeepsPingingWhileIdleOrBackingOff(failing: Bool) async throws {
        let harness = try EngineHarness()
        try harness.member(101, "Ada", "Kovacs", email: "ada@example.test")
        if failing {
            harness.store.state.withLock {
                $0.groupsFailure = StoreError.unavailable(
                    endpoint: "GET /v2/customer_groups",
                    attempts: 3,
                    lastError: "503"
                )
            }
        }
        let listener = try DatagramListener(name: socketName())
        let signal = ShutdownSignal()
        let stallLimit = Duration.seconds(2)
        let service = try watchedService(harness, store: harness.store, listener: listener, signal: signal) {
            $0.stallLimit = stallLimit
            $0.pollInterval = .seconds(30)
            $0.maxBackoff = .seconds(30)
        }
        let running = Task { await service.run() }
        let passEnded = failing ? "STATUS=pass failed" : "STATUS=last full sync ok"
        #expect(
            await listener.receive(until: passEnded, within: .seconds(60)).last?.message.contains(passEnded) == true
        )

        _ = await listener.receive(within: stallLimit * 3)
        let later = await listener.receive(until: "WATCHDOG=1", within: stallLimit * 3)
        #expect(later.last?.message == "WATCHDOG=1")
        await stop(running, signal: signal, listener: listener)
    }

    @Test func sighupReReadsThePollInterval() async throws {
        let harness = try EngineHarness()
        let signal = ShutdownSignal()
        let reloads = Mutex(0)
        var options = AgentService.Options()
        options.pollInterval = .milliseconds(10)
        let hooks = AgentService.Hooks(reload: {
            reloads.withLock { $0 += 1 }
            return .milliseconds(250)
        })
        let service = AgentService(
            engine: try harness.engine(),
            signal: signal,
            options: options,
            logger: Logger(label: "test", handler: harness.logs),
            hooks: hooks
        )
        let running = Task { await service.run() }
        while !harness.logs.messages.contains("pass finished") { await Task.yield() }
        signal.requestReload()
        while reloads.withLock({ $0 }) == 0 { await Task.yield() }
        signal.requestStop()
        _ = await running.value
        #expect(service.currentPollInterval == .milliseconds(250))
        #expect(harness.logs.messages.contains("configuration re-read"))
    }
}

/// Passes everything to an in-memory store, except creates, which hang (like a dead connection that
/// ignores cancellation) until released.
final class StuckStore: ForwardingStore, Sendable {
    let base: InMemoryStore
    private let waiting = Mutex<
        (stuck: CheckedContinuation<Void, Never>?, watchers: [CheckedContinuation<Void, Never>], isStuck: Bool)
    >((nil, [], false))

    init(_ base: InMemoryStore) { self.base = base }

    func waitUntilStuck() async {
        await withCheckedContinuation { continuation in
            let now = waiting.withLock { state -> Bool in
                if state.isStuck { return true }
                state.watchers.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Lets the create hanging now (if any) end; a later create hangs again.
    func release() {
        waiting.withLock { state in
            defer { state.stuck = nil }
            return state.stuck
        }?.resume()
    }

    func createCustomers(_ records: [CustomerRecord]) async throws -> [StoreCustomer] {
        await withCheckedContinuation { continuation in
            let watchers = waiting.withLock { state in
                state.stuck = continuation
                state.isStuck = true
                defer { state.watchers = [] }
                return state.watchers
            }
            for watcher in watchers { watcher.resume() }
        }
        throw StoreError.createInDoubt(endpoint: "POST /v3/customers", underlying: "released by the test")
    }

    func orders(modifiedSince since: Date, page: Int, limit: Int) async throws -> [StoreOrder] { [] }
}

/// Passes everything to an in-memory store; every create takes `createDelay`, like a busy store.
final class SlowStore: ForwardingStore, Sendable {
    let base: InMemoryStore
    let createDelay: Duration
    private let started = Mutex<ContinuousClock.Instant?>(nil)

    init(_ base: InMemoryStore, createDelay: Duration) {
        self.base = base
        self.createDelay = createDelay
    }

    /// When the first create was sent.
    var firstCreate: ContinuousClock.Instant? { started.withLock { $0 } }

    func createCustomers(_ records: [CustomerRecord]) async throws -> [StoreCustomer] {
        started.withLock { $0 = $0 ?? .now }
        try await Task.sleep(for: createDelay)
        return try await base.createCustomers(records)
    }

    func orders(modifiedSince since: Date, page: Int, limit: Int) async throws -> [StoreOrder] { [] }
}
