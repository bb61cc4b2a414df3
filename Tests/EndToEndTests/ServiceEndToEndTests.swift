import BCSandbox
import Foundation
import MemberSync
import Testing

/// `membersync run` as a real service process: follows changes within seconds, stops on SIGTERM.
@Suite(.serialized)
struct ServiceEndToEndTests {
    @Test func serviceFollowsChangesWithinSecondsAndStopsOnSIGTERM() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertIndividual(
            id: 1,
            firstName: "Ada",
            lastName: "One",
            email: "ada@example.test",
            isMember: true
        )
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
        try workspace.mctrade.insertIndividual(
            id: 1,
            firstName: "Ada",
            lastName: "One",
            email: "ada@example.test",
            isMember: true
        )
        let service = try workspace.startMembersync("run")
        defer { if service.isRunning { service.terminate() } }
        let admin = workspace.admin
        #expect(try await waitUntil(timeout: 20) { try await admin.dump().customers.count == 1 })
        let state = try StateStore(path: workspace.statePath)
        #expect(try await waitUntil(timeout: 10) { try state.revenueMark() != nil })
        let mark = try state.revenueMark()

        // The next order listing hangs for 25 s, like a request timing out.
        try await admin.addFault(["kind": "latency", "ms": 25_000, "count": 1, "path": "/v2/orders"])
        let passes = try state.revenueRuns().count
        #expect(
            try await waitUntil(timeout: 10) {
                let runs = try state.revenueRuns()
                return runs.count > passes && runs[0]["finished_at"] == .null
            }
        )
        try await Task.sleep(for: .milliseconds(300))

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
        try workspace.mctrade.insertIndividual(
            id: 1,
            firstName: "Ada",
            lastName: "One",
            email: "ada@example.test",
            isMember: true
        )
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

/// A store outage while the service runs: it keeps following the change log, says it is degraded,
/// and drains the backlog once the store is back.
@Suite(.serialized)
struct OutageEndToEndTests {
    @Test func serviceRidesOutAStoreOutageAndDrainsTheBacklog() async throws {
        let workspace = try await EndToEndWorkspace()
        for id in 1...20 {
            try workspace.mctrade.insertIndividual(
                id: id,
                firstName: "P\(id)",
                lastName: "Member",
                email: "p\(id)@example.test",
                isMember: true
            )
        }
        let service = try workspace.startMembersync("run")
        defer { if service.isRunning { service.terminate() } }
        let admin = workspace.admin
        #expect(try await waitUntil(timeout: 20) { try await admin.dump().customers.count == 20 })

        workspace.sandbox.stop()
        for id in 1...20 { try workspace.mctrade.updateProfile(id: id, set: ["last_name": .text("During\(id)")]) }
        try workspace.mctrade.insertIndividual(
            id: 21,
            firstName: "New",
            lastName: "Member",
            email: "p21@example.test",
            isMember: true
        )
        var status = ProcessOutput(status: 0, standardOutput: "", standardError: "")
        #expect(
            try await waitUntil(timeout: 20) {
                status = try await workspace.membersync("status", "--offline")
                return status.standardOutput.contains("DEGRADED")
            },
            "\(status.all)"
        )
        #expect(status.standardOutput.contains("lag 0 changes"), "the service keeps following the change log")

        try workspace.sandbox.restart()
        #expect(
            try await waitUntil(timeout: 90) {
                let customers = try await admin.dump().customers
                return customers.count == 21
                    && customers.allSatisfy { $0.email == "p21@example.test" || $0.lastName.hasPrefix("During") }
            }
        )
        #expect(
            try await waitUntil(timeout: 20) {
                !(try await workspace.membersync("status", "--offline").standardOutput.contains("DEGRADED"))
            }
        )
        let emails = try await admin.dump().customers.map { $0.email.lowercased() }
        #expect(Set(emails).count == emails.count)
    }
}
