import BCSandbox
import Foundation
import MemberSync
import SQLiteDB
import Testing

/// What a newcomer meets on a fresh install, with the built `membersync` against the sandbox: a state
/// directory not made yet, commands run before the agent has, a first dry run, and commands that
/// only read local files run without an access token.
@Suite(.serialized)
struct FirstRunEndToEndTests {
    func memberWorkspace(extraConfig: [String: Any] = [:]) async throws -> EndToEndWorkspace {
        let workspace = try await EndToEndWorkspace(extraConfig: extraConfig)
        try workspace.mctrade.insertMember(1, "Ada", "Kovacs", email: "ada@example.test")
        return workspace
    }

    @Test(arguments: ["sync", "run"])
    func aMissingStateDirectoryNamesTheKeyAndTheDirectoryToCreate(command: String) async throws {
        let workspace = try await memberWorkspace(extraConfig: ["state": ["database": "fresh/state.sqlite"]])
        let fresh = workspace.directory.appendingPathComponent("fresh").path
        let output = try await workspace.membersync(command)
        #expect(output.status == 1, "\(output.all)")
        #expect(output.standardError.contains("state.database '\(fresh)/state.sqlite'"), "\(output.standardError)")
        #expect(output.standardError.contains("the directory '\(fresh)' does not exist"))
        #expect(output.standardError.contains("mkdir -p \(fresh)"))
        #expect(!output.standardError.contains("lock"), "\(output.standardError)")
        #expect(!FileManager.default.fileExists(atPath: fresh))
        #expect(try await workspace.admin.dump().customers.isEmpty)
    }

    @Test func everyReadingCommandSaysTheAgentHasNotRunYet() async throws {
        let workspace = try await memberWorkspace()
        for words in [["status"], ["status", "--offline"], ["explain", "1"], ["revenue"], ["report"], ["retry"]] {
            let output = try await ChildProcess.run("membersync", words + ["--config", workspace.configPath])
            #expect(output.status == 1, "\(words): \(output.all)")
            #expect(
                output.standardError.contains("the agent has not run with this configuration yet"),
                "\(words): \(output.standardError)"
            )
            #expect(!output.standardError.contains("sqlite error"), "\(words): \(output.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.statePath))
    }

    @Test func aFirstDryRunCreatesNoStateFile() async throws {
        let workspace = try await memberWorkspace()
        for words in [["sync", "--dry-run"], ["sync", "--dry-run", "--full"]] {
            let output = try await ChildProcess.run("membersync", words + ["--config", workspace.configPath])
            #expect(output.status == 0, "\(words): \(output.all)")
            #expect(output.standardOutput.contains("1 creates"), "\(words): \(output.standardOutput)")
            #expect(!FileManager.default.fileExists(atPath: workspace.statePath), "\(words)")
        }
        let status = try await workspace.membersync("status", "--offline")
        #expect(status.standardError.contains("the agent has not run with this configuration yet"), "\(status.all)")
        #expect(try await workspace.admin.dump().customers.isEmpty)
    }

    @Test func aDryRunLeavesAnExistingStateFileUnchanged() async throws {
        let workspace = try await memberWorkspace()
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        try workspace.mctrade.updateProfile(id: 1, set: ["last_name": .text("Kovač")])
        try workspace.mctrade.insertMember(2, "Bo", "Ng", email: "bo@example.test")
        let rowsBefore = try stateRows(workspace.statePath)
        let bytesBefore = try Data(contentsOf: URL(fileURLWithPath: workspace.statePath))
        for words in [["sync", "--dry-run"], ["sync", "--dry-run", "--full"]] {
            let output = try await ChildProcess.run("membersync", words + ["--config", workspace.configPath])
            #expect(output.status == 0, "\(words): \(output.all)")
            #expect(output.standardOutput.contains("1 creates, 1 updates"), "\(words): \(output.standardOutput)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.statePath)) == bytesBefore)
        #expect(try stateRows(workspace.statePath) == rowsBefore)
    }

    @Test func commandsThatOnlyReadLocalFilesNeedNoToken() async throws {
        let workspace = try await memberWorkspace()
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        try FileManager.default.removeItem(at: workspace.directory.appendingPathComponent("token"))
        for words in [["explain", "1"], ["report"], ["status", "--offline"], ["retry"]] {
            let output = try await ChildProcess.run("membersync", words + ["--config", workspace.configPath])
            #expect(output.status == 0, "\(words): \(output.all)")
        }
        for words in [["status"], ["sync"], ["groups"]] {
            let output = try await ChildProcess.run("membersync", words + ["--config", workspace.configPath])
            #expect(output.status == 78, "\(words): \(output.all)")
            #expect(output.standardError.contains("access token"), "\(words): \(output.standardError)")
        }
    }

    @Test func retryOfAProfileNobodyKnowsSaysSoAndFails() async throws {
        let workspace = try await memberWorkspace()
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        let unknown = try await workspace.membersync("retry", "999999")
        #expect(unknown.status == 1, "\(unknown.all)")
        #expect(unknown.standardOutput.contains("no profile 999999 in MC Trade"), "\(unknown.standardOutput)")
        #expect(!unknown.standardOutput.contains("have not failed"))

        let mixed = try await workspace.membersync("retry", "1", "999999")
        #expect(mixed.status == 0, "\(mixed.all)")
        #expect(mixed.standardOutput.contains("profile(s) 1: they have not failed"), "\(mixed.standardOutput)")
        #expect(mixed.standardOutput.contains("no profile 999999 in MC Trade"))
    }

    /// Every row of every table of the state file, read without changing it.
    func stateRows(_ path: String) throws -> String {
        let database = try Database(path: path, mode: .readOnly)
        var text = ""
        let tables = try database.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for case .text(let table)? in tables.map(\.values.first) {
            for row in try database.query("SELECT * FROM \"\(table)\"") {
                text += table + ": " + row.values.map { "\($0)" }.joined(separator: "|") + "\n"
            }
        }
        return text
    }
}
