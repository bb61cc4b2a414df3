import MemberSync
import Testing

/// Sync-rules section 3: linking profiles to customers, adoption, relinking and duplicate emails.
struct SyncPlannerTests {
    typealias F = RuleFixtures

    // MARK: - Linked profiles

    @Test func linkedProfileIsUpdatedToItsRecord() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, last: "Nguyen")])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(lastName: "Ng"))
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        #expect(plan.updates.count == 1)
        let update = plan.updates.first
        #expect(update?.customerID == 100)
        #expect(update?.profileID == 1)
        #expect(update?.reason == .sync)
        #expect(update?.record == scenario.wanted(1))
        #expect(update?.record.lastName == "Nguyen")
        #expect(update?.record.customerGroupID == 4)
        #expect(update?.previous?.lastName == "Ng")
    }

    @Test func unchangedLinkedProfileGetsNoWrite() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true)])
        scenario.link(1, to: 100)
        let plan = scenario.plan()
        #expect(plan.writeCount == 0)
        #expect(plan.updates.isEmpty)
        #expect(plan.creates.isEmpty)
        #expect(plan.unchanged == 1)
        #expect(plan.reports.isEmpty)
    }

    @Test func caseOnlyEmailChangeOfLinkedProfileGetsNoRequest() {
        var scenario = PlanScenario(profiles: [F.person(2003, member: true, email: "Linus.Ortega@Example.TEST")])
        scenario.link(2003, to: 100, holding: scenario.wanted(2003).with(email: "linus.ortega@example.test"))
        let plan = scenario.plan()
        #expect(plan.writeCount == 0)
        #expect(plan.creates.isEmpty)
        #expect(plan.reports.isEmpty)
    }

    @Test func composedVersusDecomposedNameOfLinkedProfileGetsNoWrite() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, first: "Zoe\u{0308}", last: "Park")])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(firstName: "Zo\u{00EB}"))
        #expect(scenario.plan().writeCount == 0)
    }

    @Test func groupChangedInTheStoreIsSetBack() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true)])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(group: 0))
        let update = scenario.plan().updates.first
        #expect(update?.record.customerGroupID == 4)
        #expect(update?.reason == .sync)
    }

    @Test func linkedProfileMovingToNonMemberGroupIsUpdated() {
        var scenario = PlanScenario(profiles: [F.person(1)])
        scenario.settings = F.settings(includeIndividualNonmembers: true)
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(group: 4))
        let update = scenario.plan().updates(of: 100).first
        #expect(update?.record.customerGroupID == 3)
        #expect(update?.reason == .sync)
    }

    @Test func linkedCustomerDeletedInTheStoreIsCreatedAgain() {
        var scenario = PlanScenario(profiles: [F.person(7001, member: true)])
        scenario.links[7001] = 100
        scenario.lastSent[100] = scenario.wanted(7001)
        let plan = scenario.plan()
        #expect(plan.creates.map(\.profileID) == [7001])
        #expect(plan.creates.first?.record == scenario.wanted(7001))
        #expect(plan.updates.isEmpty)
    }

    @Test func linkedCustomerMissingFromAPartialViewIsNotCreatedAgain() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true)], isComplete: false)
        scenario.links[1] = 100
        scenario.lastSent[100] = scenario.wanted(1)
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        #expect(plan.writeCount == 0)
    }

    // MARK: - Linked profiles with bad fields

    @Test func linkedEmailHeldByAnotherCustomerKeepsOldEmailAndUpdatesTheRest() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, last: "New", email: "taken@example.test")])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(email: "old@example.test", lastName: "Old"))
        scenario.customers.append(PlanScenario.stranger(200, email: "Taken@Example.test"))
        let plan = scenario.plan()
        let update = plan.updates(of: 100).first
        #expect(update?.record.email == "old@example.test")
        #expect(update?.record.lastName == "New")
        #expect(plan.codes(of: 1) == [.emailConflict])
        #expect(plan.report(of: 1, .emailConflict)?.customerID == 100)
        #expect(plan.creates.isEmpty)
        #expect(plan.updates(of: 200).isEmpty)
    }

    @Test func linkedEmailConflictAloneMakesNoWrite() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, email: "taken@example.test")])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(email: "old@example.test"))
        scenario.customers.append(PlanScenario.stranger(200, email: "taken@example.test"))
        let plan = scenario.plan()
        #expect(plan.writeCount == 0)
        #expect(plan.codes(of: 1) == [.emailConflict])
    }

    @Test func linkedProfileWhoseEmailWentMissingKeepsOldEmail() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, last: "New", email: nil)])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(email: "old@example.test", lastName: "Old"))
        let plan = scenario.plan()
        let update = plan.updates(of: 100).first
        #expect(update?.record.email == "old@example.test")
        #expect(update?.record.lastName == "New")
        #expect(update?.record.customerGroupID == 4)
        #expect(plan.codes(of: 1) == [.missingEmail])
    }

    @Test func linkedProfileWhoseEmailBecameMalformedKeepsOldEmail() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, email: "old@@example.test", phone: "555")])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(email: "old@example.test", phone: "444"))
        let plan = scenario.plan()
        let update = plan.updates(of: 100).first
        #expect(update?.record.email == "old@example.test")
        #expect(update?.record.phone == "555")
        #expect(plan.codes(of: 1) == [.invalidEmail])
        #expect(plan.creates.isEmpty)
    }

    @Test func linkedProfileWhoseNameWentMissingKeepsOldNameAndUpdatesTheRest() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, first: " ", phone: "555")])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(firstName: "Ada", phone: "444"))
        let plan = scenario.plan()
        let update = plan.updates(of: 100).first
        #expect(update?.record.firstName == "Ada")
        #expect(update?.record.phone == "555")
        #expect(plan.codes(of: 1) == [.missingName])
        #expect(plan.report(of: 1, .missingName)?.field == "first_name")
    }

    @Test func storeValuesThatTheRulesWouldTrimOrCutAreSetBack() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, phone: "555-0101")])
        let edited = scenario.wanted(1).with(
            firstName: " Ada",
            lastName: "Kovacs" + String(repeating: "s", count: 120),
            phone: String(repeating: "5", count: 60)
        )
        scenario.link(1, to: 100, holding: edited)
        let update = scenario.plan().updates(of: 100).first
        #expect(update?.reason == .sync)
        #expect(update?.record == scenario.wanted(1))
        #expect(update?.previous?.differingFields(from: scenario.wanted(1)) == ["first_name", "last_name", "phone"])
    }

    @Test func linkedProfileWhoseNameIsCutToNothingKeepsOldNameAndUpdatesTheRest() {
        let unfitting = "q" + String(repeating: "\u{0307}", count: 100)
        var scenario = PlanScenario(profiles: [F.person(1, member: true, first: unfitting, phone: "555-0101")])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(firstName: "Quinn", phone: "555-0000"))
        let plan = scenario.plan()
        #expect(plan.codes(of: 1) == [.missingName])
        let update = plan.updates(of: 100).first
        #expect(update?.record.firstName == "Quinn")
        #expect(update?.record.phone == "555-0101")
    }

    @Test func keptStoreNameTooLongForAWriteIsSentCutWhenOtherFieldsChange() {
        let long = String(repeating: "Q", count: 120)
        var scenario = PlanScenario(profiles: [F.person(1, member: true, first: nil, phone: "555-0101")])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(firstName: long))
        #expect(scenario.plan().writeCount == 0)

        scenario.customers[0].record.phone = "555-0000"
        let update = scenario.plan().updates(of: 100).first
        #expect(update?.record.firstName == String(repeating: "Q", count: 100))
        #expect(update?.record.phone == "555-0101")
    }

    @Test func linkedProfileWithOnlyABadFieldMakesNoWriteButIsReported() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, last: nil)])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(lastName: "Kovacs"))
        let plan = scenario.plan()
        #expect(plan.writeCount == 0)
        #expect(plan.codes(of: 1) == [.missingName])
    }

    @Test func linkedProfileWithBadFieldStillMovesGroup() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true, email: "broken")])
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(email: "ok@example.test", group: 0))
        let update = scenario.plan().updates(of: 100).first
        #expect(update?.record.customerGroupID == 4)
        #expect(update?.record.email == "ok@example.test")
    }

    // MARK: - Unlinked profiles

    @Test func unlinkedProfileGetsANewCustomer() {
        let scenario = PlanScenario(profiles: [F.person(2001, member: true, email: "ada.kovacs@example.test")])
        let plan = scenario.plan()
        #expect(plan.creates.map(\.profileID) == [2001])
        #expect(plan.creates.first?.record == scenario.wanted(2001))
        #expect(plan.updates.isEmpty)
        #expect(plan.reports.isEmpty)
    }

    @Test func unlinkedProfileAdoptsShopperWhoRegisteredFirst() {
        var scenario = PlanScenario(profiles: [
            F.person(2002, member: true, first: "Grace", last: "Hollis", email: "grace.hollis@example.test")
        ])
        scenario.customers = [PlanScenario.stranger(500, email: "grace.hollis@example.test", first: "G", last: "H")]
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        #expect(plan.updates.count == 1)
        let update = plan.updates.first
        #expect(update?.customerID == 500)
        #expect(update?.profileID == 2002)
        #expect(update?.reason == .adopt)
        #expect(update?.record.customerGroupID == 4)
        #expect(update?.record.firstName == "Grace")
        #expect(update?.needsWrite == true)
        #expect(plan.reports.isEmpty)
    }

    @Test func adoptionMatchesEmailWhateverItsCaseAndSpaces() {
        var scenario = PlanScenario(profiles: [
            F.person(2002, member: true, email: "  grace.hollis@example.test\u{00A0}")
        ])
        scenario.customers = [PlanScenario.stranger(500, email: "Grace.Hollis@Example.TEST")]
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        #expect(plan.updates.first?.customerID == 500)
        #expect(plan.updates.first?.reason == .adopt)
    }

    @Test func adoptingACustomerThatAlreadyMatchesOnlyRecordsTheLink() {
        var scenario = PlanScenario(profiles: [F.person(1, member: true)])
        scenario.customers = [StoreCustomer(id: 500, record: scenario.wanted(1))]
        let plan = scenario.plan()
        #expect(plan.updates.first?.reason == .adopt)
        #expect(plan.updates.first?.needsWrite == false)
        #expect(plan.writeCount == 0)
    }

    @Test(arguments: ["merged", "deleted", "inactive", "lapsed", "gone"])
    func unlinkedProfileTakesOverCustomerOfProfileThatLeft(how: String) {
        var old = F.person(1, member: true, email: "same@example.test")
        switch how {
        case "merged": old.mergedInto = 2
        case "deleted", "inactive": old.status = how
        default: old.memberExpiresOn = F.day(-30)
        }
        let survivor = F.person(2, member: true, last: "Survivor", email: "Same@Example.test")
        var scenario = PlanScenario(profiles: how == "gone" ? [survivor] : [old, survivor])
        let oldRecord = F.record(ofMember: F.person(1, member: true, email: "same@example.test"))!
        scenario.link(1, to: 100, holding: oldRecord)
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        let updates = plan.updates(of: 100)
        #expect(updates.count == 1)
        #expect(updates.first?.reason == .relink)
        #expect(updates.first?.profileID == 2)
        #expect(updates.first?.relinkedFrom == 1)
        #expect(updates.first?.record == scenario.wanted(2))
        let report = plan.report(of: 2, .relinked)
        #expect(report?.relatedProfileID == 1)
        #expect(report?.customerID == 100)
    }

    @Test func unlinkedProfileDoesNotTakeCustomerOfProfileThatStays() {
        var scenario = PlanScenario(profiles: [
            F.person(1, member: true, email: "old@example.test"),
            F.person(2, member: true, email: "new@example.test"),
        ])
        // Profile 1 moves away from an address that profile 2 wants; the store still shows it on 1's customer.
        scenario.link(1, to: 100, holding: scenario.wanted(1).with(email: "new@example.test"))
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        #expect(plan.updates(of: 100).allSatisfy { $0.profileID == 1 })
        #expect(!plan.codes(of: 2).contains(.relinked))
    }

    @Test func unlinkedProfileWithProblemsIsReportedAndNotUploaded() {
        let scenario = PlanScenario(profiles: [
            F.person(1, member: true, email: nil),
            F.person(2, member: true, email: "omar.said@@example.test"),
            F.person(3, member: true, first: nil),
        ])
        let plan = scenario.plan()
        #expect(plan.creates.isEmpty)
        #expect(plan.codes(of: 1) == [.missingEmail])
        #expect(plan.codes(of: 2) == [.invalidEmail])
        #expect(plan.codes(of: 3) == [.missingName])
    }

    @Test func profilesOutsideTheScopeAreLeftAlone() {
        let scenario = PlanScenario(profiles: [F.person(1, member: true), F.person(2, member: true)])
        let plan = scenario.plan(scope: [2])
        #expect(plan.creates.map(\.profileID) == [2])
        #expect(plan.reports.allSatisfy { $0.profileID == 2 })
    }
}
