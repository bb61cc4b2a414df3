import BCSandbox
import Foundation
import MemberSync
import Testing

/// The cases of real sync failures (shared/cases) that need the store to misbehave, against the
/// built agent and the sandbox told how to misbehave.
@Suite(.serialized)
struct CaseEndToEndTests {
    @Test func shopperWhoRegisteredFirstKeepsNotesAndPasswordWhenAdopted() async throws {
        let workspace = try await EndToEndWorkspace()
        let ids = try await workspace.admin.createCustomers([
            SandboxCustomerSeed(
                email: "grace.hollis@example.test",
                firstName: "G",
                lastName: "H",
                customerGroupID: 0,
                notes: "VIP",
                password: "her-own-secret-1"
            )
        ])
        try workspace.mctrade.insertIndividual(
            id: 2002,
            firstName: "Grace",
            lastName: "Hollis",
            email: "grace.hollis@example.test",
            isMember: true
        )
        let output = try await workspace.membersync("sync")
        #expect(output.status == 0, "\(output.all)")
        let customers = try await workspace.admin.dump().customers
        #expect(customers.count == 1)
        let grace = try #require(customers.first)
        #expect(grace.id == ids.first)
        #expect(grace.customerGroupID == EndToEndWorkspace.memberGroup)
        #expect(grace.firstName == "Grace")
        #expect(grace.notes == "VIP")
        #expect(grace.hasPassword)
        #expect(!(try await workspace.admin.requests()).contains { $0.method == "POST" })
    }

    @Test func updateThatWouldResetTheGroupWhenLeftOutKeepsTheMemberGroup() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertIndividual(
            id: 6002,
            firstName: "Lan",
            lastName: "Ng",
            email: "lan@example.test",
            isMember: true
        )
        #expect(try await workspace.membersync("sync").status == 0)
        try await workspace.admin.addFault(["kind": "put_without_group_resets", "enabled": true])
        try workspace.mctrade.updateProfile(id: 6002, set: ["last_name": "Nguyen"])
        #expect(try await workspace.membersync("sync").status == 0)
        let lan = try await workspace.admin.dump().customers.first
        #expect(lan?.lastName == "Nguyen")
        #expect(lan?.customerGroupID == EndToEndWorkspace.memberGroup)
    }

    @Test func oneEmailTheStoreRefusesIsIsolatedAndTheRunIsPartial() async throws {
        let workspace = try await EndToEndWorkspace()
        for id in 3001...3010 {
            try workspace.mctrade.insertIndividual(
                id: id,
                firstName: "M\(id)",
                lastName: "Member",
                email: id == 3008 ? "omar.said@@example.test" : "m\(id)@example.test",
                isMember: true
            )
        }
        try await workspace.admin.addFault(["kind": "reject_email", "email": "m3007@example.test"])
        let output = try await workspace.membersync("sync")
        #expect(output.status == 2, "\(output.all)")
        #expect(output.standardOutput.contains("partial"))
        let customers = try await workspace.admin.dump().customers
        #expect(customers.count == 8)
        let report = try await workspace.membersync("report", "--format", "csv").standardOutput
        #expect(report.contains("3008") && report.contains("invalid_email"))
        #expect(report.contains("3007") && report.contains("store_rejected"))

        try await workspace.admin.clearRequests()
        _ = try await workspace.membersync("sync")
        #expect(try await workspace.admin.requests().filter { $0.method == "POST" }.isEmpty)
        try await workspace.admin.clearFaults()
        let retry = try await workspace.membersync("retry", "3007")
        #expect(retry.status == 0)
        #expect(try await workspace.membersync("sync").status == 0)
        #expect(try await workspace.admin.dump().customers.count == 9)
    }

    @Test func quotaSharedWithAnotherAppIsPacedByTheHeadersWithoutA429() async throws {
        // As in the case: another app spends so that our answers show about 40, 12, 4 requests left.
        let workspace = try await EndToEndWorkspace(quota: 150, windowMilliseconds: 4_000)
        for id in 1...30 {
            try workspace.mctrade.insertIndividual(
                id: id,
                firstName: "P\(id)",
                lastName: "Member",
                email: "p\(id)@example.test",
                isMember: true
            )
        }
        #expect(try await workspace.membersync("sync").status == 0)
        for id in 1...30 { try workspace.mctrade.updateProfile(id: id, set: ["last_name": .text("Changed\(id)")]) }
        _ = try await workspace.admin.setQuota(spend: 150 - 41, spendPerRequest: 27)
        try await workspace.admin.clearRequests()
        let output = try await workspace.membersync("sync")
        #expect(output.status == 0, "\(output.all)")
        let requests = try await workspace.admin.requests()
        #expect(
            !requests.contains { $0.status == 429 },
            "\(requests.map { "\($0.method) \($0.status) \($0.startedMilliseconds % 100_000)-\($0.finishedMilliseconds % 100_000)" })"
        )
        #expect(requests.filter { $0.method == "PUT" }.count == 3)
        let span = (requests.last?.startedMilliseconds ?? 0) - (requests.first?.startedMilliseconds ?? 0)
        #expect(span >= 3_000, "the third update should wait for the window's reset")
        #expect(try await workspace.admin.dump().customers.allSatisfy { $0.lastName.hasPrefix("Changed") })
    }

    @Test func accessTokenAppearsInNoOutputStateReportOrArguments() async throws {
        let workspace = try await EndToEndWorkspace(
            extraConfig: ["logging": ["level": "trace"], "metrics": ["file": "membersync.prom"]]
        )
        for id in 1...5 {
            try workspace.mctrade.insertIndividual(
                id: id,
                firstName: "P\(id)",
                lastName: "Member",
                email: "p\(id)@example.test",
                isMember: true
            )
        }
        try await workspace.admin.addFault(["kind": "status", "status": 401, "count": 1])
        try await workspace.admin.addFault(["kind": "status", "status": 500, "count": 2, "echo_headers": true])
        var outputs: [ProcessOutput] = []
        outputs.append(try await workspace.membersync("sync"))
        outputs.append(try await workspace.membersync("sync"))
        outputs.append(try await workspace.membersync("sync", "--full"))
        outputs.append(try await workspace.membersync("status", "--offline"))
        outputs.append(try await workspace.membersync("report", "--format", "json"))
        #expect(outputs[0].status == 1)
        #expect(outputs[0].standardError.contains("token"))
        let token = workspace.sandbox.token

        // The service: its command line, its log and its metrics file.
        try workspace.mctrade.updateProfile(id: 1, set: ["last_name": "Changed"])
        try await workspace.admin.addFault(["kind": "status", "status": 500, "count": 1, "echo_headers": true])
        let serviceLog = workspace.directory.appendingPathComponent("service.log")
        _ = FileManager.default.createFile(atPath: serviceLog.path, contents: nil)
        let service = try workspace.startMembersync("run", standardError: try FileHandle(forWritingTo: serviceLog))
        try await Task.sleep(for: .seconds(3))
        let commandLine =
            (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(service.processIdentifier)/cmdline"))) ?? Data()
        #expect(!commandLine.isEmpty)
        #expect(commandLine.range(of: Data(token.utf8)) == nil, "token on the service's command line")
        service.terminate()
        while service.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(
            FileManager.default.fileExists(atPath: workspace.directory.appendingPathComponent("membersync.prom").path)
        )
        #expect((try? String(contentsOf: serviceLog, encoding: .utf8))?.contains(" debug ") == true)
        for output in outputs {
            #expect(!output.all.contains(token))
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: workspace.directory.path)
        where !["token", "store.sqlite", "store.sqlite-wal", "store.sqlite-shm"].contains(file) {
            let data = (try? Data(contentsOf: workspace.directory.appendingPathComponent(file))) ?? Data()
            #expect(data.range(of: Data(token.utf8)) == nil, "token found in \(file)")
        }
    }
}

/// Case C01 over real HTTP: the store applies a create, then closes the connection without answering.
@Suite(.serialized)
struct LostCreateAnswerEndToEndTests {
    @Test func createWhoseAnswerWasLostIsLookedUpNotSentTwice() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertIndividual(
            id: 2001,
            firstName: "Ada",
            lastName: "Kovacs",
            email: "ada.kovacs@example.test",
            isMember: true
        )
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        try workspace.mctrade.insertIndividual(
            id: 2002,
            firstName: "Bea",
            lastName: "Kovacs",
            email: "bea.kovacs@example.test",
            isMember: true
        )
        try await workspace.admin.clearRequests()
        try await workspace.admin.addFault(["kind": "drop_response", "count": 1, "method": "POST"])
        let started = Date()
        let first = try await workspace.membersync("sync")
        let elapsed = Date().timeIntervalSince(started)
        #expect(first.status == 2, "\(first.all)")
        let second = try await workspace.membersync("sync")
        #expect(second.status == 0, "\(second.all)")

        let customers = try await workspace.admin.dump().customers.filter { $0.email == "bea.kovacs@example.test" }
        #expect(customers.count == 1)
        let requests = try await workspace.admin.requests()
        let posts = requests.filter { $0.method == "POST" }
        #expect(posts.count == 1, "\(requests.map { "\($0.method) \($0.path) \($0.status)" })")
        #expect(elapsed < 60, "the lost answer took \(elapsed) s to notice")
        let state = workspace.directory.appendingPathComponent("state.sqlite").path
        let explain = try await workspace.membersync("explain", "2002")
        #expect(explain.standardOutput.contains("customer \(customers.first?.id ?? -1)"), "\(explain.all) \(state)")
    }
}

/// `membersync check` against the sandbox: every check passes with a good token, and a token that
/// may only read customers fails the customers scope check (writes would get 403).
@Suite(.serialized)
struct CheckEndToEndTests {
    @Test func checkPassesWithAGoodTokenAndFailsAReadOnlyToken() async throws {
        let workspace = try await EndToEndWorkspace()
        let good = try await workspace.membersync("check")
        #expect(good.status == 0, "\(good.all)")

        let readOnly = try await workspace.membersync(
            "check",
            environment: ["BIGCOMMERCE_ACCESS_TOKEN": workspace.sandbox.readOnlyToken]
        )
        #expect(readOnly.status == 1, "\(readOnly.all)")
        #expect(readOnly.standardOutput.contains("FAIL"))
        #expect(readOnly.standardOutput.contains("Customers: modify"))
        #expect(!readOnly.all.contains(workspace.sandbox.readOnlyToken))
    }
}
