import Foundation
import MCTradeDemo

@testable import MemberSync

/// An engine harness plus a configuration on its files (as a value and as a JSON file with a token
/// file), for running commands against real MC Trade and state files.
final class CommandHarness {
    let engine: EngineHarness
    var directory: URL { engine.directory }
    var configPath: String { directory.appendingPathComponent("membersync.json").path }

    init(memberGroup: Int? = 4, includeNonmembers: Bool = false) throws {
        engine = try EngineHarness(memberGroup: memberGroup, includeNonmembers: includeNonmembers)
        let tokenPath = directory.appendingPathComponent("token").path
        try "test-token-not-real".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenPath)
        let json = """
            {"mctrade": {"database": "\(engine.mctrade.path)"}, "state": {"database": "\(engine.statePath)"},
             "bigcommerce": {"store_hash": "abc123", "api_url": "http://127.0.0.1:9",
                             "access_token_file": "\(tokenPath)"},
             "timezone": "UTC", "logging": {"level": "error"}}
            """
        try json.write(toFile: configPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: configPath)
    }

    var configuration: Configuration {
        Configuration(
            mctradeDatabasePath: engine.mctrade.path,
            stateDatabasePath: engine.statePath,
            bigCommerce: Configuration.BigCommerce(storeHash: "abc123", accessToken: Secret("test-token-not-real")),
            timeZone: TimeZone(identifier: "UTC")!,
            logging: Configuration.Logging(level: .critical)
        )
    }

    func context() throws -> AgentContext {
        try AgentContext(configuration: configuration, logHandler: InMemoryLogHandler())
    }

    /// `membersync WORDS --config FILE`, returning the exit code.
    func main(_ words: [String]) async -> Int32 {
        await MemberSyncCommand.main(words + ["--config", configPath])
    }

    /// Every row of every table of the state file, for comparing before and after.
    func stateDump() throws -> String {
        let state = try engine.state()
        var text = ""
        for table in ["meta", "links", "sent_records", "outbox", "pending_creates", "report", "runs"] {
            for row in try state.database.query("SELECT * FROM \(table)") {
                text += table + ": " + row.values.map { "\($0)" }.joined(separator: "|") + "\n"
            }
        }
        return text
    }
}
