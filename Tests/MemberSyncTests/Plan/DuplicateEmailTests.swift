import MemberSync
import Testing

/// Sync-rules section 3: which profile gets an email that several profiles want.
struct DuplicateEmailTests {
    typealias F = RuleFixtures

    @Test func lowestProfileIdWinsADuplicateEmail() {
        let scenario = PlanScenario(profiles: [
            F.person(2004, member: true, first: "Mei", last: "Tanaka", email: "  mei.tanaka@example.test "),
            F.person(2005, member: true, first: "Mei", last: "Tanaka", email: "MEI.TANAKA@example.test"),
        ])
        let plan = scenario.plan()
        #expect(plan.creates.map(\.profileID) == [2004])
        #expect(plan.creates.first?.record.email == "mei.tanaka@example.test")
        #expect(plan.codes(of: 2004).isEmpty)
        #expect(plan.codes(of: 2005) == [.duplicateEmail])
        let report = plan.report(of: 2005, .duplicateEmail)
        #expect(report?.relatedProfileID == 2004)
        #expect(report?.message.contains("2004") == true)
    }

    @Test func duplicateEmailIsSettledTheSameWayWhateverTheScope() {
        let scenario = PlanScenario(profiles: [
            F.person(2004, member: true, email: "mei.tanaka@example.test"),
            F.person(2005, member: true, email: "mei.tanaka@example.test"),
        ])
        let plan = scenario.plan(scope: [2005])
        #expect(plan.creates.isEmpty)
        #expect(plan.codes(of: 2005) == [.duplicateEmail])
    }

    @Test func memberGroupProfileBeatsNonMemberGroupProfile() {
        var scenario = PlanScenario(profiles: [
            F.person(1, email: "shared@example.test"),
            F.person(2, member: true, email: "shared@example.test"),
        ])
        scenario.settings = F.settings(includeIndividualNonmembers: true)
        let plan = scenario.plan()
        #expect(plan.creates.map(\.profileID) == [2])
        #expect(plan.report(of: 1, .duplicateEmail)?.relatedProfileID == 2)
    }

    @Test func mainContactOfMemberOrganizationBeatsOthersWhateverTheSettings() {
        var scenario = PlanScenario(
            profiles: [
                F.person(1, member: true, email: "shared@example.test"),
                F.person(2, member: true, email: "shared@example.test"),
                F.organization(10),
            ],
            relationships: [F.tie(2, 10, mainContact: true)]
        )
        scenario.settings = F.settings(includeMainContacts: false)
        let plan = scenario.plan()
        #expect(plan.creates.map(\.profileID) == [2])
        #expect(plan.report(of: 1, .duplicateEmail)?.relatedProfileID == 2)
    }

    @Test func memberGroupBeatsMainContactInNonMemberGroup() {
        var scenario = PlanScenario(
            profiles: [
                F.person(1, email: "shared@example.test"),
                F.person(2, email: "shared@example.test"),
                F.person(3, member: true, email: "shared@example.test"),
                F.organization(10),
            ],
            relationships: [F.tie(1, 10, mainContact: true)]
        )
        scenario.settings = F.settings(includeIndividualNonmembers: true, includeMainContacts: false)
        let plan = scenario.plan()
        // Profile 1 is a main contact (so not an individual non-member) and has no group at all.
        #expect(plan.creates.map(\.profileID) == [3])
        #expect(plan.report(of: 2, .duplicateEmail)?.relatedProfileID == 3)
    }

    @Test func linkedProfileBeatsUnlinkedProfile() {
        var scenario = PlanScenario(profiles: [
            F.person(1, member: true, email: "shared@example.test"),
            F.person(5, member: true, email: "shared@example.test"),
        ])
        scenario.link(5, to: 100)
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        #expect(plan.writeCount == 0)
        #expect(plan.report(of: 1, .duplicateEmail)?.relatedProfileID == 5)
    }

    @Test func linkedNonMemberGroupProfileBeatsUnlinkedMember() {
        var scenario = PlanScenario(profiles: [
            F.person(1, member: true, email: "shared@example.test"),
            F.person(5, email: "shared@example.test"),
        ])
        scenario.settings = F.settings(includeIndividualNonmembers: true)
        scenario.link(5, to: 100)
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        #expect(plan.report(of: 1, .duplicateEmail)?.relatedProfileID == 5)
    }

    @Test func unlinkedProfileThatCannotBeUploadedDoesNotClaimItsEmail() {
        let scenario = PlanScenario(profiles: [
            F.person(1, member: true, first: nil, email: "shared@example.test"),
            F.person(2, member: true, email: "shared@example.test"),
        ])
        let plan = scenario.plan()
        #expect(plan.creates.map(\.profileID) == [2])
        #expect(plan.codes(of: 1) == [.missingName])
    }

    @Test func linkedProfileMovingToAFreeEmailBeatsUnlinkedProfile() {
        var scenario = PlanScenario(profiles: [
            F.person(1, member: true, email: "shared@example.test"),
            F.person(5, member: true, email: "shared@example.test"),
        ])
        scenario.link(5, to: 100, holding: scenario.wanted(5).with(email: "old@example.test"))
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        #expect(plan.updates(of: 100).first?.record.email == "shared@example.test")
        #expect(plan.report(of: 1, .duplicateEmail)?.relatedProfileID == 5)
    }

    @Test func twoLinkedProfilesMovingToTheSameFreeEmailWriteItOnce() {
        var scenario = PlanScenario(profiles: [
            F.person(1, member: true, last: "One", email: "shared@example.test"),
            F.person(2, member: true, last: "Two", email: "shared@example.test"),
        ])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(email: "one@example.test", lastName: "1"))
        scenario.link(2, to: 200, holding: scenario.wanted(2).with(email: "two@example.test", lastName: "2"))
        let plan = scenario.plan()
        #expect(plan.updates(of: 100).first?.record.email == "shared@example.test")
        let loser = plan.updates(of: 200).first
        #expect(loser?.record.email == "two@example.test")
        #expect(loser?.record.lastName == "Two")
        #expect(plan.report(of: 2, .duplicateEmail)?.relatedProfileID == 1)
        #expect(plan.codes(of: 1).isEmpty)
    }

    @Test func linkedProfileWithAMissingNameMovingToAFreeEmailBeatsUnlinkedProfile() {
        var scenario = PlanScenario(profiles: [
            F.person(1, member: true, email: "shared@example.test"),
            F.person(5, member: true, first: nil, email: "shared@example.test"),
        ])
        scenario.link(5, to: 100, holding: scenario.wanted(5).with(email: "old@example.test", firstName: "Ada"))
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        #expect(plan.updates(of: 100).first?.record.email == "shared@example.test")
        #expect(plan.updates(of: 100).first?.record.firstName == "Ada")
        #expect(plan.report(of: 1, .duplicateEmail)?.relatedProfileID == 5)
    }

    @Test func linkedProfileKeepingItsEmailBeatsLinkedProfileMovingToIt() {
        var scenario = PlanScenario(profiles: [
            F.person(1, member: true, email: "shared@example.test"),
            F.person(2, member: true, email: "shared@example.test"),
        ])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(email: "one@example.test"))
        scenario.link(2, to: 200)
        let plan = scenario.plan()
        #expect(plan.updates(of: 200).isEmpty)
        #expect(plan.writeCount == 0)
        #expect(plan.codes(of: 2).isEmpty)
        #expect(!plan.codes(of: 1).isEmpty)
    }
}
