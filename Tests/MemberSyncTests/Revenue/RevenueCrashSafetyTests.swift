import Foundation
import SQLiteDB
import Testing

@testable import MemberSync

/// A pass cut short anywhere (between pages, inside a page's transaction, between the last commit and
/// the mark) loses no order and records none twice; a back-fill gives the rows the live path gives.
@Suite struct RevenueCrashSafetyTests {
    /// 600 orders over 3 pages of 250: two of every three belong to linked customers.
    private func sixHundredOrders(_ harness: RevenueHarness) throws {
        try harness.link(profile: 101, customer: 11)
        try harness.link(profile: 102, customer: 12)
        for id in 1...600 {
            harness.order(id, customer: [11, 12, 0][id % 3], total: "\(id).0000", modified: -Double(id % 500))
        }
    }

    private func expectEveryLinkedOrderOnce(_ harness: RevenueHarness) throws {
        let rows = try harness.mctrade.revenueRows()
        let ids = rows.compactMap { $0["order_id"]?.int }
        #expect(ids == (1...600).filter { $0 % 3 != 2 })
        #expect(Set(ids).count == ids.count)
    }

    @Test func deathWhileListingTheNextPageLosesAndDuplicatesNothing() async throws {
        let harness = try RevenueHarness()
        try sixHundredOrders(harness)
        let failure = StoreError.unavailable(endpoint: "GET /v2/orders", attempts: 3, lastError: "killed")
        harness.store.state.withLock { $0.ordersFailure = (2, failure) }
        await #expect(throws: StoreError.self) { try await harness.live() }
        #expect(try harness.rows().count == 167)
        #expect(try harness.state().revenueMark() == nil)

        // Meanwhile an order of the committed page changes; the rerun lists it again and updates it.
        harness.order(4, customer: 12, status: "Refunded", total: "0.0000", modified: 10)
        let rerun = try await harness.live()
        try expectEveryLinkedOrderOnce(harness)
        #expect(try harness.rows()[4]?["status"] == .text("Refunded"))
        #expect(rerun.inserted == 400 - 167 && rerun.updated == 1)
    }

    @Test func failureInsideAPagesTransactionCommitsNoneOfThatPage() async throws {
        let harness = try RevenueHarness()
        try sixHundredOrders(harness)
        try harness.mctrade.execute(
            """
            CREATE TRIGGER refuse_order_400 BEFORE INSERT ON profile_revenue WHEN NEW.order_id = 400
            BEGIN SELECT RAISE(ABORT, 'disk gone'); END;
            """
        )
        await #expect(throws: RevenueError.self) { try await harness.live() }
        // Page 1 (orders 1-250) committed; page 2 (251-500) rolled back whole.
        #expect(try harness.rows().keys.max() == 250)
        #expect(try harness.state().revenueMark() == nil)

        try harness.mctrade.execute("DROP TRIGGER refuse_order_400")
        try await harness.live()
        try expectEveryLinkedOrderOnce(harness)
    }

    @Test func deathBetweenTheLastCommitAndTheMarkRecordsNothingTwice() async throws {
        let harness = try RevenueHarness()
        try sixHundredOrders(harness)
        try await harness.live()
        let committed = try harness.mctrade.revenueRows()

        // What a kill after the last page's commit and before the mark's transaction leaves on disk.
        try harness.state().setMeta(StateStore.revenueMarkKey, nil)
        let rerun = try await harness.live()
        #expect(try harness.mctrade.revenueRows() == committed)
        #expect(rerun.unchanged == 400 && rerun.inserted == 0 && rerun.updated == 0)
        try expectEveryLinkedOrderOnce(harness)
    }

    @Test func backfillGivesExactlyTheRowsOfTheLivePath() async throws {
        let live = try RevenueHarness()
        let backfill = try RevenueHarness()
        for harness in [live, backfill] {
            try harness.link(profile: 101, customer: 11)
            try harness.link(profile: 102, customer: 12)
        }
        var nextID = 1
        for minute in 1...30 {
            live.advance(seconds: 60)
            let now = Double(minute * 60)
            for _ in 0..<(minute * 7 % 13) {
                live.order(nextID, customer: [0, 11, 12, 13][nextID * 5 % 4], modified: now - 5)
                nextID += 1
            }
            if nextID > 1, let changed = live.store.state.withLock({ $0.orders[minute * 31 % (nextID - 1) + 1] }) {
                let created = ISO8601.date(from: changed.dateCreated)!.timeIntervalSince(RevenueHarness.start)
                live.order(
                    changed.id,
                    customer: changed.customerID,
                    status: "Shipped",
                    total: "\(minute).5000",
                    modified: now - 1,
                    created: created
                )
            }
            try await live.live()
        }
        backfill.store.state.withLock { $0.orders = live.store.state.withLock { $0.orders } }
        backfill.advance(seconds: 1_800)
        try await backfill.backfill(since: RevenueHarness.start.addingTimeInterval(-86_400))

        #expect(try live.mctrade.revenueRows() == backfill.mctrade.revenueRows())
        #expect(try live.rows().count > 10)
    }
}
