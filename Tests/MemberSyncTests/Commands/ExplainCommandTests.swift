import Foundation
import MCTradeDemo
import Testing

@testable import MemberSync

/// `membersync explain`: why a person is (not) in a group, on real MC Trade and state files.
@Suite struct ExplainCommandTests {
    func explain(_ harness: CommandHarness, _ id: Int) throws -> ProfileExplanation {
        try ProfileExplanation.make(
            profileID: id,
            snapshot: MCTradeSource(path: harness.engine.mctrade.path).readSnapshot(),
            state: harness.engine.state(),
            graceDays: 0,
            timeZone: TimeZone(identifier: "UTC")!
        )
    }

    @Test func aDemoMainContactOfALapsedOrganizationIsToldWhyNotInTheMemberGroup() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let today = CalendarDay(date: Date(), timeZone: TimeZone(identifier: "UTC")!)
        let path = directory.appendingPathComponent("mctrade.sqlite").path
        try DemoDataGenerator(people: 20, organizations: 7, today: today.description).write(to: path)
        let state = try StateStore(path: directory.appendingPathComponent("state.sqlite").path)
        // Profile 8 is the first person: main contact of organization 1, whose membership ended yesterday.
        let explanation = try ProfileExplanation.make(
            profileID: 8,
            snapshot: MCTradeSource(path: path).readSnapshot(),
            state: state,
            graceDays: 0,
            timeZone: TimeZone(identifier: "UTC")!
        )
        #expect(explanation.evaluation?.groupID == nil)
        let text = explanation.text()
        #expect(text.contains("profile 8: NOT IN ANY GROUP"))
        #expect(
            text.contains("organization: 1 'Harbour Plumbing Ltd' (membership expired on \(today.adding(days: -1)))")
        )
        #expect(text.contains("main contact"))
        #expect(text.contains("organization 1 does not count now"))
        #expect(text.contains("not linked to a customer"))
    }

    @Test func anOrganizationIsShownByItsOrgName() async throws {
        let harness = try CommandHarness()
        try harness.engine.mctrade.insertOrganization(
            id: 50,
            name: "Granite Builders Co.",
            isMember: true,
            memberExpiresOn: nil
        )
        let text = try explain(harness, 50).text()
        #expect(text.contains("MC Trade:     organization 'Granite Builders Co.'"))
    }

    @Test func aSyncedMemberShowsRuleCustomerAndWhatWasLastSent() async throws {
        let harness = try CommandHarness()
        try harness.engine.mctrade.insertOrganization(
            id: 50,
            name: "Granite Builders Co.",
            isMember: true,
            memberExpiresOn: nil
        )
        try harness.engine.mctrade.insertIndividual(
            id: 101,
            firstName: "Jon",
            lastName: "Park",
            email: "jon@example.test"
        )
        try harness.engine.mctrade.relate(
            individual: 101,
            organization: 50,
            type: "Employee",
            isPrimary: true,
            isMainContact: true
        )
        try await harness.engine.sync()

        let explanation = try explain(harness, 101)
        #expect(explanation.evaluation?.rule == .mainContactOfMemberOrganization(50))
        let customer = try #require(explanation.customerID)
        #expect(harness.engine.store.customers.first { $0.id == customer }?.record.customerGroupID == 4)
        let text = explanation.text()
        #expect(text.contains("belongs in the member group (4) because: main contact of member organization 50"))
        #expect(text.contains("linked to customer \(customer)"))
        #expect(text.contains("last sent:"))
        #expect(text.contains("outbox:       nothing waiting"))
    }

    @Test func aRefusedProfileShowsItsHeldOutboxEntryAndReportRow() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        harness.engine.store.state.withLock { $0.refusedEmails = ["ada@example.test"] }
        try await harness.engine.sync()
        let text = try explain(harness, 101).text()
        #expect(text.contains("HELD after 1 attempts"))
        #expect(text.contains("membersync retry 101"))
        #expect(text.contains("report:       store_rejected"))
    }

    @Test func anUnknownProfileExitsOneAndABadIdIsAUsageError() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.engine.sync()
        #expect(await harness.main(["explain", "999"]) == 1)
        #expect(await harness.main(["explain", "abc"]) == 64)
        #expect(await harness.main(["explain", "101"]) == 0)
        #expect(await harness.main(["explain", "101", "--format", "json"]) == 0)
    }
}
