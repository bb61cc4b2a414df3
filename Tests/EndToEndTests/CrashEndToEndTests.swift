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

    func expectNoDuplicatesAndMatch(_ workspace: EndToEndWorkspace) async throws {
        let dump = try await workspace.admin.dump()
        var seen: [String: Int] = [:]
        for customer in dump.customers { seen[customer.email.lowercased(), default: 0] += 1 }
        #expect(seen.values.allSatisfy { $0 == 1 }, "duplicated emails: \(seen.filter { $0.value > 1 }.keys.sorted())")
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
        try await expectNoDuplicatesAndMatch(workspace)
    }

    @Test func killedRepeatedlyWhileFollowingAStreamOfChangesAppliesEveryChange() async throws {
        let workspace = try await EndToEndWorkspace(demoPeople: 400)
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        try await workspace.admin.addFault(["kind": "latency", "ms": 3])
        let db = workspace.mctrade
        let people = try db.dictionaries(
            "SELECT profile_id FROM profiles WHERE kind = 'individual' AND status = 'active' ORDER BY profile_id LIMIT 200"
        ).compactMap { $0["profile_id"]?.int }
        var random = SystemRandomNumberGenerator()
        var kills = 0
        for round in 0..<30 {
            for _ in 0..<10 {
                let id = people[Int.random(in: 0..<people.count, using: &random)]
                switch Int.random(in: 0..<4, using: &random) {
                case 0: try db.updateProfile(id: id, set: ["last_name": .text("Round\(round)-\(id)")])
                case 1:
                    try db.updateProfile(id: id, set: ["is_member": .integer(Int64.random(in: 0...1, using: &random))])
                case 2: try db.updateProfile(id: id, set: ["phone": .text("555-\(round)")])
                default: try db.updateProfile(id: id, set: ["email": .text("moved\(round).\(id)@example.test")])
                }
            }
            if try await runAndKill(workspace, ["run"], after: Double.random(in: 0.05...0.6, using: &random)) {
                kills += 1
            }
        }
        #expect(kills >= 25)
        try await workspace.admin.clearFaults()
        // The change path alone (no full sync) must have every change: then a full sync finds nothing to write.
        let final = try await workspace.membersync("sync")
        #expect(final.status == 0, "\(final.all)")
        try await expectNoDuplicatesAndMatch(workspace)
        try await workspace.admin.clearRequests()
        #expect(try await workspace.membersync("sync", "--full", "--force").status == 0)
        let writes = try await workspace.admin.requests().filter { $0.method != "GET" }
        #expect(writes.isEmpty, "the full sync still had \(writes.count) writes to make")
    }
}
