import BCSandbox
import Foundation
import MCTradeDemo
import SQLiteDB

/// One benchmark size: a directory with demo MC Trade data of `people` people, a running `bc-sandbox`
/// with the non-member (3) and member (4) groups, and a `membersync` configuration pointing at both.
final class BenchWorkspace {
    static let nonmemberGroup = 3
    static let memberGroup = 4
    static let storeHash = "benchstore"

    let people: Int
    let directory: URL
    let binaries: URL
    let mctradePath: String
    let configPath: String
    let storePath: String
    let logPath: String
    let admin: SandboxAdmin
    let baseURL: URL
    private let token = "bench-\(UUID().uuidString)"
    private let sandbox: SpawnedProcess

    /// Generates the data and starts the sandbox with `quota` requests per `windowMilliseconds`.
    init(people: Int, root: URL, binaries: URL, quota: Int, windowMilliseconds: Int) async throws {
        self.people = people
        self.binaries = binaries
        directory = root.appendingPathComponent("people-\(people)")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        mctradePath = directory.appendingPathComponent("mctrade.sqlite").path
        configPath = directory.appendingPathComponent("membersync.json").path
        storePath = directory.appendingPathComponent("store.sqlite").path
        logPath = directory.appendingPathComponent("processes.log").path
        try Self.generate(people: people, at: mctradePath)
        let portFile = directory.appendingPathComponent("sandbox.port")
        sandbox = try SpawnedProcess(
            executable: binaries.appendingPathComponent("bc-sandbox"),
            arguments: [
                "serve", "--data", storePath, "--port", "0", "--port-file", portFile.path,
                "--store-hash", Self.storeHash, "--quota", String(quota), "--window-ms", String(windowMilliseconds),
            ],
            environment: Self.environment(["BC_SANDBOX_TOKEN": token]),
            outputPath: logPath
        )
        baseURL = try await Self.waitForPort(portFile)
        admin = SandboxAdmin(baseURL: baseURL)
        try await createGroups()
        try writeConfiguration()
    }

    /// Stops the sandbox and, unless `keep`, removes the directory.
    func close(keep: Bool) async {
        sandbox.terminate()
        _ = await sandbox.wait()
        if !keep { try? FileManager.default.removeItem(at: directory) }
    }

    /// Empties the store (customers, groups, quota state, request log) and creates the two groups again.
    func resetStore() async throws {
        try await admin.reset()
        try await createGroups()
    }

    /// Starts `membersync` with `words` and `--config`.
    func startMembersync(_ words: [String]) throws -> SpawnedProcess {
        try SpawnedProcess(
            executable: binaries.appendingPathComponent("membersync"),
            arguments: words + ["--config", configPath],
            environment: Self.environment([:]),
            outputPath: logPath
        )
    }

    /// Runs `membersync` with `words` to its end; throws unless it exits 0 or 2 (some profiles failed).
    func runMembersync(_ words: [String]) async throws -> ChildUsage {
        let process = try startMembersync(words)
        let usage = await process.wait()
        guard usage.exitStatus == 0 || usage.exitStatus == 2 else {
            throw BenchError("membersync \(words.joined(separator: " ")) exited \(usage.exitStatus); see \(logPath)")
        }
        return usage
    }

    /// Runs the naive sync (this executable's `naive` mode) against the store; returns its summary.
    func runNaive(summaryName: String) async throws -> (ChildUsage, NaiveSync.Summary) {
        let summaryPath = directory.appendingPathComponent(summaryName).path
        let process = try SpawnedProcess(
            executable: binaries.appendingPathComponent("membersync-bench"),
            arguments: [
                "naive", "--mctrade", mctradePath, "--api-url", baseURL.absoluteString,
                "--store-hash", Self.storeHash, "--summary", summaryPath,
            ],
            environment: Self.environment(["BIGCOMMERCE_ACCESS_TOKEN": token]),
            outputPath: logPath
        )
        let usage = await process.wait()
        guard usage.exitStatus == 0,
            let summary = try? JSONDecoder().decode(
                NaiveSync.Summary.self,
                from: Data(contentsOf: URL(fileURLWithPath: summaryPath))
            )
        else { throw BenchError("the naive sync exited \(usage.exitStatus); see \(logPath)") }
        return (usage, summary)
    }

    // MARK: - Setup

    /// Demo data with every individual profile a candidate (members and non-members), the daily full
    /// sync set 12 hours away so that it cannot start during the run.
    private static func generate(people: Int, at path: String) throws {
        let generator = DemoDataGenerator(
            people: people,
            organizations: max(20, people / 8),
            seed: 7,
            includeIndividualNonmembers: true,
            today: DayText.today()
        )
        try generator.write(to: path)
        let mctrade = try MCTradeDatabase(path: path)
        try mctrade.execute("UPDATE bigcommerce_settings SET auto_sync_time = '\(DayText.clockTime(hoursFromNow: 12))'")
        _ = try mctrade.purgeChanges(through: try mctrade.maxChangeID())
    }

    private func createGroups() async throws {
        _ = try await admin.createGroup(name: "Non-members", id: Self.nonmemberGroup)
        _ = try await admin.createGroup(name: "Members", id: Self.memberGroup)
    }

    private func writeConfiguration() throws {
        let tokenFile = directory.appendingPathComponent("token")
        try Data(token.utf8).write(to: tokenFile)
        chmod(tokenFile.path, 0o600)
        let configuration: [String: Any] = [
            "mctrade": ["database": "mctrade.sqlite"],
            "state": ["database": "state.sqlite"],
            "bigcommerce": [
                "api_url": baseURL.absoluteString, "store_hash": Self.storeHash, "access_token_file": "token",
            ],
            "timezone": "UTC",
            "sync": ["poll_interval_ms": 500],
            "logging": ["level": "warning"],
        ]
        try JSONSerialization.data(withJSONObject: configuration, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: configPath))
        chmod(configPath, 0o600)
    }

    /// This process's environment without a store token, plus `extra`.
    private static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "BIGCOMMERCE_ACCESS_TOKEN")
        environment.removeValue(forKey: "BC_SANDBOX_TOKEN")
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    private static func waitForPort(_ file: URL) async throws -> URL {
        for _ in 0..<1500 {
            if let text = try? String(contentsOf: file, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return URL(string: "http://127.0.0.1:\(port)")!
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("bc-sandbox did not write its port within 30 s")
    }
}

/// Today's date and clock times in UTC, as MC Trade writes them.
enum DayText {
    static func today() -> String {
        let parts = utc.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// `HH:MM`, `hours` from now.
    static func clockTime(hoursFromNow hours: Int) -> String {
        let parts = utc.dateComponents([.hour, .minute], from: Date().addingTimeInterval(Double(hours) * 3600))
        return String(format: "%02d:%02d", parts.hour!, parts.minute!)
    }

    private static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }
}
