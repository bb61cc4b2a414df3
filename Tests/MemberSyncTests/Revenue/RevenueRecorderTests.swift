import Foundation
import SQLiteDB
import Testing

@testable import MemberSync

/// The revenue pass against a real MC Trade file and state file, with orders scripted in an in-memory
/// store and a fake clock.
@Suite struct RevenueRecorderTests {
    @Test func recordsOrdersOfLinkedCustomersOnlyWithTheStoresValues() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 101, customer: 11)
        harness.order(1, customer: 11, status: "Shipped", total: "12.5000", modified: -60, created: -3_600)
        harness.order(2, customer: 0, modified: -50)
        harness.order(3, customer: 12, modified: -40)

        let result = try await harness.live()
        let rows = try harness.rows()
        #expect(Array(rows.keys) == [1])
        let row = try #require(rows[1])
        #expect(row["source"] == .text("bigcommerce"))
        #expect(row["profile_id"] == .integer(101))
        #expect(row["customer_id"] == .integer(11))
        #expect(row["status"] == .text("Shipped"))
        #expect(row["total_inc_tax"] == .text("12.5000"))
        #expect(row["currency_code"] == .text("USD"))
        #expect(row["ordered_at"] == .text("2026-03-01T11:00:00.000Z"))
        #expect(row["updated_at"] == .text("2026-03-01T11:59:00.000Z"))
        #expect(result.listed == 3 && result.inserted == 1 && result.guests == 1 && result.unlinked == 1)
    }

    @Test func statusAndTotalChangesUpdateTheRowInPlace() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 101, customer: 11)
        harness.order(1, customer: 11, status: "Awaiting Payment", total: "40.0000", modified: -30)
        try await harness.live()

        harness.advance(seconds: 60)
        harness.order(1, customer: 11, status: "Partially Refunded", total: "25.0000", modified: 30, created: -30)
        let result = try await harness.live()
        let rows = try harness.rows()
        #expect(rows.count == 1)
        #expect(rows[1]?["status"] == .text("Partially Refunded"))
        #expect(rows[1]?["total_inc_tax"] == .text("25.0000"))
        #expect(rows[1]?["ordered_at"] == .text("2026-03-01T11:59:30.000Z"))
        #expect(rows[1]?["updated_at"] == .text("2026-03-01T12:00:30.000Z"))
        #expect(result.updated == 1 && result.inserted == 0)
    }

    @Test func firstPassStartsAtTheAgentsClockAndLaterOnesAtTheMarkMinusTheOverlap() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 101, customer: 11)
        harness.order(1, customer: 11, modified: -3_600)
        harness.order(2, customer: 11, modified: -120)

        let first = try await harness.live()
        #expect(first.since == RevenueHarness.start.addingTimeInterval(-600))
        #expect(Array(try harness.rows().keys) == [2])
        #expect(first.mark == RevenueHarness.start)

        harness.advance(seconds: 3_600)
        harness.order(3, customer: 11, modified: 1_800)
        let second = try await harness.live()
        #expect(second.since == RevenueHarness.start.addingTimeInterval(-600))
        #expect(second.mark == RevenueHarness.start.addingTimeInterval(1_800))
        #expect(second.inserted == 1)

        let third = try await harness.live()
        #expect(third.since == RevenueHarness.start.addingTimeInterval(1_200))
        #expect(third.listed == 1 && third.unchanged == 1 && third.inserted + third.updated == 0)
    }

    @Test func requestsAreProportionalToPagesNotOrders() async throws {
        // A last page holding a whole number of 50-order pages costs one more request (isLastPage).
        for (orders, pages) in [(0, 1), (1, 1), (249, 1), (250, 2), (600, 4), (610, 3), (1_000, 5)] {
            let harness = try RevenueHarness()
            try harness.link(profile: 101, customer: 11)
            for id in 1...max(orders, 1) where orders > 0 {
                harness.order(id, customer: id.isMultiple(of: 3) ? 0 : 11, modified: -Double(id % 300))
            }
            let result = try await harness.live()
            #expect(result.pages == pages, "\(orders) orders")
            #expect(result.requests == pages)
            #expect(await harness.ordersRequests() == pages)
            #expect(result.listed == orders)
            #expect(try harness.rows().count == orders - orders / 3)
        }
    }

    @Test func storeServingFiftyAPageWhateverTheLimitLosesNoOrder() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 101, customer: 11)
        for id in 1...120 { harness.order(id, customer: 11, modified: -Double(id)) }
        harness.store.state.withLock { $0.orderPageCap = 50 }

        let result = try await harness.live()
        #expect(try harness.rows().count == 120)
        #expect(result.pages == 3)
    }

    @Test func ordersOutsideTheWindowAreIgnoredAndMoveNoMark() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 101, customer: 11)
        harness.store.state.withLock { $0.ignoresOrderDateFilter = true }
        harness.order(1, customer: 11, modified: -86_400 * 30)
        harness.order(2, customer: 11, modified: -601)
        harness.order(3, customer: 11, modified: -600)

        let result = try await harness.live()
        #expect(Array(try harness.rows().keys) == [3])
        #expect(result.outsideWindow == 2)
        #expect(result.mark == RevenueHarness.start)
        #expect(harness.logs.messages.contains { $0.contains("outside the window") })
    }

    @Test func storeThatIgnoresThePageStopsTheListingInsteadOfLooping() async throws {
        let harness = try RevenueHarness()
        harness.options.pageSize = 2
        try harness.link(profile: 101, customer: 11)
        for id in 1...3 { harness.order(id, customer: 11, modified: -Double(id)) }
        harness.store.state.withLock { $0.ignoresOrderPage = true }

        await #expect(throws: RevenueError.self) { try await harness.live() }
        #expect(await harness.ordersRequests() == 2)
        #expect(try harness.state().revenueMark() == nil)
    }

    @Test func storeThatIgnoresThePageIsCaughtAlsoOnAShortPageOfAWholeNumberOfFifties() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 101, customer: 11)
        for id in 1...100 { harness.order(id, customer: 11, modified: -Double(id)) }
        harness.store.state.withLock { $0.ignoresOrderPage = true }

        await #expect(throws: RevenueError.self) { try await harness.live() }
        #expect(await harness.ordersRequests() == 2)
        #expect(try harness.state().revenueMark() == nil)
    }

    @Test func markNeverMovesBackWhenABackfillFinishesAfterALivePass() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 101, customer: 11)
        harness.order(1, customer: 11, modified: -86_400)
        harness.order(2, customer: 11, modified: 300)
        harness.order(3, customer: 11, modified: 900)
        harness.advance(seconds: 1_000)
        try await harness.live()
        #expect(try harness.state().revenueMark() == RevenueHarness.start.addingTimeInterval(1_000))
        harness.advance(seconds: 1_000)
        try await harness.live()
        #expect(try harness.state().revenueMark() == RevenueHarness.start.addingTimeInterval(1_000))

        let backfill = try await harness.backfill(since: RevenueHarness.start.addingTimeInterval(-2 * 86_400))
        #expect(backfill.inserted == 2 && backfill.unchanged == 1)
        #expect(try harness.state().revenueMark() == RevenueHarness.start.addingTimeInterval(1_000))
    }

    @Test func everyPassIsRecordedInTheRunHistory() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 101, customer: 11)
        harness.order(1, customer: 11, modified: -10)
        try await harness.live()
        harness.store.state.withLock {
            $0.ordersFailure = (1, StoreError.unavailable(endpoint: "GET /v2/orders", attempts: 3, lastError: "reset"))
        }
        await #expect(throws: StoreError.self) { try await harness.live() }

        let runs = try harness.state().revenueRuns()
        #expect(runs.map { $0["result"]?.string } == ["failed", "ok"])
        #expect(runs[1]["inserted"] == .integer(1))
        #expect(runs[0]["message"]?.string?.contains("reset") == true)
    }
}
