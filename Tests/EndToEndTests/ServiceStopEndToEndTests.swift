import BCSandbox
import ChildProcesses
import Foundation
import MemberSync
import Testing

/// SIGTERM to `membersync run` while the store answers slowly: the pass cut short is no failure.
@Suite(.serialized)
struct ServiceStopEndToEndTests {
    /// Sends SIGTERM and waits for the service to end; true when it ended in time with status 0.
    func stop(_ service: SpawnedProcess) async throws -> Bool {
        kill(service.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while service.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return !service.isRunning && service.terminationStatus == 0
    }

    /// What a stopped pass must leave: no failed profile, no DEGRADED, its run finished as stopped.
    func expectStoppedCleanly(_ workspace: EndToEndWorkspace, state: StateStore) async throws {
        let status = try await workspace.membersync("status", "--offline")
        #expect(status.standardOutput.contains("failed profiles:   0 "), "\(status.all)")
        #expect(!status.standardOutput.contains("DEGRADED"), "\(status.all)")
        let run = try #require(try state.runs(kind: "changes", limit: 1).first)
        #expect(run.result == "stopped" && run.finishedAt != nil, "\(run)")
        let outbox = try state.outbox()
        #expect(outbox.allSatisfy { $0.lastError == nil }, "\(outbox)")
        #expect(try state.report().filter { $0.code == .storeUnavailable }.isEmpty)
    }

    @Test func sigtermDuringSlowWritesLeavesThemPendingAndACreateOnItsWayInDoubt() async throws {
        let workspace = try await EndToEndWorkspace()
        for id in 1...20 {
            try workspace.mctrade.insertMember(id, "P\(id)", "Member", email: "p\(id)@example.test")
        }
        let admin = workspace.admin
        let state = try StateStore(path: workspace.statePath)
        let first = try workspace.startMembersync("run")
        defer { if first.isRunning { first.terminate() } }
        #expect(try await waitUntil(timeout: 20) { try await admin.dump().customers.count == 20 })

        // Updates answered after 3 s: SIGTERM while they are on their way.
        try await admin.addFault(["kind": "latency", "ms": 3_000, "method": "PUT"])
        for id in 1...20 { try workspace.mctrade.updateProfile(id: id, set: ["last_name": .text("Changed\(id)")]) }
        #expect(try await waitUntil(timeout: 10) { try state.outbox().count == 20 })
        try await Task.sleep(for: .milliseconds(1_000))
        #expect(try await stop(first))
        try await expectStoppedCleanly(workspace, state: state)
        #expect(try state.outbox().count == 20, "the updates stay pending")
        try await admin.clearFaults()
        // The store still serves the updates it was sent (a stop cannot call them back); wait for them, so
        // that they do not hold its update slots.
        #expect(
            try await waitUntil(timeout: 10) {
                try await admin.dump().customers.filter { $0.lastName.hasPrefix("Changed") }.count == 20
            }
        )

        // A create answered after 3 s: SIGTERM once it is sent.
        try await admin.addFault(["kind": "latency", "ms": 3_000, "method": "POST"])
        try await admin.clearRequests()
        try workspace.mctrade.insertMember(21, "New", "Member", email: "p21@example.test")
        let logURL = workspace.directory.appendingPathComponent("second.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let second = try workspace.startMembersync("run", standardError: try FileHandle(forWritingTo: logURL))
        defer { if second.isRunning { second.terminate() } }
        #expect(try await waitUntil(timeout: 20) { try state.pendingCreates()[21] != nil })
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await stop(second))
        try await expectStoppedCleanly(workspace, state: state)
        #expect(try state.pendingCreates()[21] == "p21@example.test", "the create on its way stays in doubt")
        #expect(
            try state.outbox().map(\.profileID) == [21],
            "\((try? String(contentsOf: logURL, encoding: .utf8)) ?? "")"
        )
        try await admin.clearFaults()

        // The store applied the create it was sent: the next pass finds it instead of sending another.
        #expect(try await waitUntil(timeout: 10) { try await admin.requests().contains { $0.method == "POST" } })
        let sync = try await workspace.membersync("sync")
        #expect(sync.status == 0, "\(sync.all)")
        #expect(try await admin.requests().filter { $0.method == "POST" }.count == 1)
        let customers = try await admin.dump().customers
        #expect(customers.filter { $0.email == "p21@example.test" }.count == 1)
        #expect(customers.filter { $0.lastName.hasPrefix("Changed") }.count == 20)
        #expect(try state.outbox().isEmpty && state.pendingCreates().isEmpty)
    }
}
