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

    @Test func unhealthyWhenSettingsLetNothingBeWrittenOrTheStoreDoesNotAnswer() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.engine.sync()
        let context = try harness.context()
        #expect(
            try await StatusCommand.makeReport(context: context, store: harness.engine.store, limits: .init()).isHealthy
        )

        try harness.engine.mctrade.setSettings(memberGroupID: 99, nonmemberGroupID: nil)
        let missingGroup = try await StatusCommand.makeReport(
            context: context,
            store: harness.engine.store,
            limits: .init()
        )
        #expect(missingGroup.problems.contains { $0.contains("group(s) 99 do not exist") })

        try harness.engine.mctrade.setSettings(memberGroupID: nil, nonmemberGroupID: nil)
        let noGroup = try await StatusCommand.makeReport(context: context, store: nil, limits: .init())
        #expect(noGroup.problems.contains { $0.contains("member_group_id is not set") })

        try harness.engine.mctrade.setSettings(memberGroupID: 4, nonmemberGroupID: 3)
        harness.engine.store.state.withLock {
            $0.groupsFailure = .unavailable(
                endpoint: "GET /v2/customer_groups",
                attempts: 5,
                lastError: "connection refused"
            )
        }
        let unreachable = try await StatusCommand.makeReport(
            context: context,
            store: harness.engine.store,
            limits: .init()
        )
        #expect(unreachable.problems.contains { $0.contains("the store does not answer") })
    }

    @Test func unhealthyWhileASafetyRailHoldsTheWritesBack() async throws {
        let harness = try CommandHarness()
        try await harness.engine.sync()
        try harness.engine.state().setMeta(MetaKey.passRefused, "would move 20 of 40")
        let report = try await StatusCommand.makeReport(context: try harness.context(), store: nil, limits: .init())
        #expect(report.problems.contains { $0.contains("safety rail holds the writes back: would move 20 of 40") })
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

    @Test func unreadableMCTradeMakesTheLagUnknownAndTheAgentUnhealthy() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.engine.sync()
        let context = try harness.context()
        let path = harness.engine.mctrade.path
        try FileManager.default.moveItem(atPath: path, toPath: path + ".away")

        let report = try await StatusCommand.makeReport(context: context, store: nil, limits: .init())
        #expect(!report.isHealthy)
        #expect(report.problems.contains { $0.contains("MC Trade's change log cannot be read") })
        #expect(report.text().contains("lag unknown"))
        #expect(!report.text().contains("lag 0 changes"))
        let object = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        #expect(object?["lag"] is NSNull)

        try FileManager.default.moveItem(atPath: path + ".away", toPath: path)
        let back = try await StatusCommand.makeReport(context: context, store: nil, limits: .init())
        #expect(back.isHealthy)
        #expect(back.text().contains("lag 0 changes"))
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
