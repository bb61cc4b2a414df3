import Foundation
import Testing

@testable import MemberSync

/// Commands that read what the agent did refuse a state file that does not exist, instead of
/// creating an empty one, and say what to do next.
@Suite struct MissingStateFileTests {
    @Test(arguments: [["status", "--offline"], ["status"], ["explain", "101"], ["revenue"], ["report"], ["retry"]])
    func readingCommandsRefuseAMissingStateFileAndCreateNone(words: [String]) async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        #expect(await harness.main(words) == MemberSyncCommand.exitFailed)
        #expect(!FileManager.default.fileExists(atPath: harness.engine.statePath))
    }

    @Test func theErrorSaysTheAgentHasNotRunAndWhatToDo() throws {
        let harness = try CommandHarness()
        let error = try #require(throws: StateFileMissing.self) { try harness.context().openExistingState() }
        #expect(error.description.contains("'\(harness.engine.statePath)'"))
        #expect(error.description.contains("has not run with this configuration yet"))
        let next = try #require(MemberSyncCommand.nextStep(for: error))
        #expect(next.contains("membersync sync --full"))
        #expect(next.contains("state.database"))
    }

    @Test func statusStillAnswersOnceTheAgentHasRun() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.engine.sync()
        #expect(await harness.main(["status", "--offline"]) == MemberSyncCommand.exitOK)
    }

    @Test func revenueErrorsSayWhatToDoNext() {
        let locked = RevenueError.mctradeUnavailable(path: "/srv/mctrade.sqlite", reason: "database is locked")
        #expect(MemberSyncCommand.nextStep(for: locked)?.contains("membersync check") == true)
        let schema = RevenueError.mctradeSchema(
            path: "/srv/mctrade.sqlite",
            detail: "table 'profile_revenue' is missing"
        )
        #expect(MemberSyncCommand.nextStep(for: schema)?.contains("revenue.enabled") == true)
        let repeated = RevenueError.pageRepeated(page: 2, listing: "the orders of customer 7")
        #expect(MemberSyncCommand.nextStep(for: repeated)?.contains("membersync revenue") == true)
    }
}
