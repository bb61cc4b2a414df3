import Foundation
import SQLiteDB
import Testing

@testable import MemberSync

/// `membersync check`, `--help` everywhere, and `sync --full` handing over to a running service.
@Suite struct CheckAndHandOverTests {
    @Test func everyCheckPassesOnAGoodSetup() async throws {
        let harness = try CommandHarness()
        let results = await SetupCheck(configuration: harness.configuration, store: harness.engine.store).run()
        #expect(
            results.map(\.name) == [
                "config", "MC Trade schema", "MC Trade revenue write", "MC Trade settings", "token", "scope customers",
                "scope orders", "groups",
            ]
        )
        let failures = results.filter { !$0.passed }.map(\.line)
        #expect(failures.isEmpty, "\(failures)")
        #expect(CheckCommand.render(results).hasSuffix("all 8 checks passed"))
    }

    @Test func revenueWriteFailsWhileAnotherWriterHoldsMCTradesFileAndWritesNothing() async throws {
        let harness = try CommandHarness()
        let holder = try Database(path: harness.engine.mctrade.path)
        try holder.execute("BEGIN IMMEDIATE")
        let check = SetupCheck(configuration: harness.configuration, store: harness.engine.store)
        let held = check.revenueWriteCheck()
        #expect(!held.passed)
        #expect(held.detail == "MC Trade held its file for over 2 s")
        try holder.execute("ROLLBACK")
        #expect(check.revenueWriteCheck().passed)
        #expect(try harness.engine.mctrade.revenueRows().isEmpty)
    }

    @Test func revenueWriteIsNotCheckedWhenRevenueIsOff() async throws {
        let harness = try CommandHarness()
        var configuration = harness.configuration
        configuration.revenue.isEnabled = false
        let results = await SetupCheck(configuration: configuration, store: harness.engine.store).run()
        #expect(!results.map(\.name).contains("MC Trade revenue write"))
    }

    @Test func aRefusedTokenAMissingColumnAndAMissingGroupEachFailWithWhatToDo() async throws {
        let harness = try CommandHarness(memberGroup: 9)
        try harness.engine.mctrade.execute("ALTER TABLE relationships DROP COLUMN relation_type")
        let refusing = await SetupCheck(configuration: harness.configuration, store: RefusingStore()).run()
        let failed = Dictionary(uniqueKeysWithValues: refusing.filter { !$0.passed }.map { ($0.name, $0) })
        #expect(failed["MC Trade schema"]?.detail == "missing relationships.relation_type")
        #expect(failed["token"]?.fix?.contains("API account") == true)
        #expect(failed["scope orders"]?.fix == "give the API account the 'Orders: read-only' scope")
        #expect(failed["scope customers"]?.fix == "give the API account the 'Customers: modify' scope")

        let results = await SetupCheck(configuration: harness.configuration, store: harness.engine.store).run()
        let groups = try #require(results.first { $0.name == "groups" })
        #expect(!groups.passed)
        #expect(groups.detail.contains("group(s) 9"))
        #expect(groups.line.contains("-> pick existing groups"))
    }

    @Test func checkExitsOneOnABrokenConfigurationFile() async throws {
        let harness = try CommandHarness()
        try "{\"nonsense\": 1}".write(toFile: harness.configPath, atomically: true, encoding: .utf8)
        #expect(await harness.main(["check"]) == 1)
    }

    @Test func everyCommandAnswersHelp() async throws {
        for command in ["sync", "run", "status", "explain", "report", "check", "retry", "groups"] {
            #expect(await MemberSyncCommand.main([command, "--help"]) == 0)
            #expect(CommandHelp.text(for: command)?.contains("usage: membersync \(command)") == true, "\(command)")
        }
    }

    @Test func fullSyncWhileTheServiceHoldsTheLockAsksTheService() async throws {
        let harness = try CommandHarness()
        let held = try ProcessLock.acquire(statePath: harness.engine.statePath, command: "run", timeout: 0)
        let lock = try #require(held.lock)
        defer { lock.release() }
        // The lock is held through another open file description, as by another process.
        let code = await harness.main(["sync", "--full", "--wait", "0"])
        #expect(code == 0)
        let requested = try harness.engine.state().meta(MetaKey.fullSyncRequested)
        #expect(requested?.hasPrefix("membersync sync --full") == true)
        #expect(harness.engine.store.log.isEmpty)
        #expect(try await harness.engine.engine().fullSyncDue()?.hasPrefix("first start") == true)
    }

    @Test func aSyncBesideAOneShotHolderFailsAndSaysWhoHoldsIt() async throws {
        let harness = try CommandHarness()
        let held = try ProcessLock.acquire(statePath: harness.engine.statePath, command: "sync", timeout: 0)
        defer { held.lock?.release() }
        #expect(await harness.main(["sync", "--wait", "0"]) == 1)
        #expect(try harness.engine.state().meta(MetaKey.fullSyncRequested) == nil)
    }
}
