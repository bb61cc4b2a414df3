import BCSandbox
import ChildProcesses
import Foundation
import MCTradeDemo
import SQLiteDB

/// A temporary directory holding an MC Trade file, a running `bc-sandbox` with the member (4) and
/// non-member (3) groups, and a config file pointing `membersync` at both.
final class EndToEndWorkspace: @unchecked Sendable {
    static let memberGroup = 4
    static let nonmemberGroup = 3

    let directory: URL
    let sandbox: SandboxProcess
    let admin: SandboxAdmin
    let mctrade: MCTradeDatabase
    let configPath: String
    let statePath: String

    /// - Parameter demoPeople: fills MC Trade with the demo generator; nil leaves it empty with settings.
    init(
        demoPeople: Int? = nil,
        includeIndividualNonmembers: Bool = false,
        quota: Int = 100_000,
        windowMilliseconds: Int = 30_000,
        extraConfig: [String: Any] = [:]
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("membersync-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        sandbox = try SandboxProcess(directory: directory, quota: quota, windowMilliseconds: windowMilliseconds)
        admin = SandboxAdmin(baseURL: sandbox.baseURL)
        _ = try await admin.createGroup(name: "Non-members", id: Self.nonmemberGroup)
        _ = try await admin.createGroup(name: "Members", id: Self.memberGroup)
        let mctradePath = directory.appendingPathComponent("mctrade.sqlite").path
        if let demoPeople {
            let generator = DemoDataGenerator(
                people: demoPeople,
                organizations: max(20, demoPeople / 8),
                seed: 7,
                includeIndividualNonmembers: includeIndividualNonmembers,
                today: Self.today
            )
            try generator.write(to: mctradePath)
            mctrade = try MCTradeDatabase(path: mctradePath)
        } else {
            mctrade = try MCTradeDatabase.create(at: mctradePath)
            try mctrade.setSettings(
                memberGroupID: Self.memberGroup,
                nonmemberGroupID: Self.nonmemberGroup,
                includeIndividualNonmembers: includeIndividualNonmembers
            )
        }
        statePath = directory.appendingPathComponent("state.sqlite").path
        let tokenFile = directory.appendingPathComponent("token")
        try Data(sandbox.token.utf8).write(to: tokenFile)
        chmod(tokenFile.path, 0o600)
        var config: [String: Any] = [
            "mctrade": ["database": "mctrade.sqlite"],
            "state": ["database": "state.sqlite"],
            "bigcommerce": [
                "api_url": sandbox.baseURL.absoluteString, "store_hash": sandbox.storeHash,
                "access_token_file": "token",
            ],
            "timezone": "UTC",
        ]
        for (key, value) in extraConfig { config[key] = value }
        configPath = directory.appendingPathComponent("membersync.json").path
        try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: configPath))
        chmod(configPath, 0o600)
    }

    deinit {
        sandbox.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    static var today: String {
        CalendarDayText.today()
    }

    /// Runs `membersync` with the given words and `--config`.
    func membersync(_ words: String..., environment: [String: String] = [:]) async throws -> ProcessOutput {
        try await ChildProcess.run("membersync", words + ["--config", configPath], environment: environment)
    }

    /// Starts `membersync` with `words` and `--config` in the background (the service, or a run a test
    /// kills); its standard error goes to `standardError` when given. The caller stops it.
    func startMembersync(_ words: String..., standardError: FileHandle? = nil) throws -> SpawnedProcess {
        try startMembersync(words, standardError: standardError)
    }

    func startMembersync(_ words: [String], standardError: FileHandle? = nil) throws -> SpawnedProcess {
        let process = SpawnedProcess()
        process.executableURL = BuiltProducts.executable("membersync")
        process.arguments = words + ["--config", configPath]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = standardError ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Store requests since the last `clearRequests`, by method.
    func requestsByMethod() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for request in try await admin.requests() { counts[request.method, default: 0] += 1 }
        return counts
    }
}

enum CalendarDayText {
    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    static func day(offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(byAdding: .day, value: offset, to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

/// Polls `condition` until it holds or `timeout` runs out; a condition that throws (a store that is
/// down, say) counts as not holding yet.
func waitUntil(
    timeout: TimeInterval,
    every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if (try? await condition()) == true { return true }
        try await Task.sleep(for: interval)
    }
    return false
}
