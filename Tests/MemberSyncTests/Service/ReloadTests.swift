import Foundation
import Testing

@testable import MemberSync

/// SIGHUP's re-read of the configuration file (`membersync run`): what it applies, and the warning that
/// names the changed keys a running service takes only at its next start.
@Suite struct ReloadTests {
    static let oldToken = "tok_TESTONLY_old_0123456789"
    static let newToken = "tok_TESTONLY_new_9876543210"

    /// A configuration file with these top-level overrides and its token file, in a temporary directory.
    final class ConfigFile {
        let directory: URL
        var path: String { directory.appendingPathComponent("membersync.json").path }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func write(timezone: String, level: String, pollMilliseconds: Int, token: String) throws {
            let json = """
                {"mctrade": {"database": "mctrade.sqlite"}, "state": {"database": "state.sqlite"},
                 "bigcommerce": {"store_hash": "abc123", "access_token_file": "token"},
                 "timezone": "\(timezone)", "logging": {"level": "\(level)"},
                 "sync": {"poll_interval_ms": \(pollMilliseconds)}}
                """
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            let tokenPath = directory.appendingPathComponent("token").path
            try Data(token.utf8).write(to: URL(fileURLWithPath: tokenPath))
            for file in [path, tokenPath] {
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            }
        }
    }

    @Test func changedKeysThatNeedARestartAreNamedInAWarningWithoutTheToken() throws {
        let file = try ConfigFile()
        try file.write(timezone: "UTC", level: "info", pollMilliseconds: 500, token: Self.oldToken)
        let running = try Configuration.load(path: file.path, environment: [:])
        let logs = InMemoryLogHandler()
        let handler = ReloadableLogHandler(level: .info, wrapping: logs)
        let logger = Logger(label: "test", level: .trace, handler: handler)

        try file.write(timezone: "Europe/Vienna", level: "warning", pollMilliseconds: 250, token: Self.newToken)
        let interval = try RunCommand.reload(path: file.path, handler: handler, running: running, logger: logger)

        #expect(interval == .milliseconds(250))
        #expect(handler.currentLevel == .warning)
        let warning = try #require(logs.records.first { $0.message.contains("restart") })
        #expect(warning.level == .warning)
        #expect(warning.metadata["keys"] == "timezone, bigcommerce.access_token")
        #expect(!logs.lines.joined().contains(Self.newToken) && !logs.lines.joined().contains(Self.oldToken))
    }

    @Test func keysAppliedOnReloadAloneBringNoWarning() throws {
        let file = try ConfigFile()
        try file.write(timezone: "UTC", level: "info", pollMilliseconds: 500, token: Self.oldToken)
        let running = try Configuration.load(path: file.path, environment: [:])
        let logs = InMemoryLogHandler()
        let handler = ReloadableLogHandler(level: .info, wrapping: logs)
        let logger = Logger(label: "test", level: .trace, handler: handler)

        try file.write(timezone: "UTC", level: "debug", pollMilliseconds: 250, token: Self.oldToken)
        _ = try RunCommand.reload(path: file.path, handler: handler, running: running, logger: logger)

        #expect(handler.currentLevel == .debug)
        #expect(logs.records.filter { $0.level >= .warning }.isEmpty, "\(logs.lines)")
    }
}
