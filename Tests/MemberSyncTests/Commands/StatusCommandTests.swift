import Foundation
import Testing

@testable import MemberSync

/// `membersync status` on real state files: the numbers, and the exit code a monitor relies on.
@Suite struct StatusCommandTests {
    @Test func healthyAfterAFullSyncWithCountsFromTheRunHistory() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try harness.engine.member(102, "Ben", "Ode", email: "ben@example.test")
        try await harness.engine.sync()

        let report = try await StatusCommand.makeReport(
            context: harness.context(),
            store: harness.engine.store,
            limits: .init()
        )
        #expect(report.isHealthy)
        #expect(report.snapshot.lag == 0)
        #expect(report.snapshot.linked == 2)
        #expect(report.snapshot.lastFullSync?.result == "ok")
        #expect(report.snapshot.lastFullSync?.counts.created == 2)
        #expect(report.snapshot.customersByGroup == [4: 2])
        #expect(report.store == .reachable(groups: 2))
        #expect(report.nextFullSync != nil)
        #expect(report.text().contains("created 2"))
    }

    @Test func unhealthyWithoutASuccessfulFullSyncFor26Hours() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.engine.sync()
        let later = Date().addingTimeInterval(27 * 3600)
        let report = try await StatusCommand.makeReport(
            context: harness.context(),
            store: nil,
            limits: .init(),
            now: later
        )
        #expect(!report.isHealthy)
        #expect(report.problems.contains { $0.contains("no successful full sync for 27 hours") })
        #expect(report.store == .skipped)
    }

    @Test func unhealthyWhenTheLagPassesTheLimitOrWritesAreStopped() async throws {
        let harness = try CommandHarness()
        try await harness.engine.sync()
        for id in 201...205 { try harness.engine.member(id, "P\(id)", "Q", email: "p\(id)@example.test") }
        let context = try harness.context()
        var limits = StatusReport.Limits()
        limits.maxLag = 3
        let lagging = try await StatusCommand.makeReport(context: context, store: nil, limits: limits)
        #expect(lagging.snapshot.lag == 5)
        #expect(lagging.problems.contains { $0.contains("lag of 5 changes is over 3") })

        try harness.engine.state().setMeta(MetaKey.writesStopped, "store answered 401")
        let stopped = try await StatusCommand.makeReport(context: context, store: nil, limits: .init())
        #expect(stopped.problems.contains { $0.contains("writes are stopped: store answered 401") })
    }

    @Test func aRefusedTokenIsReportedAsSuch() async throws {
        let harness = try CommandHarness()
        let check = await StatusReport.checkStore(RefusingStore())
        #expect(check == .tokenRefused(StoreError.unauthorized(endpoint: "GET /v2/customer_groups").description))
        _ = harness
    }

    @Test func jsonCarriesTheHealthAndTheLastFullSync() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.engine.sync()
        let report = try await StatusCommand.makeReport(context: harness.context(), store: nil, limits: .init())
        let object = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        #expect(object?["healthy"] as? Bool == true)
        #expect((object?["last_full_sync"] as? [String: Any])?["created"] as? Int == 1)
        #expect((object?["store"] as? [String: Any])?["checked"] as? Bool == false)
    }

    @Test func exitCodeIsOneWhenUnhealthyAndZeroWhenHealthy() async throws {
        let harness = try CommandHarness()
        #expect(await harness.main(["status", "--offline"]) == 1)
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.engine.sync()
        #expect(await harness.main(["status", "--offline"]) == 0)
        #expect(await harness.main(["status", "--offline", "--format", "json"]) == 0)
        #expect(await harness.main(["status", "--offline", "--max-lag", "many"]) == 64)
    }
}

/// A store that refuses the token on every request.
struct RefusingStore: CustomerStore {
    func customerGroups() async throws -> [CustomerGroup] {
        throw StoreError.unauthorized(endpoint: "GET /v2/customer_groups")
    }
    func listCustomers(after cursor: String?, groupIDs: [Int]?, limit: Int) async throws -> CustomerPage {
        throw StoreError.forbidden(endpoint: "GET /v3/customers", scope: "store_v2_customers")
    }
    func customers(withEmails emails: [String]) async throws -> [StoreCustomer] { [] }
    func customers(withIDs ids: [Int]) async throws -> [StoreCustomer] { [] }
    func createCustomers(_ records: [CustomerRecord]) async throws -> [StoreCustomer] { [] }
    func updateCustomers(_ updates: [CustomerUpdate]) async throws -> [StoreCustomer] { [] }
    func orders(modifiedSince since: Date, page: Int, limit: Int) async throws -> [StoreOrder] {
        throw StoreError.forbidden(endpoint: "GET /v2/orders", scope: "store_v2_orders_read_only")
    }
    func requestCounts() async -> RequestCounts { RequestCounts() }
}
