import Foundation
import MemberSync
import Testing

struct ConfigurationTests {
    static let token = "tok_TESTONLY_0123456789abcdef"
    static let environment = [Configuration.accessTokenVariable: token]
    static let minimal = #"""
        {"mctrade": {"database": "mctrade.sqlite"}, "state": {"database": "/var/lib/ms/state.sqlite"},
         "bigcommerce": {"store_hash": "abc123"}}
        """#

    /// Writes `json` as `membersync.json` (mode 600) in a temporary directory and loads it.
    static func load(
        _ json: String,
        environment: [String: String] = environment,
        prepare: (URL) throws -> Void = { _ in }
    ) throws -> Configuration {
        try FixtureTestSupport.withTemporaryDirectory { directory throws in
            let file = directory.appendingPathComponent("membersync.json")
            try Data(json.utf8).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            try prepare(directory)
            return try Configuration.load(path: file.path, environment: environment)
        }
    }

    /// The error that loading `json` throws.
    static func error(_ json: String, environment: [String: String] = environment) -> ConfigurationError? {
        #expect(throws: ConfigurationError.self) { try load(json, environment: environment) }
        do {
            _ = try load(json, environment: environment)
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test func exampleFileLoadsWithEveryKey() throws {
        let path = FixtureTestSupport.repositoryRoot().appendingPathComponent("config/membersync.example.json").path
        let configuration = try Configuration.load(path: path, environment: Self.environment)
        #expect(configuration.mctradeDatabasePath == "/var/lib/mctrade/mctrade.sqlite")
        #expect(configuration.bigCommerce.storeHash == "abc123xyz")
        #expect(configuration.bigCommerce.accessTokenFile == "/etc/membersync/bigcommerce-token")
        #expect(configuration.timeZone.identifier == "America/Chicago")
        // Prometheus text: node_exporter's textfile collector reads only `*.prom`.
        #expect(configuration.metrics.file == "/var/lib/membersync/membersync.prom")

        // Every key of the example shows in the printed configuration.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let printedKeys = Set(
            configuration.redactedDescription.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        )
        #expect(Set(Self.dottedKeys(json)).subtracting(printedKeys).isEmpty)
        #expect(printedKeys.contains("bigcommerce.access_token"))
    }

    static func dottedKeys(_ value: Any, prefix: String = "") -> [String] {
        guard let object = value as? [String: Any] else { return [prefix] }
        return object.flatMap { key, child in dottedKeys(child, prefix: prefix.isEmpty ? key : "\(prefix).\(key)") }
    }

    @Test func minimalFileGetsTheDefaults() throws {
        let configuration = try Self.load(Self.minimal)
        #expect(configuration.bigCommerce.apiURL.absoluteString == "https://api.bigcommerce.com")
        #expect(configuration.bigCommerce.rateLimitReserve == 5)
        #expect(configuration.bigCommerce.accessTokenFile == nil)
        #expect(configuration.timeZone == TimeZone.current)
        #expect(configuration.membership.graceDays == 0)
        #expect(configuration.sync.enforceGroups)
        #expect(configuration.sync.maxGroupRemovalShare == 0.2)
        #expect(configuration.sync.pollInterval == .milliseconds(500))
        #expect(configuration.sync.batchSize == 10)
        #expect(configuration.revenue.isEnabled)
        #expect(configuration.revenue.pollInterval == .seconds(60))
        #expect(configuration.revenue.overlap == .seconds(600))
        #expect(configuration.logging.level == .info)
        #expect(configuration.metrics.file == nil)
        #expect(configuration.warnings.isEmpty)
    }

    @Test func valuesInTheFileOverrideDefaults() throws {
        let configuration = try Self.load(
            #"""
            {"mctrade": {"database": "/a.sqlite"}, "state": {"database": "/b.sqlite"},
             "bigcommerce": {"store_hash": "h1", "api_url": "http://127.0.0.1:8080", "rate_limit_reserve": 0},
             "timezone": "Asia/Ho_Chi_Minh", "membership": {"grace_days": 14},
             "sync": {"enforce_groups": false, "max_group_removal_share": 1, "poll_interval_ms": 50, "batch_size": 1},
             "revenue": {"enabled": false, "poll_interval_seconds": 5, "overlap_minutes": 0},
             "logging": {"level": "TRACE"}, "metrics": {"file": null}}
            """#
        )
        #expect(configuration.bigCommerce.apiURL.absoluteString == "http://127.0.0.1:8080")
        #expect(configuration.bigCommerce.rateLimitReserve == 0)
        #expect(configuration.timeZone.identifier == "Asia/Ho_Chi_Minh")
        #expect(configuration.membership.graceDays == 14)
        #expect(!configuration.sync.enforceGroups)
        #expect(configuration.sync.maxGroupRemovalShare == 1)
        #expect(configuration.sync.pollIntervalMilliseconds == 50)
        #expect(configuration.sync.batchSize == 1)
        #expect(!configuration.revenue.isEnabled)
        #expect(configuration.revenue.overlapMinutes == 0)
        #expect(configuration.logging.level == .trace)
        #expect(configuration.metrics.file == nil)
    }

    @Test func relativePathsAreRelativeToTheConfigurationFile() throws {
        var directory: URL?
        let configuration = try Self.load(
            #"""
            {"mctrade": {"database": "data/../mctrade.sqlite"}, "state": {"database": "/abs/state.sqlite"},
             "bigcommerce": {"store_hash": "abc"}, "metrics": {"file": "metrics.json"}}
            """#,
            prepare: { directory = $0 }
        )
        let base = directory!.standardizedFileURL.path
        #expect(configuration.mctradeDatabasePath == base + "/mctrade.sqlite")
        #expect(configuration.stateDatabasePath == "/abs/state.sqlite")
        #expect(configuration.metrics.file == base + "/metrics.json")
    }
}
