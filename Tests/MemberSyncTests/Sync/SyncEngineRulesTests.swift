import Foundation
import MCTradeDemo
import SQLiteDB
import Testing

@testable import MemberSync

/// Sync-rules sections 1 and 5 as the engine meets them: settings changes, organization changes, settings
/// that are incomplete, and "today" in the configured time zone.
@Suite struct SyncEngineRulesTests {
    /// Members 1 and 2 (main contacts of member organization 100), member 3 (a primary tie to it), and
    /// member 4 (tied to nothing), all synced by a first full sync.
    func association() async throws -> EngineHarness {
        let harness = try EngineHarness()
        try harness.mctrade.insertOrganization(id: 100, name: "Acme Tools", isMember: true)
        for id in 1...2 {
            try harness.mctrade.insertIndividual(
                id: id,
                firstName: "Main\(id)",
                lastName: "Contact",
                email: "p\(id)@example.test"
            )
            try harness.mctrade.relate(individual: id, organization: 100, isPrimary: true, isMainContact: true)
        }
        try harness.member(3, "Own", "Member", email: "p3@example.test")
        try harness.mctrade.relate(individual: 3, organization: 100, isPrimary: true)
        try harness.member(4, "Lone", "Member", email: "p4@example.test")
        #expect(try await harness.sync().kind == .full)
        return harness
    }

    func customer(_ id: Int, in harness: EngineHarness) -> CustomerRecord? {
        harness.store.customer(withEmail: "p\(id)@example.test")?.record
    }

    func writes(in harness: EngineHarness) -> [String] {
        harness.store.log.filter { $0.hasPrefix("PUT") || $0.hasPrefix("POST") }
    }

    // MARK: - Section 5: what a change reaches

    @Test func settingsChangeInTheChangeLogRunsAFullSync() async throws {
        let harness = try await association()
        // A stranger in the member group: only a full sync looks at customers nobody changed.
        let stranger = harness.store.seed(
            CustomerRecord(
                email: "stranger@example.test",
                firstName: "Sam",
                lastName: "Stranger",
                company: "",
                phone: "",
                customerGroupID: 4
            )
        )
        try harness.mctrade.insertIndividual(id: 5, firstName: "Non", lastName: "Member", email: "p5@example.test")
        #expect(try await harness.sync().kind == .changes)
        #expect(customer(5, in: harness) == nil)

        try harness.mctrade.setSettings(memberGroupID: 4, nonmemberGroupID: 3, includeIndividualNonmembers: true)
        let result = try await harness.sync()
        #expect(result.kind == .full)
        #expect(result.outcome == .ok)
        #expect(customer(5, in: harness)?.customerGroupID == 3)
        #expect(harness.store.customers.first { $0.id == stranger }?.record.customerGroupID == 0)
        #expect(try harness.state().meta(MetaKey.fullSyncNeeded) == nil)
    }

    @Test func organizationChangeReachesEveryRelatedIndividualInOnePass() async throws {
        let harness = try await association()
        try harness.mctrade.updateProfile(id: 100, set: ["org_name": "Acme Tools & Dies"])
        let result = try await harness.sync()
        #expect(result.kind == .changes)
        for id in 1...3 { #expect(customer(id, in: harness)?.company == "Acme Tools & Dies", "profile \(id)") }
        #expect(customer(4, in: harness)?.company == "")
        #expect(result.counts.updated == 3)
    }

    @Test func deletedOrganizationWhoseRelationshipRowsRemainReachesEveryRelatedIndividual() async throws {
        let harness = try await association()
        try harness.mctrade.deleteProfile(id: 100)
        let ties = try Database(path: harness.mctrade.path).query(
            "SELECT count(*) FROM relationships WHERE organization_id = 100"
        )
        #expect(ties.first?.int(0) == 3)
        let result = try await harness.sync()
        #expect(result.kind == .changes)
        // The main contacts leave; the member keeps its group and loses the company.
        #expect(customer(1, in: harness)?.customerGroupID == 0)
        #expect(customer(2, in: harness)?.customerGroupID == 0)
        #expect(customer(1, in: harness)?.company == "Acme Tools")
        #expect(customer(3, in: harness)?.customerGroupID == 4)
        #expect(customer(3, in: harness)?.company == "")
        #expect(customer(4, in: harness)?.customerGroupID == 4)
    }

    // MARK: - Section 4: a leave on the change path

    @Test func leaveOnTheChangePathKeepsValuesEditedInTheStoreSinceTheLastWrite() async throws {
        let harness = try await association()
        harness.store.state.withLock { state in
            let id = state.customers.values.first { $0.record.emailKey == "p4@example.test" }!.id
            state.customers[id]!.record.firstName = " Lone"
            state.customers[id]!.record.phone = "555 0104 (own)"
        }
        try harness.mctrade.updateProfile(id: 4, set: ["is_member": 0])
        let result = try await harness.sync()
        #expect(result.kind == .changes)
        let left = try #require(customer(4, in: harness))
        #expect(left.customerGroupID == 0)
        #expect(left.firstName.unicodeScalars.elementsEqual(" Lone".unicodeScalars))
        #expect(left.phone == "555 0104 (own)")
    }

    // MARK: - Section 1: incomplete settings in the change path

    /// A pass that fails leaves profile 1 in the outbox; then profile 2 changes and the settings become
    /// what `incomplete` makes them. The next pass must write nothing and keep its place.
    func expectIncompleteSettingsStopTheChangePath(
        saying reason: String,
        _ incomplete: (MCTradeDatabase) throws -> Void
    ) async throws -> EngineHarness {
        let harness = try await association()
        harness.store.state.withLock {
            $0.writeFailure = .unavailable(endpoint: "PUT /v3/customers", attempts: 5, lastError: "status 503")
        }
        try harness.mctrade.updateProfile(id: 1, set: ["last_name": "First"])
        await #expect(throws: StoreError.self) { try await harness.sync() }
        harness.store.state.withLock { $0.writeFailure = nil }
        let cursor = try harness.state().cursor()
        #expect(try harness.state().outbox().map(\.profileID) == [1])
        let writesBefore = writes(in: harness)
        let storeBefore = harness.store.customers

        try harness.mctrade.updateProfile(id: 2, set: ["last_name": "Second"])
        try incomplete(harness.mctrade)
        let error = await #expect(throws: SyncError.self) { try await harness.sync() }
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.contains("nothing was written") == true)
        #expect(writes(in: harness) == writesBefore)
        #expect(harness.store.customers == storeBefore)
        #expect(try harness.state().cursor() == cursor)
        #expect(try harness.state().outbox().map(\.profileID) == [1])
        return harness
    }

    @Test func missingMemberGroupStopsTheChangePathWithoutLosingItsPlace() async throws {
        let harness = try await expectIncompleteSettingsStopTheChangePath(saying: "member_group_id is not set") {
            try $0.setSettings(memberGroupID: nil, nonmemberGroupID: 3)
        }
        // Fixing the settings is itself a settings change: the full sync applies everything waiting.
        try harness.mctrade.setSettings(memberGroupID: 4, nonmemberGroupID: 3)
        let result = try await harness.sync()
        #expect(result.kind == .full)
        #expect(customer(1, in: harness)?.lastName == "First")
        #expect(customer(2, in: harness)?.lastName == "Second")
        #expect(try harness.state().outbox().isEmpty)
    }

    @Test func nonmembersOnWithoutANonMemberGroupStopsTheChangePath() async throws {
        _ = try await expectIncompleteSettingsStopTheChangePath(saying: "nonmember_group_id is not set") {
            try $0.setSettings(memberGroupID: 4, nonmemberGroupID: nil, includeIndividualNonmembers: true)
        }
    }

    @Test func groupMissingInTheStoreStopsTheChangePath() async throws {
        let harness = try await expectIncompleteSettingsStopTheChangePath(saying: "group(s) 99") {
            try $0.setSettings(memberGroupID: 99, nonmemberGroupID: 3)
        }
        #expect(harness.store.customers.allSatisfy { $0.record.customerGroupID == 4 })
    }

    // MARK: - Section 0: today in the configured time zone

    @Test func expiryIsReadInTheConfiguredTimeZoneNotInUTC() async throws {
        // 03:00 UTC on 16 June is 22:00 on 15 June in Chicago (UTC-5 in summer).
        let instant = try #require(ISO8601DateFormatter().date(from: "2026-06-16T03:00:00Z"))
        let chicago = try EngineHarness()
        chicago.options.timeZone = try #require(TimeZone(identifier: "America/Chicago"))
        try chicago.member(1, "Ada", "Kovacs", email: "ada@example.test", expires: "2026-06-15")
        #expect(try await chicago.engine(now: instant).runFullSync().outcome == .ok)
        #expect(chicago.store.customer(withEmail: "ada@example.test")?.record.customerGroupID == 4)

        let utc = try EngineHarness()
        try utc.member(1, "Ada", "Kovacs", email: "ada@example.test", expires: "2026-06-15")
        #expect(try await utc.engine(now: instant).runFullSync().outcome == .ok)
        #expect(utc.store.customers.isEmpty)

        // Midnight in Chicago: the membership has ended there too (the one member leaving is forced
        // past the removal rail).
        let midnight = instant.addingTimeInterval(2 * 3600)
        #expect(try await chicago.engine(now: midnight).runFullSync(force: true).outcome == .ok)
        #expect(chicago.store.customer(withEmail: "ada@example.test")?.record.customerGroupID == 0)
    }
}
