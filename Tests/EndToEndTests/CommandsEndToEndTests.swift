import BCSandbox
import ChildProcesses
import Foundation
import MemberSync
import Testing

/// `membersync groups` and `membersync retry` as an operator runs them, against the sandbox.
@Suite(.serialized)
struct CommandsEndToEndTests {
    @Test func groupsListsTheStoresGroupsByIdForMCTradesSettings() async throws {
        let workspace = try await EndToEndWorkspace()
        _ = try await workspace.admin.createGroup(name: "Wholesale, trade", id: 12)
        let output = try await workspace.membersync("groups")
        #expect(output.status == 0, "\(output.all)")
        let groups = try await workspace.admin.dump().groups.sorted { $0.id < $1.id }
        #expect(groups.count >= 3)
        let expected = "id\tname\n" + groups.map { "\($0.id)\t\($0.name)\n" }.joined()
        #expect(output.standardOutput == expected)
        #expect(output.standardOutput.contains("4\tMembers\n"))
        #expect(output.standardOutput.contains("12\tWholesale, trade\n"))
        let requests = try await workspace.admin.requests().filter { $0.path.contains("customer_groups") }
        #expect(requests.count == 1)
    }

    @Test func groupsWithAWrongTokenFailsAndNamesTheTokenNotItsValue() async throws {
        let workspace = try await EndToEndWorkspace()
        let wrong = "wrong-token-0123456789"
        let output = try await workspace.membersync("groups", environment: ["BIGCOMMERCE_ACCESS_TOKEN": wrong])
        #expect(output.status == 1, "\(output.all)")
        #expect(output.standardOutput.isEmpty)
        #expect(output.standardError.contains("token"), "\(output.standardError)")
        #expect(!output.all.contains(wrong))
    }

    @Test func checkFailsWhenTheServiceUserCannotWriteMCTradesFile() async throws {
        let workspace = try await EndToEndWorkspace()
        let mctradeDirectory = URL(fileURLWithPath: workspace.mctrade.path).deletingLastPathComponent().path
        let output: ProcessOutput
        if getuid() == 0 {
            // Root writes anything: run the check as 'nobody', who may read MC Trade's file but not write it.
            for path in [workspace.configPath, workspace.directory.appendingPathComponent("token").path] {
                #expect(chown(path, 65_534, 65_534) == 0)
            }
            output = try runAsNobody(["check", "--config", workspace.configPath])
        } else {
            chmod(workspace.mctrade.path, 0o444)
            chmod(mctradeDirectory, 0o555)
            defer {
                chmod(mctradeDirectory, 0o755)
                chmod(workspace.mctrade.path, 0o644)
            }
            output = try await workspace.membersync("check")
        }
        #expect(output.status == 1, "\(output.all)")
        let line = try #require(
            output.standardOutput.split(separator: "\n").first { $0.contains("MC Trade revenue write") }
        )
        #expect(line.hasPrefix("FAIL  MC Trade revenue write: this user (uid \(getuid() == 0 ? 65_534 : getuid()))"))
        #expect(output.standardOutput.contains("-> let the service's user write '\(workspace.mctrade.path)'"))

        if getuid() == 0 {
            for path in [workspace.configPath, workspace.directory.appendingPathComponent("token").path] {
                #expect(chown(path, 0, 0) == 0)
            }
        }
        let asOwner = try await workspace.membersync("check")
        #expect(asOwner.standardOutput.contains("PASS  MC Trade revenue write"), "\(asOwner.all)")
        #expect(try workspace.mctrade.revenueRows().isEmpty)
    }

    /// Runs the built `membersync` as the unprivileged user 'nobody' (the caller is root).
    func runAsNobody(_ arguments: [String]) throws -> ProcessOutput {
        let process = SpawnedProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments =
            ["--reuid=65534", "--regid=65534", "--clear-groups", BuiltProducts.executable("membersync").path]
            + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "BIGCOMMERCE_ACCESS_TOKEN")
        process.environment = environment
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        try process.run()
        let out = standardOutput.fileHandleForReading.readDataToEndOfFile()
        let err = standardError.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus,
            standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self)
        )
    }

    @Test func retryWithoutIdsReleasesEveryRefusedProfile() async throws {
        let workspace = try await EndToEndWorkspace()
        for id in 1...3 {
            try workspace.mctrade.insertMember(id, "P\(id)", "Member", email: "p\(id)@example.test")
        }
        for id in 1...2 {
            try await workspace.admin.addFault(["kind": "reject_email", "email": "p\(id)@example.test"])
        }
        let first = try await workspace.membersync("sync")
        #expect(first.status == 2, "\(first.all)")
        #expect(try await workspace.admin.dump().customers.map(\.email) == ["p3@example.test"])

        try await workspace.admin.clearFaults()
        try await workspace.admin.clearRequests()
        #expect(try await workspace.membersync("sync").status == 0)
        #expect(
            try await workspace.admin.requests().filter { $0.method == "POST" }.isEmpty,
            "held profiles wait for retry"
        )

        let retry = try await workspace.membersync("retry")
        #expect(retry.status == 0, "\(retry.all)")
        #expect(retry.standardOutput.contains("2 refused profiles released"), "\(retry.standardOutput)")
        #expect(try await workspace.membersync("sync").status == 0)
        let emails = try await workspace.admin.dump().customers.map(\.email).sorted()
        #expect(emails == ["p1@example.test", "p2@example.test", "p3@example.test"])

        let again = try await workspace.membersync("retry")
        #expect(again.standardOutput.contains("0 refused profiles released"), "\(again.standardOutput)")
    }
}
