import Foundation
import MCTradeDemo
import SQLiteDB
import Synchronization

@testable import MemberSync

/// A real MC Trade file and state file in a temp directory, an in-memory store serving scripted
/// orders, a fake clock, and a way to make recorders on them (a new recorder per pass, like a new
/// process each time).
final class RevenueHarness {
    static let start = ISO8601.date(from: "2026-03-01T12:00:00Z")!

    let directory: URL
    let mctrade: MCTradeDatabase
    let store = InMemoryStore()
    let logs = InMemoryLogHandler()
    let clock = FakeClock(RevenueHarness.start)
    var options = RevenueRecorder.Options()
    var statePath: String { directory.appendingPathComponent("state.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("revenue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        mctrade = try MCTradeDatabase.create(at: directory.appendingPathComponent("mctrade.sqlite").path)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    var now: Date { clock.now }

    /// Moves the fake clock forward.
    func advance(seconds: TimeInterval) {
        clock.advance(seconds: seconds)
    }

    func state() throws -> StateStore { try StateStore(path: statePath) }

    func recorder() throws -> RevenueRecorder {
        let clock = self.clock
        return RevenueRecorder(
            store: store,
            state: try StateStore(path: statePath),
            mctradePath: mctrade.path,
            options: options,
            logger: Logger(label: "test", level: .debug, handler: logs),
            now: { clock.now }
        )
    }

    /// A live pass on a new recorder.
    @discardableResult
    func live() async throws -> RevenuePassResult {
        try await recorder().recordRecentOrders()
    }

    /// A back-fill on a new recorder.
    @discardableResult
    func backfill(since: Date) async throws -> RevenuePassResult {
        try await recorder().recordOrders(modifiedSince: since)
    }

    /// A member profile in MC Trade linked to a store customer in the state file.
    func link(profile: Int, customer: Int) throws {
        try mctrade.insertIndividual(
            id: profile,
            firstName: "P\(profile)",
            lastName: "Member",
            email: "p\(profile)@example.test",
            isMember: true
        )
        try state().link(profileID: profile, customerID: customer)
    }

    /// Puts an order in the store, modified `modified` seconds after `start` (created at the same time
    /// unless `created` says otherwise).
    @discardableResult
    func order(
        _ id: Int,
        customer: Int,
        status: String = "Awaiting Fulfillment",
        total: String = "10.0000",
        modified: TimeInterval = 0,
        created: TimeInterval? = nil
    ) -> StoreOrder {
        let order = StoreOrder(
            id: id,
            customerID: customer,
            statusID: 11,
            status: status,
            totalIncTax: total,
            currencyCode: "USD",
            dateCreated: RFC2822Date.iso8601(Self.start.addingTimeInterval(created ?? modified)),
            dateModified: RFC2822Date.iso8601(Self.start.addingTimeInterval(modified))
        )
        store.put(order)
        return order
    }

    /// Every `profile_revenue` row, by order id.
    func rows() throws -> [Int: [String: SQLiteValue]] {
        var rows: [Int: [String: SQLiteValue]] = [:]
        for row in try mctrade.revenueRows() { rows[row["order_id"]!.int!] = row }
        return rows
    }

    func ordersRequests() async -> Int {
        await store.requestCounts().byKind["orders"] ?? 0
    }
}

/// A clock that moves only when a test says so.
final class FakeClock: Sendable {
    private let value: Mutex<Date>

    init(_ start: Date) {
        value = Mutex(start)
    }

    var now: Date { value.withLock { $0 } }

    func advance(seconds: TimeInterval) {
        value.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
