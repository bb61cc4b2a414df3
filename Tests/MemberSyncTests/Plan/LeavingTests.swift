import MemberSync
import Testing

/// Sync-rules section 4: linked profiles that leave, and strangers in the managed groups.
struct LeavingTests {
    typealias F = RuleFixtures

    /// The record a member with id `id` had when it was last uploaded.
    func memberRecord(_ id: Int, group: Int = 4) -> CustomerRecord {
        F.record(ofMember: F.person(id, member: true))!.with(group: group)
    }

    func expectLeaves(_ plan: SyncPlan, customer: Int, from record: CustomerRecord, profile: Int?) {
        let updates = plan.updates(of: customer)
        #expect(updates.count == 1)
        #expect(updates.first?.record == record.with(group: 0))
        #expect(updates.first?.record.email == record.email)
        #expect(updates.first?.previous == record)
        #expect(updates.first?.profileID == profile)
        #expect(plan.groupRemovals.map(\.customerID) == [customer])
    }

    // MARK: - Linked profiles that leave

    @Test func expiredMembershipMovesCustomerToGroupZero() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, expires: F.day(-1))])
        scenario.link(1, to: 100, holding: memberRecord(1))
        let plan = scenario.plan()
        expectLeaves(plan, customer: 100, from: memberRecord(1), profile: 1)
        #expect(plan.updates.first?.reason == .leave)
        #expect(plan.codes(of: 1) == [.noGroup])
        #expect(plan.creates.isEmpty)
    }

    @Test func leavingCustomerKeepsItsOtherFieldsWhateverMCTradeSays() {
        var scenario = PlanScenario(profiles: [
            F.person(1, member: false, first: "Changed", last: "Too", email: "changed@example.test", phone: "999")
        ])
        scenario.link(1, to: 100, holding: memberRecord(1))
        expectLeaves(scenario.plan(), customer: 100, from: memberRecord(1), profile: 1)
    }

    @Test func leavingCustomerKeepsStoreValuesThatTheRulesWouldTrim() {
        var scenario = PlanScenario(profiles: [F.person(1, member: false)])
        let edited = memberRecord(1).with(firstName: " Ada ", company: "  Own Co", phone: "555 0101 ext 9 ")
        scenario.link(1, to: 100, holding: edited)
        expectLeaves(scenario.plan(), customer: 100, from: edited, profile: 1)
        let sent = scenario.plan().updates.first?.record
        #expect(sent?.firstName.unicodeScalars.elementsEqual(" Ada ".unicodeScalars) == true)
        #expect(sent?.company.unicodeScalars.elementsEqual("  Own Co".unicodeScalars) == true)
    }

    @Test func leavingCustomerWithValuesTooLongForAWriteSendsThemAsTheRulesWould() {
        var scenario = PlanScenario(profiles: [F.person(1, member: false)])
        let edited = memberRecord(1).with(
            firstName: String(repeating: "K", count: 99) + " xyz",
            lastName: String(repeating: "L", count: 100),
            company: String(repeating: "C", count: 256),
            phone: String(repeating: "5", count: 51)
        )
        scenario.link(1, to: 100, holding: edited)
        let update = scenario.plan().updates(of: 100).first
        #expect(update?.previous == edited)
        #expect(update?.record.customerGroupID == 0)
        #expect(update?.record.firstName == String(repeating: "K", count: 99))
        #expect(update?.record.lastName == String(repeating: "L", count: 100))
        #expect(update?.record.company == String(repeating: "C", count: 255))
        #expect(update?.record.phone == "")
        #expect(update?.record.email == edited.email)
    }

    @Test func mainContactWhoseRelationshipMovedLeaves() {
        var scenario = PlanScenario(
            profiles: [F.person(1), F.person(2), F.organization(10)],
            relationships: [F.tie(1, 10), F.tie(2, 10, mainContact: true)]
        )
        scenario.link(1, to: 100, holding: memberRecord(1))
        scenario.link(2, to: 200)
        let plan = scenario.plan()
        expectLeaves(plan, customer: 100, from: memberRecord(1), profile: 1)
        #expect(plan.updates(of: 200).isEmpty)
    }

    @Test func mainContactLeavesWhenIncludeMainContactsIsTurnedOff() {
        var scenario = PlanScenario(
            profiles: [F.person(1), F.organization(10)],
            relationships: [F.tie(1, 10, mainContact: true)]
        )
        scenario.settings = F.settings(includeMainContacts: false)
        scenario.link(1, to: 100, holding: memberRecord(1))
        expectLeaves(scenario.plan(), customer: 100, from: memberRecord(1), profile: 1)
    }

    @Test func nonMemberLeavesNonMemberGroupWhenNonmembersAreTurnedOff() {
        var scenario = PlanScenario(profiles: [F.person(1)])
        scenario.link(1, to: 100, holding: memberRecord(1, group: 3))
        expectLeaves(scenario.plan(), customer: 100, from: memberRecord(1, group: 3), profile: 1)
    }

    @Test func profileDeletedFromMCTradeLeaves() {
        var scenario = PlanScenario(profiles: [])
        scenario.link(1, to: 100, holding: memberRecord(1))
        let plan = scenario.plan()
        expectLeaves(plan, customer: 100, from: memberRecord(1), profile: 1)
        #expect(plan.updates.first?.reason == .leave)
    }

    @Test(arguments: ["inactive", "deleted"])
    func profileNoLongerActiveLeaves(status: String) {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, status: status)])
        scenario.link(1, to: 100, holding: memberRecord(1))
        let plan = scenario.plan()
        expectLeaves(plan, customer: 100, from: memberRecord(1), profile: 1)
        #expect(plan.codes(of: 1) == [.notLive])
    }

    @Test func mergedProfileLeavesWhenTheSurvivorHasAnotherEmail() {
        var scenario = PlanScenario(profiles: [
            F.person(1, member: true, mergedInto: 2),
            F.person(2, member: true, email: "survivor@example.test"),
        ])
        scenario.link(1, to: 100, holding: memberRecord(1))
        let plan = scenario.plan()
        expectLeaves(plan, customer: 100, from: memberRecord(1), profile: 1)
        #expect(plan.creates.map(\.profileID) == [2])
    }

    @Test func leavingProfileKeepsItsLink() {
        var scenario = PlanScenario(profiles: [F.person(1)])
        scenario.link(1, to: 100, holding: memberRecord(1))
        let plan = scenario.plan()
        #expect(plan.updates.allSatisfy { $0.relinkedFrom == nil && $0.profileID == 1 })
        #expect(plan.creates.isEmpty)
    }

    @Test func leavingCustomerOutsideTheManagedGroupsIsLeftAlone() {
        var scenario = PlanScenario(profiles: [F.person(1)])
        scenario.link(1, to: 100, holding: memberRecord(1, group: 7))
        scenario.link(2, to: 200, holding: memberRecord(2, group: 0))
        let plan = scenario.plan()
        #expect(plan.updates.isEmpty)
        #expect(plan.writeCount == 0)
    }

    @Test func leavingWithAPartialViewUsesTheLastAcceptedRecord() {
        var scenario = PlanScenario(profiles: [F.person(1)], isComplete: false)
        scenario.links[1] = 100
        scenario.lastSent[100] = memberRecord(1)
        expectLeaves(scenario.plan(scope: [1]), customer: 100, from: memberRecord(1), profile: 1)
    }

    @Test func leavingCustomerDeletedInTheStoreIsNotWritten() {
        var scenario = PlanScenario(profiles: [F.person(1)])
        scenario.links[1] = 100
        scenario.lastSent[100] = memberRecord(1)
        let plan = scenario.plan()
        #expect(plan.updates.isEmpty)
        #expect(plan.creates.isEmpty)
    }

    @Test func leavingProfileOutsideTheScopeIsMovedOutByTheFullSync() {
        var scenario = PlanScenario(profiles: [F.person(1), F.person(2, member: true)])
        scenario.link(1, to: 100, holding: memberRecord(1))
        let plan = scenario.plan(scope: [2])
        expectLeaves(plan, customer: 100, from: memberRecord(1), profile: 1)
        #expect(plan.updates.first?.reason == .leave)
    }

    // MARK: - Strangers

    @Test func strangerInMemberGroupIsMovedToGroupZeroByTheFullSync() {
        var scenario = PlanScenario(profiles: [])
        let stranger = PlanScenario.stranger(300, email: "stranger@example.test", group: 4)
        scenario.customers = [stranger]
        let plan = scenario.plan()
        expectLeaves(plan, customer: 300, from: stranger.record, profile: nil)
        #expect(plan.updates.first?.reason == .enforceGroups)
    }

    @Test func strangerKeepsItsOwnValuesExceptOnesTooLongForAWrite() {
        var scenario = PlanScenario(profiles: [])
        var stranger = PlanScenario.stranger(300, email: " Stranger@Example.test", group: 4)
        stranger.record.firstName = "  Sam"
        stranger.record.phone = String(repeating: "5", count: 60)
        scenario.customers = [stranger]
        let update = scenario.plan().updates(of: 300).first
        #expect(update?.record == stranger.record.with(phone: "", group: 0))
        #expect(update?.record.email == " Stranger@Example.test")
        #expect(update?.record.firstName.unicodeScalars.elementsEqual("  Sam".unicodeScalars) == true)
    }

    @Test func strangerInNonMemberGroupIsMovedToGroupZeroByTheFullSync() {
        var scenario = PlanScenario(profiles: [])
        scenario.settings = F.settings(includeIndividualNonmembers: true)
        let stranger = PlanScenario.stranger(300, email: "stranger@example.test", group: 3)
        scenario.customers = [stranger]
        expectLeaves(scenario.plan(), customer: 300, from: stranger.record, profile: nil)
    }

    @Test func strangerIsLeftAloneWithAPartialView() {
        var scenario = PlanScenario(profiles: [], isComplete: false)
        scenario.customers = [PlanScenario.stranger(300, email: "stranger@example.test", group: 4)]
        #expect(scenario.plan().updates.isEmpty)
    }

    @Test func strangerIsLeftAloneWhenEnforceGroupsIsOff() {
        var scenario = PlanScenario(profiles: [], enforceGroups: false)
        scenario.customers = [PlanScenario.stranger(300, email: "stranger@example.test", group: 4)]
        #expect(scenario.plan().updates.isEmpty)
    }

    @Test func strangerOutsideTheManagedGroupsIsLeftAlone() {
        var scenario = PlanScenario(profiles: [])
        scenario.customers = [
            PlanScenario.stranger(300, email: "a@example.test", group: 0),
            PlanScenario.stranger(301, email: "b@example.test", group: 7),
        ]
        #expect(scenario.plan().updates.isEmpty)
    }

    @Test func customerOfAProfileThatStaysIsNotAStranger() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true)])
        scenario.link(1, to: 100)
        #expect(scenario.plan(scope: []).updates.isEmpty)
    }

    @Test func customerBeingAdoptedIsNotAlsoMovedOut() {
        var scenario = PlanScenario(profiles: [F.person(1, email: "shopper@example.test")])
        scenario.settings = F.settings(includeIndividualNonmembers: true)
        scenario.customers = [PlanScenario.stranger(300, email: "shopper@example.test", group: 4)]
        let plan = scenario.plan()
        #expect(plan.updates.count == 1)
        #expect(plan.updates.first?.reason == .adopt)
        #expect(plan.updates.first?.record.customerGroupID == 3)
        // It leaves the member group, but it was nobody's customer: the safety rails do not count it.
        #expect(plan.groupRemovals.map(\.customerID) == [300])
        #expect(plan.linkedGroupRemovals.isEmpty)
    }

    @Test func customerBeingRelinkedIsNotAlsoMovedOut() {
        var scenario = PlanScenario(profiles: [
            F.person(1, status: "deleted", email: "same@example.test"),
            F.person(2, member: true, email: "same@example.test"),
        ])
        scenario.link(1, to: 100, holding: memberRecord(1).with(email: "same@example.test"))
        let plan = scenario.plan()
        #expect(plan.updates.count == 1)
        #expect(plan.updates.first?.reason == .relink)
        #expect(plan.updates.first?.record.customerGroupID == 4)
        #expect(plan.groupRemovals.isEmpty)
    }

    @Test func fullSyncOverAStoreThatAlreadyMatchesWritesNothing() {
        var scenario = PlanScenario(
            profiles: [F.person(1, member: true), F.person(2), F.person(3), F.organization(10)],
            relationships: [F.tie(3, 10, mainContact: true)]
        )
        scenario.link(1, to: 100)
        scenario.link(3, to: 300)
        scenario.link(2, to: 200, holding: memberRecord(2, group: 0))
        scenario.customers.append(PlanScenario.stranger(400, email: "shopper@example.test", group: 0))
        let plan = scenario.plan()
        #expect(plan.writeCount == 0)
        #expect(plan.updates.isEmpty)
        #expect(plan.creates.isEmpty)
        #expect(plan.unchanged == 2)
    }

    // MARK: - C12: a lapsed member organization

    func lapsedOrganization(nonmembers: Bool) -> PlanScenario {
        var scenario = PlanScenario(
            profiles: [
                F.organization(9001, expires: F.day(-1)),
                F.person(9002, first: "Lena", last: "Marsh", email: "lena.marsh@example.test"),
            ],
            relationships: [F.tie(9002, 9001, primary: true, mainContact: true)]
        )
        scenario.settings = F.settings(includeIndividualNonmembers: nonmembers)
        let lastUploaded = F.record(
            ofMember: F.person(9002, first: "Lena", last: "Marsh", email: "lena.marsh@example.test"),
            [F.tie(9002, 9001, primary: true, mainContact: true)],
            extra: [F.organization(9001)]
        )!
        scenario.link(9002, to: 900, holding: lastUploaded)
        return scenario
    }

    @Test func mainContactOfLapsedOrganizationMovesToGroupZeroWhenNonmembersOff() {
        let scenario = lapsedOrganization(nonmembers: false)
        let plan = scenario.plan()
        let update = plan.updates(of: 900).first
        #expect(update?.record.customerGroupID == 0)
        #expect(update?.reason == .leave)
        #expect(update?.record.company == "Org 9001")
    }

    @Test func mainContactOfLapsedOrganizationMovesToNonMemberGroupWhenNonmembersOn() {
        let scenario = lapsedOrganization(nonmembers: true)
        let plan = scenario.plan()
        let update = plan.updates(of: 900).first
        #expect(update?.record.customerGroupID == 3)
        #expect(update?.reason == .sync)
        // The organization is still live, so it still gives the company.
        #expect(update?.record.company == "Org 9001")
        // Member pricing is lost all the same: a group removal, as the dry run and the rails count it.
        #expect(plan.groupRemovals.map(\.customerID) == [900])
        #expect(plan.linkedGroupRemovals.map(\.customerID) == [900])
    }
}
