import BCSandbox
import Foundation
import MemberSync
import Testing

/// MC Trade changes followed by `membersync sync` (the change path), against the sandbox.
@Suite(.serialized)
struct ChangePathEndToEndTests {
    let managed: Set<Int> = [EndToEndWorkspace.memberGroup]

    /// A small association: two member organizations, one non-member organization, their people.
    func makeAssociation() async throws -> EndToEndWorkspace {
        let workspace = try await EndToEndWorkspace()
        let db = workspace.mctrade
        try db.insertOrganization(id: 100, name: "Acme Tools", isMember: true)
        try db.insertOrganization(id: 101, name: "Birch Supply", isMember: true)
        try db.insertOrganization(id: 102, name: "Cedar Works", isMember: false)
        try db.insertIndividual(id: 1, firstName: "Ada", lastName: "Kovacs", email: "ada@example.test", isMember: true)
        try db.insertIndividual(id: 2, firstName: "Ben", lastName: "Ortiz", email: "ben@example.test")
        try db.relate(individual: 2, organization: 100, isPrimary: true, isMainContact: true)
        try db.insertIndividual(id: 3, firstName: "Cleo", lastName: "Park", email: "cleo@example.test")
        try db.relate(individual: 3, organization: 101, isMainContact: true)
        try db.insertIndividual(id: 4, firstName: "Dev", lastName: "Rao", email: "dev@example.test")
        try db.relate(individual: 4, organization: 102, isPrimary: true)
        try db.insertIndividual(id: 5, firstName: "Eve", lastName: "Stone", email: "eve@example.test", isMember: true)
        return workspace
    }

    func expectStoreMatchesRules(_ workspace: EndToEndWorkspace, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        let expected = try StoreOracle.expectedCustomers(mctradePath: workspace.mctrade.path)
        let problems = StoreOracle.differences(
            store: try await workspace.admin.dump(),
            expected: expected,
            managedGroups: managed
        )
        #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
    }

    @Test func seriesOfChangesFollowedBySyncMatchesTheRules() async throws {
        let workspace = try await makeAssociation()
        let first = try await workspace.membersync("sync")
        #expect(first.status == 0, "\(first.all)")
        try await expectStoreMatchesRules(workspace)

        let db = workspace.mctrade
        try db.insertIndividual(id: 6, firstName: "Fay", lastName: "Quinn", email: "fay@example.test", isMember: true)
        try db.updateProfile(id: 1, set: ["email": "ada.kovacs@example.test", "last_name": "Kovács"])
        try db.updateProfile(id: 5, set: ["member_expires_on": .text(CalendarDayText.day(offset: -1))])
        try db.updateProfile(id: 101, set: ["is_member": 0])
        try db.updateRelationship(individual: 2, organization: 100, isMainContact: false)
        try db.relate(individual: 4, organization: 100, isMainContact: true)
        let output = try await workspace.membersync("sync")
        #expect(output.status == 0, "\(output.all)")
        #expect(output.standardOutput.contains("change pass"))
        try await expectStoreMatchesRules(workspace)

        let dump = try await workspace.admin.dump()
        let eve = dump.customers.first { $0.email == "eve@example.test" }
        #expect(eve?.customerGroupID == 0)
        let ada = dump.customers.filter { $0.email.hasPrefix("ada") }
        #expect(ada.count == 1)
        #expect(ada.first?.lastName == "Kovács")
    }

    @Test func changeThatAltersNoOwnedFieldMakesNoRequest() async throws {
        let workspace = try await makeAssociation()
        #expect(try await workspace.membersync("sync").status == 0)
        try await workspace.admin.clearRequests()

        try workspace.mctrade.updateProfile(id: 1, set: ["membership_level": "Gold"])
        try workspace.mctrade.updateProfile(id: 5, set: ["email": " EVE@Example.TEST "])
        try workspace.mctrade.updateProfile(id: 4, set: ["phone": "555-0100"])
        let output = try await workspace.membersync("sync")
        #expect(output.status == 0, "\(output.all)")
        #expect(try await workspace.admin.requests().isEmpty)
    }

    @Test func leavingMovesTheCustomerToGroupZeroAndKeepsTheLink() async throws {
        let workspace = try await makeAssociation()
        #expect(try await workspace.membersync("sync").status == 0)
        let before = try await workspace.admin.dump().customers.first { $0.email == "ada@example.test" }!

        try workspace.mctrade.updateProfile(id: 1, set: ["status": "inactive"])
        #expect(try await workspace.membersync("sync").status == 0)
        var ada = try await workspace.admin.dump().customers.first { $0.id == before.id }
        #expect(ada?.customerGroupID == 0)
        #expect(ada?.firstName == "Ada")

        try workspace.mctrade.updateProfile(id: 1, set: ["status": "active"])
        #expect(try await workspace.membersync("sync").status == 0)
        let customers = try await workspace.admin.dump().customers
        ada = customers.first { $0.id == before.id }
        #expect(ada?.customerGroupID == EndToEndWorkspace.memberGroup)
        #expect(customers.filter { $0.email == "ada@example.test" }.count == 1)
    }

    @Test func mergedProfileHandsItsCustomerToTheSurvivor() async throws {
        let workspace = try await makeAssociation()
        #expect(try await workspace.membersync("sync").status == 0)
        let customer = try await workspace.admin.dump().customers.first { $0.email == "ada@example.test" }!
        try workspace.mctrade.insertMember(7, "Ada", "Kovacs-Lee", email: "ADA@example.test")
        try workspace.mctrade.updateProfile(id: 1, set: ["merged_into": 7])
        let output = try await workspace.membersync("sync")
        #expect(output.status == 0, "\(output.all)")
        let customers = try await workspace.admin.dump().customers.filter {
            $0.email.lowercased() == "ada@example.test"
        }
        #expect(customers.count == 1)
        #expect(customers.first?.id == customer.id)
        #expect(customers.first?.lastName == "Kovacs-Lee")
        let report = try await workspace.membersync("report", "--format", "csv")
        #expect(report.standardOutput.contains("7,relinked"))
    }

    @Test func organizationChangeReachesEveryRelatedPerson() async throws {
        let workspace = try await makeAssociation()
        #expect(try await workspace.membersync("sync").status == 0)
        try workspace.mctrade.updateProfile(id: 100, set: ["org_name": "Acme Tools & Dies"])
        #expect(try await workspace.membersync("sync").status == 0)
        let ben = try await workspace.admin.dump().customers.first { $0.email == "ben@example.test" }
        #expect(ben?.company == "Acme Tools & Dies")

        try workspace.mctrade.updateProfile(id: 100, set: ["is_member": 0])
        #expect(try await workspace.membersync("sync").status == 0)
        try await expectStoreMatchesRules(workspace)
    }

    @Test func settingsChangeRunsAFullSync() async throws {
        let workspace = try await makeAssociation()
        #expect(try await workspace.membersync("sync").status == 0)
        try workspace.mctrade.setSettings(
            memberGroupID: EndToEndWorkspace.memberGroup,
            nonmemberGroupID: EndToEndWorkspace.nonmemberGroup,
            includeIndividualNonmembers: true
        )
        let output = try await workspace.membersync("sync")
        #expect(output.status == 0, "\(output.all)")
        #expect(output.standardOutput.contains("full sync"))
        let expected = try StoreOracle.expectedCustomers(mctradePath: workspace.mctrade.path)
        let problems = StoreOracle.differences(
            store: try await workspace.admin.dump(),
            expected: expected,
            managedGroups: [EndToEndWorkspace.memberGroup, EndToEndWorkspace.nonmemberGroup]
        )
        #expect(problems.isEmpty, "\(problems)")
        #expect(expected.values.contains { $0.group == EndToEndWorkspace.nonmemberGroup })
    }
}
