import Foundation
import SQLiteDB
import Testing

@testable import MemberSync

/// Orders a customer placed before it was linked by adoption or relink are listed by `customer_id`
/// once and recorded; those already recorded keep their profile.
@Suite struct NewlyLinkedCustomerTests {
    @Test func aRelinkedCustomersOlderOrdersAreRecordedOnceAndRecordedOnesKeepTheirProfile() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 101, customer: 11)
        harness.order(1, customer: 11, modified: -60)
        try await harness.live()
        #expect(try harness.rows()[1]?["profile_id"] == .integer(101))

        // Order 2 is older than the window of any live pass; profile 102 takes the customer over.
        harness.order(2, customer: 11, total: "99.0000", modified: -3 * 86_400)
        harness.order(3, customer: 12, modified: -3 * 86_400)
        try harness.mctrade.insertIndividual(
            id: 102,
            firstName: "P102",
            lastName: "Member",
            email: "p102@example.test",
            isMember: true
        )
        let state = try harness.state()
        try state.transaction {
            try state.link(profileID: 102, customerID: 11)
            try state.oweOrdersOfLinkedCustomer(11)
        }
        harness.advance(seconds: 60)
        let result = try await harness.live()
        let rows = try harness.rows()
        #expect(rows.keys.sorted() == [1, 2])
        #expect(rows[2]?["profile_id"] == .integer(102))
        #expect(rows[2]?["total_inc_tax"] == .text("99.0000"))
        #expect(rows[1]?["profile_id"] == .integer(101), "recorded before the relink: stays with its profile")
        #expect(result.customersFetched == 1)
        #expect(result.inserted == 1)
        #expect(try state.customersOwedOrders().isEmpty)

        harness.advance(seconds: 60)
        let next = try await harness.live()
        #expect(next.customersFetched == 0)
        #expect(next.inserted == 0)
    }

    @Test func aPassCutShortKeepsTheNoteSoTheOrdersAreListedAgain() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 101, customer: 11)
        harness.order(2, customer: 11, modified: -3 * 86_400)
        try harness.state().oweOrdersOfLinkedCustomer(11)
        // The live listing answers; the customer's listing (a later request) fails.
        let failure = StoreError.unavailable(endpoint: "GET /v2/orders", attempts: 3, lastError: "503")
        harness.store.state.withLock { $0.ordersFailure = (1, failure) }
        await #expect(throws: StoreError.self) { try await harness.live() }
        #expect(try harness.state().customersOwedOrders().map(\.customerID) == [11])
        #expect(try harness.rows().isEmpty)

        let result = try await harness.live()
        #expect(result.customersFetched == 1)
        #expect(try harness.rows().keys.sorted() == [2])
        #expect(try harness.state().customersOwedOrders().isEmpty)
    }
}
