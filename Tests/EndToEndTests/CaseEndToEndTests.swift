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
        try workspace.mctrade.insertMember(2002, "Grace", "Hollis", email: "grace.hollis@example.test")
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
        try workspace.mctrade.insertMember(6002, "Lan", "Ng", email: "lan@example.test")
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
            try workspace.mctrade.insertMember(
                id,
                "M\(id)",
                "Member",
                email: id == 3008 ? "omar.said@@example.test" : "m\(id)@example.test"
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
            try workspace.mctrade.insertMember(id, "P\(id)", "Member", email: "p\(id)@example.test")
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
            try workspace.mctrade.insertMember(id, "P\(id)", "Member", email: "p\(id)@example.test")
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
        try workspace.mctrade.insertMember(2001, "Ada", "Kovacs", email: "ada.kovacs@example.test")
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        try workspace.mctrade.insertMember(2002, "Bea", "Kovacs", email: "bea.kovacs@example.test")
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

/// Cases C04 and C09 over real HTTP, shown from the sandbox's request log.
@Suite(.serialized)
struct RequestLogCaseEndToEndTests {
    /// A query string as the store read it: percent-decoding undone, lower-cased.
    func decoded(_ request: LoggedRequest) -> String {
        (request.query.removingPercentEncoding ?? request.query).lowercased()
    }

    func trail(_ requests: [LoggedRequest]) -> [String] {
        requests.map {
            "\($0.method) \($0.path.split(separator: "/").suffix(2).joined(separator: "/"))?\(decoded($0)) "
                + "\($0.status) \($0.startedMilliseconds % 100_000)-\($0.finishedMilliseconds % 100_000)"
        }
    }

    @Test func customerDeletedInTheStoreIsLookedUpRecreatedAndRelinkedWhileOtherUpdatesLand() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertMember(7001, "Ana", "Lund", email: "ana.lund@example.test")
        try workspace.mctrade.insertMember(7002, "Bo", "Lund", email: "bo.lund@example.test")
        #expect(try await workspace.membersync("sync").status == 0)
        let admin = workspace.admin
        let deleted = try #require(try await admin.dump().customer(email: "ana.lund@example.test")).id
        try await admin.deleteCustomer(id: deleted)
        try workspace.mctrade.updateProfile(id: 7001, set: ["phone": "555-0101"])
        try workspace.mctrade.updateProfile(id: 7002, set: ["phone": "555-0102"])
        try await admin.clearRequests()

        let pass = try await workspace.membersync("sync")
        #expect(pass.status == 0, "\(pass.all)")
        let requests = try await admin.requests()
        let posts = requests.indices.filter { requests[$0].method == "POST" }
        #expect(posts.count == 1, "\(trail(requests))")
        let post = try #require(posts.first)
        #expect((200..<300).contains(requests[post].status))
        let lookedUp = requests[..<post].contains {
            $0.method == "GET" && decoded($0).contains("email:in=") && decoded($0).contains("ana.lund@example.test")
        }
        #expect(lookedUp, "no email:in lookup before the create: \(trail(requests))")
        let store = try await admin.dump()
        let ana = try #require(store.customer(email: "ana.lund@example.test"))
        #expect(ana.id != deleted)
        #expect(ana.phone == "555-0101")
        #expect(ana.customerGroupID == EndToEndWorkspace.memberGroup)
        #expect(store.customer(email: "bo.lund@example.test")?.phone == "555-0102", "7002's update in the same pass")
        #expect(store.customers.count == 2)

        // Re-linked: the next change of 7001 updates the new customer in place.
        #expect(try await workspace.membersync("explain", "7001").standardOutput.contains("customer \(ana.id)"))
        try workspace.mctrade.updateProfile(id: 7001, set: ["last_name": "Lund-Berg"])
        try await admin.clearRequests()
        #expect(try await workspace.membersync("sync").status == 0)
        let next = try await admin.requests()
        #expect(!next.contains { $0.method == "POST" }, "\(trail(next))")
        #expect(try await admin.dump().customers.first { $0.id == ana.id }?.lastName == "Lund-Berg")
    }

    @Test func rateLimitAnswersWithoutHeadersLowerCaseOrAs500AreWaitedOutAndTheUpdateLands() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertMember(1, "Ada", "One", email: "ada@example.test")
        #expect(try await workspace.membersync("sync").status == 0)
        try workspace.mctrade.updateProfile(id: 1, set: ["last_name": "Changed"])
        let admin = workspace.admin
        try await admin.clearRequests()
        // Served in this order: two 429s with no headers at all, a 500 carrying a used-up quota's
        // headers (a 429 in disguise), a 429 whose headers are lower case, then the update.
        try await admin.addFault(["kind": "rate_limit_without_headers", "count": 2, "method": "PUT"])
        try await admin.addFault([
            "kind": "status", "status": 500, "count": 1, "method": "PUT",
            "headers": ["X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "1200"],
        ])
        try await admin.addFault([
            "kind": "status", "status": 429, "count": 1, "method": "PUT",
            "headers": ["X-Rate-Limit-Time-Reset-Ms": "1500", "X-Retry-After": "1"],
        ])
        try await admin.addFault(["kind": "lowercase_headers", "enabled": true])

        let output = try await workspace.membersync("sync")
        #expect(output.status == 0, "\(output.all)")
        #expect(try await admin.dump().customers.first?.lastName == "Changed")
        let requests = try await admin.requests()
        let puts = requests.filter { $0.method == "PUT" }
        #expect(puts.map(\.status) == [429, 429, 500, 429, 200], "\(trail(requests))")
        guard let firstLimit = requests.firstIndex(where: { $0.status == 429 }) else { return }
        for index in requests.indices.dropFirst(firstLimit + 1) {
            let gap = requests[index].startedMilliseconds - requests[index - 1].finishedMilliseconds
            #expect(gap >= 1_000, "requests \(index - 1) and \(index) only \(gap) ms apart: \(trail(requests))")
        }
        let waits = zip(puts, puts.dropFirst()).map { $1.startedMilliseconds - $0.finishedMilliseconds }
        #expect(waits.count == 4 && waits[2] >= 1_200, "the disguised 429's reset: \(waits)")
        // Read, not guessed: a backoff for a fourth rate limit in a row would be longer (from 4 s).
        #expect(
            waits.count == 4 && (1_500..<3_000).contains(waits[3]),
            "the lower-case reset (longer than X-Retry-After): \(waits)"
        )
    }
}
