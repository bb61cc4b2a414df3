import Foundation
import Testing

@testable import MemberSync

/// `membersync report` (with its conflicts section) and `membersync sync --dry-run`.
@Suite struct ReportAndDryRunTests {
    @Test func reportListsConflictsInTheirOwnSectionInEveryFormat() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Pat", "Quinn", email: "pat.quinn@example.test")
        try harness.engine.member(102, "Patricia", "Quinn", email: "pat.quinn@example.test")
        try harness.engine.member(103, "Ned", "Nomail", email: nil)
        try await harness.engine.sync()
        let entries = try harness.engine.report()

        let text = ReportCommand.render(entries, format: "text")
        let conflictsAt = try #require(text.range(of: "conflicts (1)"))
        let duplicateAt = try #require(text.range(of: "profile 102 duplicate_email"))
        #expect(duplicateAt.lowerBound > conflictsAt.lowerBound)
        #expect(text.contains("[other profile 101]"))
        #expect(text.range(of: "profile 103 missing_email")!.lowerBound < conflictsAt.lowerBound)

        let csv = ReportCommand.render(entries, format: "csv").split(separator: "\n")
        #expect(csv[0] == "section,profile_id,code,field,message,related_profile_id,customer_id")
        #expect(csv.contains { $0.hasPrefix("conflict,102,duplicate_email,") })
        #expect(csv.contains { $0.hasPrefix("profile,103,missing_email,") })

        let json = try JSONSerialization.jsonObject(with: Data(ReportCommand.render(entries, format: "json").utf8))
        let object = try #require(json as? [String: Any])
        #expect((object["conflicts"] as? [[String: Any]])?.first?["related_profile_id"] as? Int == 101)
        #expect((object["counts"] as? [String: Int])?["missing_email"] == 1)
        #expect(await harness.main(["report", "--format", "xml"]) == 64)
        #expect(await harness.main(["report", "--format", "csv"]) == 0)
    }

    @Test func fullDryRunListsGroupRemovalsAndWritesNothing() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try harness.engine.member(102, "Ben", "Ode", email: "ben@example.test")
        try harness.engine.member(103, "Cy", "Vale", email: "cy@example.test")
        try await harness.engine.sync()
        let stranger = harness.engine.store.seed(
            CustomerRecord(
                email: "x@example.test",
                firstName: "X",
                lastName: "Y",
                company: "",
                phone: "",
                customerGroupID: 4
            )
        )
        try harness.engine.mctrade.updateProfile(id: 101, set: ["is_member": .integer(0)])
        try harness.engine.mctrade.updateProfile(id: 102, set: ["first_name": .text("Benedict")])
        try harness.engine.member(104, "Dee", "Nu", email: "dee@example.test")
        harness.engine.options.maxGroupRemovalShare = 1
        // A new store group would change the verified groups a real run records.
        harness.engine.store.state.withLock { $0.groups.append(CustomerGroup(id: 7, name: "Wholesale")) }
        let before = try harness.stateDump()
        let requestsBefore = harness.engine.store.log.count

        let result = try await harness.engine.engine().runFullSync(dryRun: true)
        let text = PassSummary.text(result)
        #expect(text.contains("create profile 104"))
        #expect(text.contains("first_name 'Ben' -> 'Benedict'"))
        #expect(text.contains("group removals (2)"))
        #expect(text.contains("from group 4 -> group 0: profile 101 no longer qualifies"))
        #expect(text.contains("remove customer \(stranger) from group 4 -> group 0: no profile entitles it"))
        #expect(!text.contains("update customer \(stranger)"))

        #expect(try harness.stateDump() == before)
        let newRequests = harness.engine.store.log.dropFirst(requestsBefore)
        #expect(newRequests.allSatisfy { $0.hasPrefix("GET") })
    }

    /// With non-members on, a lapsed member moves to the non-member group: the dry run lists it as a
    /// group removal, and counts exactly what the safety rail counts.
    @Test func fullDryRunListsMembersDemotedToTheNonMemberGroupAsTheRailCountsThem() async throws {
        let harness = try CommandHarness(includeNonmembers: true)
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try harness.engine.member(102, "Ben", "Ode", email: "ben@example.test")
        try harness.engine.member(103, "Cy", "Vale", email: "cy@example.test")
        try await harness.engine.sync()
        let customers = Dictionary(
            uniqueKeysWithValues: harness.engine.store.customers.map { ($0.record.email, $0.id) }
        )
        try harness.engine.mctrade.updateProfile(id: 101, set: ["is_member": .integer(0)])
        try harness.engine.mctrade.updateProfile(
            id: 102,
            set: ["is_member": .integer(0), "first_name": .text("Benedict")]
        )
        harness.engine.options.maxGroupRemovalShare = 0.5
        let before = try harness.stateDump()

        let result = try await harness.engine.engine().runFullSync(dryRun: true)
        #expect(result.outcome == .refused)
        #expect(result.messages.joined().contains("would move 2 of 3 linked customers"))
        let text = PassSummary.text(result)
        #expect(text.contains("2 updates (2 group removals)"))
        #expect(text.contains("group removals (2): these customers lose their group (2 of them linked to a profile"))
        let ada = try #require(customers["ada@example.test"])
        let ben = try #require(customers["ben@example.test"])
        #expect(text.contains("remove customer \(ada) from group 4 -> group 3: profile 101 is no longer a member"))
        #expect(
            text.contains(
                "remove customer \(ben) from group 4 -> group 3: profile 102 is no longer a member; "
                    + "first_name 'Ben' -> 'Benedict'"
            )
        )
        #expect(!text.contains("update customer \(ada)"))
        #expect(!text.contains("update customer \(ben)"))
        #expect(try harness.stateDump() == before)
    }

    @Test func changeDryRunListsAMemberDemotedToTheNonMemberGroupAsAGroupRemoval() async throws {
        let harness = try CommandHarness(includeNonmembers: true)
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try harness.engine.member(102, "Ben", "Ode", email: "ben@example.test")
        try await harness.engine.sync()
        try harness.engine.mctrade.updateProfile(id: 101, set: ["is_member": .integer(0)])
        let before = try harness.stateDump()

        let result = try await harness.engine.engine().runPending(dryRun: true)
        let text = PassSummary.text(result)
        let ada = try #require(harness.engine.store.customers.first { $0.record.email == "ada@example.test" })
        #expect(text.contains("1 updates (1 group removals)"))
        #expect(text.contains("group removals (1)"))
        #expect(text.contains("remove customer \(ada.id) from group 4 -> group 3: profile 101 is no longer a member"))
        #expect(try harness.stateDump() == before)
        #expect(ada.record.customerGroupID == 4)
    }

    @Test func changeDryRunThroughTheCommandWritesNothing() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.engine.sync()
        try harness.engine.mctrade.updateProfile(id: 101, set: ["last_name": .text("Kovač")])
        let before = try harness.stateDump()
        let result = try await harness.engine.engine().runPending(dryRun: true)
        #expect(PassSummary.text(result).contains("last_name 'Kovacs' -> 'Kovač'"))
        #expect(try harness.stateDump() == before)
        #expect(harness.engine.store.customers[0].record.lastName == "Kovacs")
    }
}
