import BCSandbox
import Foundation
import MemberSync
import Testing

/// The built `membersync` against a `bc-sandbox` process over loopback HTTP, on generated demo data.
@Suite(.serialized)
struct FullSyncEndToEndTests {
    let managed: Set<Int> = [EndToEndWorkspace.memberGroup, EndToEndWorkspace.nonmemberGroup]

    @Test func fullSyncOfDemoDataMakesTheStoreMatchTheRules() async throws {
        let workspace = try await EndToEndWorkspace(demoPeople: 600)
        let output = try await workspace.membersync("sync", "--full")
        #expect(output.status == 0, "\(output.all)")

        let expected = try StoreOracle.expectedCustomers(mctradePath: workspace.mctrade.path)
        let dump = try await workspace.admin.dump()
        let problems = StoreOracle.differences(store: dump, expected: expected, managedGroups: managed)
        #expect(problems.isEmpty, "\(problems.prefix(20))")
        #expect(expected.count > 100)
        #expect(dump.customers.allSatisfy { $0.forcePasswordReset && !$0.triggerAccountCreatedNotification })
    }

    @Test func firstUploadUsesOneCreatePerTenCustomersAndSecondFullSyncOnlyLists() async throws {
        let workspace = try await EndToEndWorkspace(demoPeople: 600)
        try await workspace.admin.clearRequests()
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        let requests = try await workspace.admin.requests()
        let customers = try await workspace.admin.dump().customers.count
        let creates = requests.filter { $0.method == "POST" }
        #expect(creates.count <= (customers + 9) / 10)
        #expect(requests.allSatisfy { $0.method == "POST" || $0.method == "GET" })
        #expect(requests.filter { $0.method == "GET" }.count <= 1 + 1 + (customers / 250 + 1))

        try await workspace.admin.clearRequests()
        let second = try await workspace.membersync("sync", "--full")
        #expect(second.status == 0, "\(second.all)")
        let again = try await workspace.admin.requests()
        #expect(again.allSatisfy { $0.method == "GET" }, "\(again.map { "\($0.method) \($0.path)" })")
        // The groups, the listing, and the revenue pass that ends a one-shot full sync.
        #expect(again.count == 1 + (customers / 250 + 1) + 1)
        #expect(again.filter { $0.path.hasSuffix("/v2/orders") }.count == 1)
    }

    @Test func firstStartWithoutFullFlagRunsTheFullSync() async throws {
        let workspace = try await EndToEndWorkspace(demoPeople: 200)
        let output = try await workspace.membersync("sync")
        #expect(output.status == 0, "\(output.all)")
        #expect(output.standardOutput.contains("full sync"))
        let expected = try StoreOracle.expectedCustomers(mctradePath: workspace.mctrade.path)
        let problems = StoreOracle.differences(
            store: try await workspace.admin.dump(),
            expected: expected,
            managedGroups: managed
        )
        #expect(problems.isEmpty, "\(problems.prefix(20))")
    }

    @Test func driftInTheStoreIsRepairedByTheFullSync() async throws {
        let workspace = try await EndToEndWorkspace(demoPeople: 300)
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        let dump = try await workspace.admin.dump()
        let members = dump.customers.filter { $0.customerGroupID == EndToEndWorkspace.memberGroup }
        try #require(members.count >= 3)
        try await workspace.admin.updateCustomer(
            id: members[0].id,
            fields: ["first_name": "Changed", "company": "Elsewhere"]
        )
        try await workspace.admin.updateCustomer(id: members[1].id, fields: ["customer_group_id": 0])
        try await workspace.admin.deleteCustomer(id: members[2].id)
        _ = try await workspace.admin.createCustomers([
            SandboxCustomerSeed(
                email: "stranger@example.test",
                firstName: "Stranger",
                lastName: "Danger",
                customerGroupID: EndToEndWorkspace.memberGroup,
                notes: "signed up"
            )
        ])

        let output = try await workspace.membersync("sync", "--full")
        #expect(output.status == 0, "\(output.all)")
        let after = try await workspace.admin.dump()
        let expected = try StoreOracle.expectedCustomers(mctradePath: workspace.mctrade.path)
        let problems = StoreOracle.differences(store: after, expected: expected, managedGroups: managed)
        #expect(problems.isEmpty, "\(problems.prefix(20))")
        let stranger = after.customers.first { $0.email == "stranger@example.test" }
        #expect(stranger?.customerGroupID == 0)
        #expect(stranger?.notes == "signed up")
    }

    @Test func dryRunPrintsThePlanAndWritesNothing() async throws {
        let workspace = try await EndToEndWorkspace(demoPeople: 100)
        let output = try await workspace.membersync("sync", "--full", "--dry-run")
        #expect(output.status == 0, "\(output.all)")
        #expect(output.standardOutput.contains("create profile"))
        #expect(try await workspace.admin.dump().customers.isEmpty)
        #expect(try await workspace.admin.requests().allSatisfy { $0.method == "GET" })
    }

    @Test func incompleteSettingsWriteNothingAndExitOne() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertMember(1, "Ada", "Kovacs", email: "ada@example.test")
        try workspace.mctrade.setSettings(memberGroupID: nil, nonmemberGroupID: nil)
        let output = try await workspace.membersync("sync", "--full")
        #expect(output.status == 1)
        #expect(output.standardError.contains("member_group_id"))
        #expect(try await workspace.admin.dump().customers.isEmpty)

        try workspace.mctrade.setSettings(memberGroupID: 99, nonmemberGroupID: nil)
        let missing = try await workspace.membersync("sync", "--full")
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("99"))
        #expect(try await workspace.admin.dump().customers.isEmpty)
    }
}
