import ChildProcesses
import Foundation

/// Where the built executables are: `MEMBERSYNC_BIN_DIR`, else `.build/debug` of this package.
enum BuiltProducts {
    static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["MEMBERSYNC_BIN_DIR"] {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug", isDirectory: true)
    }

    static func executable(_ name: String) -> URL {
        directory.appendingPathComponent(name)
    }
}

/// The outcome of a finished child process.
struct ProcessOutput: Sendable {
    var status: Int32
    var standardOutput: String
    var standardError: String

    var all: String { standardOutput + "\n" + standardError }
}

/// Runs a built executable to completion, capturing its output.
enum ChildProcess {
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        timeout: TimeInterval = 300
    ) async throws -> ProcessOutput {
        let process = SpawnedProcess()
        process.executableURL = BuiltProducts.executable(executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "BIGCOMMERCE_ACCESS_TOKEN")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Waits without blocking a thread of the test run's small cooperative pool.
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return ProcessOutput(
            status: process.terminationStatus,
            standardOutput: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        )
    }
}

/// A `bc-sandbox serve` process on an ephemeral loopback port, stopped when the value goes away; it
/// can be stopped and started again on the same port and data (a store outage).
final class SandboxProcess: @unchecked Sendable {
    private(set) var process = SpawnedProcess()
    private(set) var baseURL: URL
    let token: String
    /// A token the sandbox accepts for reads only (its writes get 403).
    let readOnlyToken = "e2e-readonly-\(UUID().uuidString)"
    let storeHash: String
    let dataPath: String
    let directory: URL
    let quota: Int
    let windowMilliseconds: Int

    init(
        directory: URL,
        token: String = "e2e-token-\(UUID().uuidString)",
        storeHash: String = "e2estore",
        quota: Int = 100_000,
        windowMilliseconds: Int = 30_000
    ) throws {
        self.token = token
        self.storeHash = storeHash
        self.directory = directory
        self.quota = quota
        self.windowMilliseconds = windowMilliseconds
        dataPath = directory.appendingPathComponent("store.sqlite").path
        baseURL = URL(string: "http://127.0.0.1:0")!
        try start(port: 0)
    }

    /// Starts the server again on the port it had (after `stop()`).
    func restart() throws {
        try start(port: baseURL.port ?? 0)
    }

    private func start(port requestedPort: Int) throws {
        let portFile = directory.appendingPathComponent("sandbox.port")
        try? FileManager.default.removeItem(at: portFile)
        process = SpawnedProcess()
        process.executableURL = BuiltProducts.executable("bc-sandbox")
        process.arguments = [
            "serve", "--data", dataPath, "--port", String(requestedPort), "--port-file", portFile.path,
            "--store-hash", storeHash, "--quota", String(quota), "--window-ms", String(windowMilliseconds),
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["BC_SANDBOX_TOKEN"] = token
        environment["BC_SANDBOX_READONLY_TOKEN"] = readOnlyToken
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var port: Int?
        while port == nil && Date() < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8),
                let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                port = value
            } else {
                usleep(20_000)
            }
        }
        guard let port else {
            process.terminate()
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "bc-sandbox did not start"])
        }
        baseURL = URL(string: "http://127.0.0.1:\(port)")!
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}
