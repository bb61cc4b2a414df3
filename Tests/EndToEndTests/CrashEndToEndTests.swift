import BCSandbox
import Foundation
import MemberSync
import Testing

/// The agent killed with SIGKILL at random moments, restarted each time: nothing lost, nothing
/// duplicated, the store exactly as the rules say at the end.
@Suite(.serialized)
struct CrashEndToEndTests {
    let managed: Set<Int> = [EndToEndWorkspace.memberGroup, EndToEndWorkspace.nonmemberGroup]

    /// Starts `membersync` with `words`, kills it with SIGKILL after `delay`, returns whether it was
    /// still running (false when it finished first).
    func runAndKill(_ workspace: EndToEndWorkspace, _ words: [String], after delay: TimeInterval) async throws -> Bool {
        let process = try workspace.startMembersync(words)
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let wasRunning = process.isRunning
        if wasRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return wasRunning
    }

    /// The store as the rules say, no email with two customers, no person with two customers (traced by
    /// every email each profile held, `emailsHeld`), and no create the store refused: with the store's
    /// unique emails, a create sent again for a customer that exists is refused, not doubled.
    func expectNoDuplicatesAndMatch(_ workspace: EndToEndWorkspace, emailsHeld: [Int: Set<String>]) async throws {
        let dump = try await workspace.admin.dump()
        var seen: [String: Int] = [:]
        for customer in dump.customers { seen[customer.email.lowercased(), default: 0] += 1 }
        #expect(seen.values.allSatisfy { $0 == 1 }, "duplicated emails: \(seen.filter { $0.value > 1 }.keys.sorted())")
        let persons = StoreOracle.personsWithSeveralCustomers(store: dump, emailsHeld: emailsHeld)
        #expect(persons.isEmpty, "\(persons.prefix(20))")
        let refusedCreates = try await workspace.admin.requests().filter { $0.method == "POST" && $0.status == 422 }
        #expect(refusedCreates.isEmpty, "creates refused (sent for an email the store had): \(refusedCreates.count)")
        // After a history of changes, any profile that wants an email may rightly hold its customer.
        let claimants = try StoreOracle.claimants(mctradePath: workspace.mctrade.path)
        let problems = StoreOracle.differences(
            store: dump,
            expected: claimants.compactMapValues(\.first),
            managedGroups: managed,
            alternatives: claimants
        )
        #expect(problems.isEmpty, "\(problems.prefix(20))")
    }

    @Test func killedThirtyTimesDuringAFullSyncOfThreeThousandPeopleLosesAndDuplicatesNothing() async throws {
        let workspace = try await EndToEndWorkspace(demoPeople: 3_000)
        try await workspace.admin.addFault(["kind": "latency", "ms": 4])
        var random = SystemRandomNumberGenerator()
        var kills = 0
        var attempts = 0
        while kills < 30 && attempts < 200 {
            attempts += 1
            let delay = Double.random(in: 0.05...0.9, using: &random)
            if try await runAndKill(workspace, ["sync", "--full"], after: delay) { kills += 1 }
        }
        #expect(kills >= 30)
        try await workspace.admin.clearFaults()
        let final = try await workspace.membersync("sync", "--full")
        #expect(final.status == 0, "\(final.all)")
        let emailsHeld = try StoreOracle.emailsHeld(mctradePath: workspace.mctrade.path)
        try await expectNoDuplicatesAndMatch(workspace, emailsHeld: emailsHeld)
    }

    @Test func killedThirtyTimesWhileChangesKeepArrivingAppliesEveryChange() async throws {
        let workspace = try await EndToEndWorkspace(demoPeople: 400)
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        var emailsHeld = try StoreOracle.emailsHeld(mctradePath: workspace.mctrade.path)
        try await workspace.admin.clearRequests()
        try await workspace.admin.addFault(["kind": "latency", "ms": 3])
        let people = try workspace.mctrade.dictionaries(
            "SELECT profile_id FROM profiles WHERE kind = 'individual' AND status = 'active' ORDER BY profile_id LIMIT 200"
        ).compactMap { $0["profile_id"]?.int }
        // MC Trade keeps changing the whole time: while the service runs, when it is killed, while it is down.
        let stream = ChangeStream.start(path: workspace.mctrade.path, profiles: people, pauseMilliseconds: 40...120)
        var random = SystemRandomNumberGenerator()
        var kills = 0
        var attempts = 0
        while kills < 30 && attempts < 100 {
            attempts += 1
            if try await runAndKill(workspace, ["run"], after: Double.random(in: 0.1...0.9, using: &random)) {
                kills += 1
            }
        }
        stream.cancel()
        let written = try await stream.value
        #expect(kills >= 30)
        let writesWhileKilled = try await workspace.admin.requests().filter { $0.method != "GET" }.count
        #expect(written.changes >= 100, "only \(written.changes) changes arrived")
        #expect(writesWhileKilled > 0, "the service never wrote between kills")
        for (id, emails) in written.emailsGiven { emailsHeld[id, default: []].formUnion(emails) }
        try await workspace.admin.clearFaults()
        // The change path alone (no full sync) must have every change: then a full sync finds nothing to write.
        let final = try await workspace.membersync("sync")
        #expect(final.status == 0, "\(final.all)")
        try await expectNoDuplicatesAndMatch(workspace, emailsHeld: emailsHeld)
        try await workspace.admin.clearRequests()
        #expect(try await workspace.membersync("sync", "--full", "--force").status == 0)
        let writes = try await workspace.admin.requests().filter { $0.method != "GET" }
        #expect(writes.isEmpty, "the full sync still had \(writes.count) writes to make")
    }

    /// The person check itself: a second customer of a person who left, parked in group 0 where the
    /// rules check does not look, is caught.
    @Test func secondCustomerOfOnePersonInGroupZeroIsCaught() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertMember(1, "Ada", "One", email: "ada@example.test")
        #expect(try await workspace.membersync("sync").status == 0)
        var emailsHeld = try StoreOracle.emailsHeld(mctradePath: workspace.mctrade.path)
        try workspace.mctrade.updateProfile(id: 1, set: ["email": "ada.new@example.test"])
        emailsHeld[1, default: []].insert("ada.new@example.test")
        #expect(try await workspace.membersync("sync").status == 0)
        let clean = try await workspace.admin.dump()
        #expect(StoreOracle.personsWithSeveralCustomers(store: clean, emailsHeld: emailsHeld).isEmpty)

        try await workspace.admin.createCustomers([
            SandboxCustomerSeed(email: "ada@example.test", firstName: "Ada", lastName: "One", customerGroupID: 0)
        ])
        let doubled = try await workspace.admin.dump()
        let claimants = try StoreOracle.claimants(mctradePath: workspace.mctrade.path)
        #expect(
            StoreOracle.differences(
                store: doubled,
                expected: claimants.compactMapValues(\.first),
                managedGroups: managed
            ).isEmpty,
            "the rules check alone does not see it"
        )
        let persons = StoreOracle.personsWithSeveralCustomers(store: doubled, emailsHeld: emailsHeld)
        #expect(persons.count == 1 && persons.first?.hasPrefix("profile 1 has 2 customers") == true, "\(persons)")
    }
}
