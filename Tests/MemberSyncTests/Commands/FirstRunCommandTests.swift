import Foundation
import Testing

@testable import MemberSync

/// Commands met on a first run: a state directory not made yet, a state file not made yet, a store
/// that answers with an error, and what `check` says it sends.
@Suite struct FirstRunCommandTests {
    @Test func aStateFileInAMissingDirectoryIsNamedWithTheKeyAndWhatToDo() throws {
        let harness = try CommandHarness()
        var configuration = harness.configuration
        let fresh = harness.directory.appendingPathComponent("fresh").path
        configuration.stateDatabasePath = fresh + "/state.sqlite"
        let context = try AgentContext(configuration: configuration, logHandler: InMemoryLogHandler())
        let error = try #require(throws: StateDirectoryMissing.self) { try context.openState() }
        #expect(error.description.contains("state.database '\(fresh)/state.sqlite'"))
        #expect(error.description.contains("the directory '\(fresh)' does not exist"))
        #expect(MemberSyncCommand.nextStep(for: error)?.contains("mkdir -p \(fresh)") == true)
        #expect(!FileManager.default.fileExists(atPath: fresh))
        #expect(throws: Never.self) { try StateDirectoryMissing.check(path: harness.engine.statePath) }
    }

    @Test(arguments: [["report"], ["retry"], ["retry", "101"]])
    func reportAndRetryGiveTheSameMissingStateFileErrorAsStatus(words: [String]) throws {
        let harness = try CommandHarness()
        let arguments = words.dropFirst() + ["--config", harness.configPath]
        let error = try #require(throws: StateFileMissing.self) {
            if words[0] == "report" {
                _ = try ReportCommand.run(Array(arguments))
            } else {
                _ = try RetryCommand.run(Array(arguments))
            }
        }
        #expect(error.path == harness.engine.statePath)
        #expect(!FileManager.default.fileExists(atPath: harness.engine.statePath))
    }

    @Test func statusSaysWhatTheStoreAnsweredWhenItAnsweredWithAnError() async throws {
        let harness = try CommandHarness()
        try await harness.engine.sync()
        harness.engine.store.state.withLock {
            $0.groupsFailure = .rejected(
                endpoint: "GET /v2/customer_groups",
                status: 400,
                title: "Bad Request",
                errors: [:]
            )
        }
        let report = try await StatusCommand.makeReport(
            context: try harness.context(),
            store: harness.engine.store,
            limits: .init()
        )
        #expect(report.store == .answeredWithError("store refused GET /v2/customer_groups with 400: Bad Request"))
        #expect(report.text().contains("answered with an error: store refused GET /v2/customer_groups with 400"))
        #expect(!report.text().contains("unreachable"))
        #expect(report.problems.contains { $0.hasPrefix("the store answered with an error:") })
    }

    @Test func checkHelpSaysItSendsAnEmptyPutToProveTheModifyScope() throws {
        let help = try #require(CommandHelp.text(for: "check"))
        #expect(help.contains("an empty PUT /v3/customers"))
        #expect(!help.contains("GETs only"))
    }
}
