import BCSandbox
import ChildProcesses
import Foundation
import MemberSync
import SQLiteDB
import Testing

/// `membersync run` as a real service process: follows changes within seconds, stops on SIGTERM.
@Suite(.serialized)
struct ServiceEndToEndTests {
    @Test func serviceFollowsChangesWithinSecondsAndStopsOnSIGTERM() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertMember(1, "Ada", "One", email: "ada@example.test")
        let service = try workspace.startMembersync("run")
        defer { if service.isRunning { service.terminate() } }
        let admin = workspace.admin
        #expect(try await waitUntil(timeout: 20) { try await admin.dump().customers.count == 1 })

        let changedAt = Date()
        try workspace.mctrade.updateProfile(id: 1, set: ["last_name": "Changed"])
        #expect(try await waitUntil(timeout: 10) { try await admin.dump().customers.first?.lastName == "Changed" })
        let latency = Date().timeIntervalSince(changedAt)
        #expect(latency < 5, "change took \(latency) s to reach the store")

        kill(service.processIdentifier, SIGTERM)
        let stopDeadline = Date().addingTimeInterval(10)
        while service.isRunning && Date() < stopDeadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!service.isRunning)
        #expect(service.terminationStatus == 0)
    }

    @Test func sigtermStopsTheServiceWithinTenSecondsDuringASlowRevenuePass() async throws {
        let workspace = try await EndToEndWorkspace(extraConfig: ["revenue": ["poll_interval_seconds": 1]])
        try workspace.mctrade.insertMember(1, "Ada", "One", email: "ada@example.test")
        let service = try workspace.startMembersync("run")
        defer { if service.isRunning { service.terminate() } }
        let admin = workspace.admin
        #expect(try await waitUntil(timeout: 20) { try await admin.dump().customers.count == 1 })
        let state = try StateStore(path: workspace.statePath)
        #expect(try await waitUntil(timeout: 10) { try state.revenueMark() != nil })
        let mark = try state.revenueMark()

        // The next order listing hangs for 25 s, like a request timing out. The pass that meets it may
        // have begun before the fault was added, so wait for a pass that stays unfinished for 1.5 s
        // (a pass over an empty order list takes milliseconds).
        try await admin.addFault(["kind": "latency", "ms": 25_000, "count": 1, "path": "/v2/orders"])
        var unfinished: (run: SQLiteValue?, since: Date)?
        let hanging = try await waitUntil(timeout: 10) {
            guard let newest = try state.revenueRuns(limit: 1).first, newest["finished_at"] == .null else {
                unfinished = nil
                return false
            }
            if unfinished?.run != newest["run_id"] { unfinished = (newest["run_id"], Date()) }
            return Date().timeIntervalSince(unfinished?.since ?? Date()) > 1.5
        }
        #expect(hanging)

        let stoppedAt = Date()
        kill(service.processIdentifier, SIGTERM)
        let stopDeadline = Date().addingTimeInterval(20)
        while service.isRunning && Date() < stopDeadline { try await Task.sleep(for: .milliseconds(20)) }
        let stopTook = Date().timeIntervalSince(stoppedAt)
        #expect(!service.isRunning)
        #expect(stopTook < 10, "the stop took \(stopTook) s")
        #expect(service.terminationStatus == 0)
        #expect(try state.revenueMark() == mark, "the cut pass moved no mark")
    }

    @Test func secondProcessSaysWhichProcessHoldsTheStateFile() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertMember(1, "Ada", "One", email: "ada@example.test")
        let service = try workspace.startMembersync("run")
        defer { if service.isRunning { service.terminate() } }
        let admin = workspace.admin
        #expect(try await waitUntil(timeout: 20) { try await admin.dump().customers.count == 1 })

        let second = try await workspace.membersync("run")
        #expect(second.status == 1)
        #expect(second.standardError.contains("\(service.processIdentifier)"))

        let full = try await workspace.membersync("sync", "--full")
        #expect(full.status == 0)
        #expect(full.standardOutput.contains("service"))
        service.terminate()
        service.waitUntilExit()
    }
}

/// Trouble while the service runs (the store down or answering 5xx or 401, MC Trade's file missing):
/// it keeps following the change log, says what is wrong, writes nothing it should not, and drains the
/// backlog once the trouble is over.
@Suite(.serialized)
struct OutageEndToEndTests {
    /// A workspace whose service runs and has uploaded members 1-20 (`p1@example.test`, ...).
    func serviceFollowingTwentyMembers(log: URL? = nil) async throws -> (EndToEndWorkspace, SpawnedProcess) {
        let workspace = try await EndToEndWorkspace()
        for id in 1...20 {
            try workspace.mctrade.insertMember(id, "P\(id)", "Member", email: "p\(id)@example.test")
        }
        let standardError = try log.map { url in
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            return try FileHandle(forWritingTo: url)
        }
        let service = try workspace.startMembersync("run", standardError: standardError)
        let admin = workspace.admin
        #expect(try await waitUntil(timeout: 20) { try await admin.dump().customers.count == 20 })
        return (workspace, service)
    }

    /// Changes all 20 members and adds member 21 (`p21@example.test`).
    func changeEveryoneAndAddOne(_ workspace: EndToEndWorkspace) throws {
        for id in 1...20 { try workspace.mctrade.updateProfile(id: id, set: ["last_name": .text("During\(id)")]) }
        try workspace.mctrade.insertMember(21, "New", "Member", email: "p21@example.test")
    }

    /// Waits until `status` says the service is degraded; returns the last status output.
    func degradedStatus(_ workspace: EndToEndWorkspace) async throws -> ProcessOutput {
        var status = ProcessOutput(status: 0, standardOutput: "", standardError: "")
        _ = try await waitUntil(timeout: 30) {
            status = try await workspace.membersync("status", "--offline")
            return status.standardOutput.contains("DEGRADED")
        }
        return status
    }

    /// Waits until the store has the changes of `changeEveryoneAndAddOne` and `status` is no longer degraded.
    func backlogDrains(_ workspace: EndToEndWorkspace) async throws -> Bool {
        let admin = workspace.admin
        let drained = try await waitUntil(timeout: 90) {
            let customers = try await admin.dump().customers
            return customers.count == 21
                && customers.allSatisfy { $0.email == "p21@example.test" || $0.lastName.hasPrefix("During") }
        }
        let recovered = try await waitUntil(timeout: 20) {
            !(try await workspace.membersync("status", "--offline").standardOutput.contains("DEGRADED"))
        }
        return drained && recovered
    }

    @Test func serviceRidesOutAStoreOutageAndDrainsTheBacklog() async throws {
        let (workspace, service) = try await serviceFollowingTwentyMembers()
        defer { if service.isRunning { service.terminate() } }
        let admin = workspace.admin

        workspace.sandbox.stop()
        try changeEveryoneAndAddOne(workspace)
        let status = try await degradedStatus(workspace)
        #expect(status.standardOutput.contains("DEGRADED"), "\(status.all)")
        #expect(status.standardOutput.contains("lag 0 changes"), "the service keeps following the change log")

        try workspace.sandbox.restart()
        #expect(try await backlogDrains(workspace))
        let emails = try await admin.dump().customers.map { $0.email.lowercased() }
        #expect(Set(emails).count == emails.count)
    }

    @Test func serviceRidesOutARunOf502503And504AnswersAndDrainsTheBacklog() async throws {
        let (workspace, service) = try await serviceFollowingTwentyMembers()
        defer { if service.isRunning { service.terminate() } }
        let admin = workspace.admin
        try await admin.clearRequests()
        // Runs of gateway and availability errors: the next reads (two passes' worth of retries, so
        // that the service is degraded for a while), the next updates, the next create (a 502 on a
        // create leaves it in doubt: the proxy may have let it through).
        let outage: [(method: String, status: Int, count: Int)] = [
            ("GET", 502, 5), ("GET", 504, 5), ("PUT", 503, 3), ("PUT", 504, 2), ("POST", 502, 1),
        ]
        for run in outage {
            try await admin.addFault(["kind": "status", "status": run.status, "count": run.count, "method": run.method])
        }
        try changeEveryoneAndAddOne(workspace)
        let status = try await degradedStatus(workspace)
        #expect(status.standardOutput.contains("DEGRADED"), "\(status.all)")
        #expect(status.standardOutput.contains("lag 0 changes"), "the service keeps following the change log")

        #expect(try await backlogDrains(workspace))
        let requests = try await admin.requests()
        print(
            "TRAIL",
            requests.map { "\($0.method) \($0.query.prefix(30)) \($0.status) \($0.startedMilliseconds % 100_000)" }
        )
        let failed = requests.filter { $0.status >= 500 }.map { "\($0.method) \($0.status)" }
        let injected = outage.flatMap { run in Array(repeating: "\(run.method) \(run.status)", count: run.count) }
        #expect(failed.sorted() == injected.sorted(), "every injected failure was met")
        #expect(requests.filter { $0.method == "POST" && $0.status == 200 }.count == 1, "the in-doubt create looked up")
        let customers = try await admin.dump().customers
        #expect(Set(customers.map { $0.email.lowercased() }).count == customers.count)
        #expect(customers.filter { $0.email == "p21@example.test" }.count == 1)
    }

    @Test func serviceStopsWritesWhileTheTokenIsRefusedKeepsFollowingAndResumes() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("service-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let (workspace, service) = try await serviceFollowingTwentyMembers(log: log)
        defer { if service.isRunning { service.terminate() } }
        let admin = workspace.admin
        try await admin.addFault(["kind": "status", "status": 401])
        try await admin.clearRequests()
        try changeEveryoneAndAddOne(workspace)
        var status = ProcessOutput(status: 0, standardOutput: "", standardError: "")
        // Writes may stop (a revenue or lookup request meets the 401) before the service has read all
        // 21 changes: wait for both, the service keeps following the change log while stopped.
        let stopped = try await waitUntil(timeout: 30) {
            status = try await workspace.membersync("status", "--offline")
            return status.standardOutput.contains("writes are stopped")
                && status.standardOutput.contains("lag 0 changes")
        }
        #expect(stopped, "\(status.all)")
        #expect(status.standardOutput.contains("token"), "\(status.all)")
        // Tried again, slowly: a few requests over some seconds, not a storm.
        try await Task.sleep(for: .seconds(4))
        let refused = try await admin.requests()
        #expect(refused.allSatisfy { $0.status == 401 }, "\(refused.map { "\($0.method) \($0.path) \($0.status)" })")
        #expect((2...12).contains(refused.count), "\(refused.count) requests while the token was refused")
        #expect(try await admin.dump().customers.allSatisfy { $0.lastName == "Member" }, "nothing written")

        try await admin.clearFaults()
        #expect(try await backlogDrains(workspace))
        let after = try await workspace.membersync("status", "--offline")
        #expect(!after.standardOutput.contains("writes are stopped"), "\(after.all)")
        service.terminate()
        service.waitUntilExit()
        let logText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(logText.contains("token"), "the log says the token is wrong")
        #expect(!logText.contains(workspace.sandbox.token) && !status.all.contains(workspace.sandbox.token))
    }

    @Test func mctradeFileBrieflyMissingIsWaitedOutNotTakenForEveryoneLeaving() async throws {
        let (workspace, service) = try await serviceFollowingTwentyMembers()
        defer { if service.isRunning { service.terminate() } }
        let admin = workspace.admin
        let path = workspace.mctrade.path
        let away = path + ".away"
        try await admin.clearRequests()
        try FileManager.default.moveItem(atPath: path, toPath: away)
        let status = try await degradedStatus(workspace)
        #expect(status.standardOutput.contains("DEGRADED"), "\(status.all)")
        // A full sync asked for now (the pass that could mistake an empty read for everyone leaving).
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        try await Task.sleep(for: .seconds(2))
        #expect(try await admin.requests().filter { $0.method != "GET" }.isEmpty, "nothing written while it is missing")

        func lastFullSync(_ output: ProcessOutput) -> String? {
            output.standardOutput.split(separator: "\n").first { $0.contains("last full sync:") }.map(String.init)
        }
        try FileManager.default.moveItem(atPath: away, toPath: path)
        #expect(
            try await waitUntil(timeout: 30) {
                lastFullSync(try await workspace.membersync("status", "--offline")) != lastFullSync(status)
            },
            "the full sync asked for runs once the file is back"
        )
        try workspace.mctrade.updateProfile(id: 1, set: ["last_name": "Back"])
        #expect(
            try await waitUntil(timeout: 30) {
                try await admin.dump().customers.first { $0.email == "p1@example.test" }?.lastName == "Back"
            }
        )
        let customers = try await admin.dump().customers
        #expect(customers.count == 20)
        #expect(customers.allSatisfy { $0.customerGroupID == EndToEndWorkspace.memberGroup })
        let writes = try await admin.requests().filter { $0.method != "GET" }
        #expect(writes.count == 1 && writes.first?.items == 1, "only the one change was written: \(writes)")
    }
}
