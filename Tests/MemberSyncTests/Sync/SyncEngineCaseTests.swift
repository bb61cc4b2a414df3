import Foundation
import Synchronization
import Testing

@testable import MemberSync

/// The cases of real sync failures (shared/cases), each pinned against the engine with a real MC Trade
/// file, a real state file and an in-memory store.
@Suite struct SyncEngineCaseTests {
    @Test func lostCreateAnswerIsSettledByLookingTheEmailUpNotBySecondCreate() async throws {
        let harness = try EngineHarness()
        try harness.member(2001, "Ada", "Kovacs", email: "ada.kovacs@example.test")
        harness.store.state.withLock { $0.loseNextCreateAnswer = true }
        let first = try await harness.sync()
        #expect(first.outcome == .partial)
        #expect(try harness.state().pendingCreates()[2001] != nil)

        let second = try await harness.sync()
        #expect(second.outcome == .ok)
        let customers = harness.store.customers.filter { $0.record.emailKey == "ada.kovacs@example.test" }
        #expect(customers.count == 1)
        #expect(try harness.state().links()[2001] == customers.first?.id)
        let posts = harness.store.log.filter { $0.hasPrefix("POST") }
        #expect(posts.count == 1)
        let lookupIndex = harness.store.log.lastIndex { $0.hasPrefix("GET email:in") || $0.hasPrefix("GET list") }
        let postIndex = harness.store.log.firstIndex { $0.hasPrefix("POST") }!
        #expect(lookupIndex! > postIndex)
        // The run reports the in-doubt create and how it was settled, where operators look.
        let settled = try harness.report().filter { $0.profileID == 2001 }
        #expect(settled.map(\.code) == [.createInDoubt])
        #expect(settled.first?.customerID == customers.first?.id)
        #expect(settled.first?.message.contains("adopted") == true)
        let text = ReportCommand.render(try harness.report(), format: "text")
        #expect(text.contains("profile 2001 create_in_doubt: the answer to a create was lost; customer"))
        // And in the pass's own output and the run history.
        let sentence = "create in doubt for profile 2001 settled: the answer to a create was lost; customer"
        #expect(second.messages.contains { $0.hasPrefix(sentence) && $0.contains("adopted") })
        #expect(try harness.state().runs(limit: 1).first?.message?.hasPrefix(sentence) == true)
    }

    @Test func lostCreateAnswerOfACreateThatNeverLandedIsSettledByCreatingAndReported() async throws {
        let harness = try EngineHarness()
        try harness.member(2001, "Ada", "Kovacs", email: "ada.kovacs@example.test")
        harness.store.state.withLock { $0.loseNextCreateAnswer = true }
        #expect(try await harness.sync().outcome == .partial)
        #expect(try harness.report().map(\.code) == [.storeUnavailable])
        harness.store.state.withLock { $0.customers.removeAll() }  // the create never landed after all

        #expect(try await harness.sync().outcome == .ok)
        #expect(harness.store.customers.count == 1)
        let settled = try harness.report().filter { $0.profileID == 2001 }
        #expect(settled.map(\.code) == [.createInDoubt])
        #expect(settled.first?.customerID == harness.store.customers.first?.id)
        #expect(settled.first?.message.contains("was created") == true)
        #expect(try harness.state().runs(limit: 1).first?.message?.contains("profile 2001 settled") == true)
        #expect(try harness.state().pendingCreates().isEmpty)
    }

    /// The email changed between the lost answer and the next pass: the customer made under the email
    /// sent is found by that email, adopted and given the new one, not orphaned beside a second customer.
    @Test(arguments: [false, true])
    func lostCreateAnswerIsSettledByTheEmailSentWhenTheEmailChangedSince(full: Bool) async throws {
        let harness = try EngineHarness()
        try harness.member(2001, "Ada", "Kovacs", email: "ada.kovacs@example.test")
        harness.store.state.withLock { $0.loseNextCreateAnswer = true }
        #expect(try await harness.sync().outcome == .partial)
        #expect(try harness.state().pendingCreates()[2001] == "ada.kovacs@example.test")

        try harness.mctrade.updateProfile(id: 2001, set: ["email": "ada@kovacs.example"])
        let second = full ? try await harness.fullSync() : try await harness.sync()
        #expect(second.kind == (full ? .full : .changes))
        #expect(second.outcome == .ok)
        #expect(harness.store.customers.count == 1, "no second customer for Ada")
        let customer = harness.store.customers.first
        #expect(customer?.record.email == "ada@kovacs.example")
        #expect(customer?.record.customerGroupID == 4)
        #expect(try harness.state().links()[2001] == customer?.id)
        #expect(try harness.state().pendingCreates().isEmpty)
        #expect(harness.store.log.filter { $0.hasPrefix("POST") }.count == 1)
        #expect(try harness.report().map(\.code) == [.createInDoubt])
    }

    /// The email sent is now another profile's: that profile takes the customer made under it, and the
    /// person whose create was in doubt gets a customer under their new email (none is left out).
    @Test func lostCreateAnswerWhoseEmailAnotherProfileNowWantsIsNotTakenBack() async throws {
        let harness = try EngineHarness()
        try harness.member(2001, "Ada", "Kovacs", email: "ada.kovacs@example.test")
        harness.store.state.withLock { $0.loseNextCreateAnswer = true }
        #expect(try await harness.sync().outcome == .partial)
        let made = try #require(harness.store.customer(withEmail: "ada.kovacs@example.test"))

        try harness.mctrade.updateProfile(id: 2001, set: ["email": "ada@kovacs.example"])
        try harness.member(2002, "Ana", "Kovacs", email: "ada.kovacs@example.test")
        #expect(try await harness.sync().outcome == .ok)
        let links = try harness.state().links()
        #expect(links[2002] == made.id)
        #expect(links[2001] == harness.store.customer(withEmail: "ada@kovacs.example")?.id)
        #expect(links[2001] != nil)
        #expect(harness.store.customers.count == 2)
        #expect(try harness.state().pendingCreates().isEmpty)
    }

    /// A kind the schema does not know says nothing about the person: reported on the field, and the
    /// linked customer keeps its group through change passes and full syncs.
    @Test func profileWhoseKindTurnedUnknownIsReportedAndItsCustomerLeftAsItIs() async throws {
        let harness = try EngineHarness()
        try harness.member(1, "Ada", "One", email: "ada@example.test")
        try harness.member(2, "Bob", "Two", email: "bob@example.test")
        try await harness.sync()
        try harness.mctrade.execute(
            "PRAGMA ignore_check_constraints = 1; UPDATE profiles SET kind = 'robot' WHERE profile_id = 1"
        )
        #expect(try await harness.sync().kind == .changes)
        #expect(try await harness.fullSync().outcome == .ok)
        #expect(harness.store.customer(withEmail: "ada@example.test")?.record.customerGroupID == 4)
        let rows = try harness.report()
        #expect(rows.map(\.profileID) == [1])
        #expect(rows.first?.code == .unknownKind && rows.first?.field == "kind")
        #expect(rows.first?.message.contains("neither 'individual' nor 'organization'") == true)
    }

    @Test func deletedProfileOfUnknownKindLeavesTheMemberGroupLikeAnyDeletedProfile() async throws {
        let harness = try EngineHarness()
        try harness.member(1, "Ada", "One", email: "ada@example.test")
        try await harness.sync()
        try harness.mctrade.execute(
            "PRAGMA ignore_check_constraints = 1; "
                + "UPDATE profiles SET kind = 'robot', status = 'deleted' WHERE profile_id = 1"
        )
        #expect(try await harness.fullSync(force: true).outcome == .ok)
        #expect(harness.store.customer(withEmail: "ada@example.test")?.record.customerGroupID == 0)
        #expect(try harness.report().map(\.code) == [.notLive])
    }

    @Test func theChangePathRailCountsTheRemovalsThatLandedNotThoseCutOff() async throws {
        let harness = try EngineHarness()
        for id in 1...100 { try harness.member(id, "P\(id)", "Member", email: "p\(id)@example.test") }
        try await harness.sync()
        try harness.mctrade.execute("UPDATE profiles SET is_member = 0 WHERE profile_id <= 12")
        let store = UpdatesCutAfterOneBatch(harness.store)
        var options = harness.options
        options.concurrentWrites = 1  // batches one after the other: the batch of 10 lands, the 2 are cut off
        let engine = try harness.engine(on: store, options: options)

        _ = try? await engine.runChangePass()
        let landed = harness.store.customers.filter { $0.record.customerGroupID == 0 }.count
        #expect(landed == 10)
        let departures = try await engine.changePathDepartures()
        #expect(departures.count == landed)
    }

    /// A refusal makes the pass ask the store for its groups; when that request fails and ends the
    /// pass, the creates the store accepted in the same wave are linked all the same.
    @Test func acceptedWritesAreRecordedEvenWhenTheGroupCheckAfterARefusalFails() async throws {
        let harness = try EngineHarness()
        try harness.member(1, "Ada", "One", email: "ada@example.test")
        try await harness.sync()
        try harness.member(2, "Bob", "Two", email: "bob@example.test")
        try harness.member(3, "Cy", "Three", email: "cy@example.test")
        harness.store.state.withLock {
            $0.refusedEmails = ["cy@example.test"]
            $0.groupsFailure = .unavailable(endpoint: "GET /v2/customer_groups", attempts: 3, lastError: "down")
        }

        await #expect(throws: (any Error).self) { try await harness.sync() }
        let bob = try #require(harness.store.customer(withEmail: "bob@example.test"))
        #expect(try harness.state().links()[2] == bob.id)
        #expect(try harness.state().pendingCreates()[2] == nil)
    }

    @Test func shopperWhoRegisteredFirstIsAdoptedNotDuplicated() async throws {
        let harness = try EngineHarness()
        let existing = harness.store.seed(
            CustomerRecord(
                email: "Grace.Hollis@example.test",
                firstName: "G",
                lastName: "H",
                company: "",
                phone: "",
                customerGroupID: 0
            )
        )
        try harness.member(2002, "Grace", "Hollis", email: "grace.hollis@example.test")
        let result = try await harness.sync()
        #expect(result.outcome == .ok)
        #expect(harness.store.customers.count == 1)
        let customer = harness.store.customers[0]
        #expect(customer.id == existing)
        #expect(customer.record.customerGroupID == 4)
        #expect(customer.record.firstName == "Grace")
        #expect(!harness.store.log.contains { $0.hasPrefix("POST") })
    }

    @Test func emailCaseAndSpacesNeverMakeANewIdentity() async throws {
        let harness = try EngineHarness()
        try harness.member(2003, "Linus", "Ortega", email: "linus.ortega@example.test")
        try await harness.sync()
        let before = harness.store.log.count
        try harness.mctrade.updateProfile(id: 2003, set: ["email": "Linus.Ortega@Example.TEST"])
        try await harness.sync()
        #expect(harness.store.log.count == before)

        try harness.member(2004, "Mei", "Tanaka", email: "  mei.tanaka@example.test ")
        try harness.member(2005, "Mei", "Tanaka", email: "MEI.TANAKA@example.test")
        try await harness.sync()
        let mei = harness.store.customers.filter { $0.record.emailKey == "mei.tanaka@example.test" }
        #expect(mei.count == 1)
        #expect(mei.first?.record.email == "mei.tanaka@example.test")
        #expect(try harness.state().links()[2004] == mei.first?.id)
        let duplicate = try harness.report().first { $0.profileID == 2005 }
        #expect(duplicate?.code == .duplicateEmail)
        #expect(duplicate?.relatedProfileID == 2004)
    }

    @Test func oneRefusedRecordIsIsolatedAndTheRestOfTheBatchLands() async throws {
        let harness = try EngineHarness()
        for id in 3001...3010 {
            try harness.member(
                id,
                "Name\(id)",
                "Member",
                email: id == 3008 ? "omar.said@@example.test" : "m\(id)@example.test"
            )
        }
        harness.store.state.withLock { $0.refusedEmails = ["m3007@example.test"] }
        let result = try await harness.sync()
        #expect(result.outcome == .partial)
        #expect(harness.store.customers.count == 8)
        #expect(!harness.store.log.contains { $0.contains("omar.said") })
        let report = try harness.report()
        #expect(report.contains { $0.profileID == 3008 && $0.code == .invalidEmail })
        let refused = report.first { $0.profileID == 3007 && $0.code == .storeRejected }
        #expect(refused?.message.contains("cannot be used") == true)

        let posts = harness.store.log.filter { $0.hasPrefix("POST") }.count
        try await harness.sync()
        #expect(
            harness.store.log.filter { $0.hasPrefix("POST") }.count == posts,
            "a refused record is not resent unchanged"
        )

        try harness.mctrade.updateProfile(id: 3007, set: ["email": "m3007.new@example.test"])
        try await harness.sync()
        #expect(harness.store.customers.count == 9)
    }

    @Test func failedWritesAreRetriedOnTheNextPassWithoutAnyChange() async throws {
        let harness = try EngineHarness()
        for id in 5001...5003 { try harness.member(id, "P\(id)", "Member", email: "p\(id)@example.test") }
        harness.store.state.withLock {
            $0.writeFailure = .unavailable(endpoint: "POST /v3/customers", attempts: 5, lastError: "status 500")
        }
        // Every write of the pass failed after its retries: the store is down, so the pass fails, with
        // the store's message recorded per profile.
        await #expect(throws: StoreError.self) { try await harness.sync() }
        let rows = try harness.report().filter { $0.code == .storeUnavailable }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.message.contains("status 500") })

        harness.store.state.withLock { $0.writeFailure = nil }
        let second = try await harness.sync()
        #expect(second.outcome == .ok)
        #expect(harness.store.customers.count == 3)
        #expect(try harness.report().isEmpty)
    }

    /// A linked customer deleted in the store is created again; that create's answer is lost, and the
    /// email changes before the next pass: the customer made is found by the email sent, not made twice.
    @Test func lostAnswerOfARecreatedCustomerIsSettledByTheEmailSent() async throws {
        let harness = try EngineHarness()
        try harness.member(7001, "Ana", "Lund", email: "ana@example.test")
        try await harness.sync()
        let ana = harness.store.customer(withEmail: "ana@example.test")!
        harness.store.state.withLock { _ = $0.customers.removeValue(forKey: ana.id) }
        try harness.mctrade.updateProfile(id: 7001, set: ["phone": "555-0101"])
        harness.store.state.withLock { $0.loseNextCreateAnswer = true }
        _ = try await harness.sync()
        #expect(harness.store.customers.count == 1)

        try harness.mctrade.updateProfile(id: 7001, set: ["email": "ana.lund@example.test"])
        _ = try await harness.sync()
        #expect(harness.store.customers.count == 1, "no second customer for Ana")
        #expect(harness.store.customers.first?.record.email == "ana.lund@example.test")
        #expect(try harness.state().links()[7001] == harness.store.customers.first?.id)
        #expect(try harness.state().pendingCreates().isEmpty)
    }

    @Test func customerDeletedInTheStoreIsRecreatedAndOtherUpdatesLand() async throws {
        let harness = try EngineHarness()
        try harness.member(7001, "Ana", "Lund", email: "ana@example.test")
        try harness.member(7002, "Bo", "Lund", email: "bo@example.test")
        try await harness.sync()
        let ana = harness.store.customer(withEmail: "ana@example.test")!
        harness.store.state.withLock { _ = $0.customers.removeValue(forKey: ana.id) }

        try harness.mctrade.updateProfile(id: 7001, set: ["phone": "555-0101"])
        try harness.mctrade.updateProfile(id: 7002, set: ["phone": "555-0102"])
        let result = try await harness.sync()
        #expect(result.outcome == .ok)
        #expect(harness.store.customer(withEmail: "bo@example.test")?.record.phone == "555-0102")
        let recreated = harness.store.customer(withEmail: "ana@example.test")
        #expect(recreated?.record.phone == "555-0101")
        #expect(try harness.state().links()[7001] == recreated?.id)

        harness.store.state.withLock { _ = $0.customers.removeValue(forKey: recreated!.id) }
        try await harness.fullSync()
        #expect(harness.store.customer(withEmail: "ana@example.test") != nil)
    }

    @Test func lapsedMainContactLeavesAtTheNextFullSyncWithoutAChangeRow() async throws {
        for includeNonmembers in [false, true] {
            let harness = try EngineHarness(includeNonmembers: includeNonmembers)
            try harness.mctrade.insertOrganization(
                id: 9001,
                name: "Lapsing Co",
                isMember: true,
                memberExpiresOn: EngineHarness.day(0)
            )
            try harness.mctrade.insertIndividual(id: 9002, firstName: "Kim", lastName: "Lee", email: "kim@example.test")
            try harness.mctrade.relate(individual: 9002, organization: 9001, isMainContact: true)
            // Enough other members that one leaving stays under the 20 % safety rail.
            for id in 9100..<9110 { try harness.member(id, "M\(id)", "Member", email: "m\(id)@example.test") }
            try await harness.sync()
            #expect(harness.store.customer(withEmail: "kim@example.test")?.record.customerGroupID == 4)

            let tomorrow = Date().addingTimeInterval(86_400)
            _ = try await harness.engine(now: tomorrow).runFullSync()
            let group = harness.store.customer(withEmail: "kim@example.test")?.record.customerGroupID
            #expect(group == (includeNonmembers ? 3 : 0))
        }
    }

    @Test func accentedAndNonLatinNamesArriveIntactAndComposedFormsCostNothing() async throws {
        let harness = try EngineHarness()
        try harness.member(1, "Nguyễn Thị", "Ngọc", email: "ngoc@example.test")
        try harness.member(2, "Zoë", "Ångström", email: "zoe@example.test")
        try harness.member(3, "王", "小明", email: "wang@example.test")
        try harness.member(4, "Sam 🚀", "Rivera", email: "sam@example.test")
        try harness.member(5, "Zoe\u{0308}", "Park", email: "zoe.park@example.test")
        try harness.member(6, String(repeating: "é", count: 99) + "👩‍👩‍👧", "Long", email: "long@example.test")
        try await harness.sync()
        #expect(harness.store.customer(withEmail: "ngoc@example.test")?.record.firstName == "Nguyễn Thị")
        #expect(harness.store.customer(withEmail: "zoe.park@example.test")?.record.firstName == "Zoë")
        let long = harness.store.customer(withEmail: "long@example.test")!.record.firstName
        #expect(long.unicodeScalars.count <= 100)
        #expect(long == String(repeating: "é", count: 99))

        let before = harness.store.log.count
        try harness.mctrade.updateProfile(id: 2, set: ["first_name": "Zoe\u{0308}"])
        try await harness.sync()
        #expect(harness.store.log.count == before)
    }

    @Test func emailFreedByOneProfileGoesToTheProfileWaitingForItInTheSamePass() async throws {
        let harness = try EngineHarness()
        try harness.member(1, "Xena", "One", email: "shared@example.test")
        try harness.member(2, "Yuri", "Two", email: "shared@example.test")
        try await harness.sync()
        #expect(harness.store.customers.count == 1)
        #expect(try harness.report().first { $0.profileID == 2 }?.code == .duplicateEmail)

        try harness.mctrade.updateProfile(id: 1, set: ["email": "xena@example.test"])
        let result = try await harness.sync()
        #expect(result.outcome == .ok)
        #expect(harness.store.customer(withEmail: "xena@example.test") != nil)
        let shared = harness.store.customer(withEmail: "shared@example.test")
        #expect(shared?.record.firstName == "Yuri")
        #expect(try harness.state().links()[2] == shared?.id)
        #expect(try harness.report().filter { $0.profileID == 2 }.isEmpty)
    }
}

/// Lets the first batch of updates through; every later one is cut off, as a stop cuts a pass.
final class UpdatesCutAfterOneBatch: ForwardingStore, Sendable {
    let base: InMemoryStore
    private let batches = Mutex(0)

    init(_ base: InMemoryStore) { self.base = base }

    func updateCustomers(_ updates: [CustomerUpdate]) async throws -> [StoreCustomer] {
        guard
            batches.withLock({ count in
                count += 1
                return count == 1
            })
        else { throw CancellationError() }
        return try await base.updateCustomers(updates)
    }
}
