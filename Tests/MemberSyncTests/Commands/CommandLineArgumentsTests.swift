import Testing

@testable import MemberSync

/// Usage errors are caught before anything runs, and exit 64.
struct CommandLineArgumentsTests {
    @Test func anOptionGivenTwiceIsAUsageError() {
        #expect(throws: UsageError.self) {
            try CommandLineArguments(["--config", "a.json", "--config", "b.json"], valueOptions: ["config"], flags: [])
        }
        #expect(throws: UsageError.self) {
            try CommandLineArguments(["--config=a.json", "--config", "b.json"], valueOptions: ["config"], flags: [])
        }
    }

    @Test func unknownOptionsAndMissingValuesAreUsageErrors() {
        #expect(throws: UsageError.self) { try CommandLineArguments(["--nope"], valueOptions: [], flags: []) }
        #expect(throws: UsageError.self) { try CommandLineArguments(["--config"], valueOptions: ["config"], flags: []) }
    }

    @Test func badProfileIdsAndStrayArgumentsExitSixtyFour() async {
        #expect(await MemberSyncCommand.main(["retry", "-5", "--config", "x.json"]) == 64)
        #expect(await MemberSyncCommand.main(["retry", "abc", "--config", "x.json"]) == 64)
        #expect(await MemberSyncCommand.main(["groups", "extra", "--config", "x.json"]) == 64)
        #expect(await MemberSyncCommand.main(["sync", "--config", "a.json", "--config", "b.json"]) == 64)
    }
}
