import BCSandbox
import Foundation
import MemberSync
import Testing

/// `membersync run` as a real service process: follows changes within seconds, stops on SIGTERM.
@Suite(.serialized)
struct ServiceEndToEndTests {
    func startService(_ workspace: EndToEndWorkspace) throws -> Process {
        let process = Process()
        process.executableURL = BuiltProducts.executable("membersync")
        process.arguments = ["run", "--config", workspace.configPath]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func waitUntil(timeout: TimeInterval, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func serviceFollowsChangesWithinSecondsAndStopsOnSIGTERM() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertIndividual(
            id: 1,
            firstName: "Ada",
            lastName: "One",
            email: "ada@example.test",
            isMember: true
        )
        let service = try startService(workspace)
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
        while service.isRunning && Date() < stopDeadline { usleep(20_000) }
        #expect(!service.isRunning)
        #expect(service.terminationStatus == 0)
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
        let service = try startService(workspace)
        defer { if service.isRunning { service.terminate() } }
        let admin = workspace.admin
        #expect(try await waitUntil(timeout: 20) { try await admin.dump().customers.count == 1 })

        let second = try workspace.membersync("run")
        #expect(second.status == 1)
        #expect(second.standardError.contains("\(service.processIdentifier)"))

        let full = try workspace.membersync("sync", "--full")
        #expect(full.status == 0)
        #expect(full.standardOutput.contains("service"))
        service.terminate()
        service.waitUntilExit()
    }
}
