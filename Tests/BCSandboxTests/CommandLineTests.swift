import BCSandbox
import ChildProcesses
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The built `bc-sandbox` executable: in `MEMBERSYNC_BIN_DIR`, beside the test bundle, or in `.build/debug`.
enum SandboxExecutable {
    static var url: URL {
        var directories: [URL] = []
        if let path = ProcessInfo.processInfo.environment["MEMBERSYNC_BIN_DIR"] {
            directories.append(URL(fileURLWithPath: path, isDirectory: true))
        }
        if let bundle = Bundle.main.executableURL { directories.append(bundle.deletingLastPathComponent()) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        directories.append(root.appendingPathComponent(".build/debug", isDirectory: true))
        let candidates = directories.map { $0.appendingPathComponent("bc-sandbox") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
            ?? candidates[candidates.count - 1]
    }

    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs `bc-sandbox ARGUMENTS` to completion (at most 30 s).
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        let process = try start(arguments, environment: environment)
        let deadline = Date().addingTimeInterval(30)
        while process.process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.process.isRunning { process.process.terminate() }
        process.process.waitUntilExit()
        return process.output()
    }

    /// A started process whose output goes to files read by `output()`.
    struct Started {
        let process: SpawnedProcess
        let outputFile: URL
        let errorFile: URL

        func output() -> Output {
            defer {
                try? FileManager.default.removeItem(at: outputFile)
                try? FileManager.default.removeItem(at: errorFile)
            }
            return Output(
                status: process.terminationStatus,
                standardOutput: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
                standardError: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            )
        }
    }

    static func start(_ arguments: [String], environment: [String: String]) throws -> Started {
        let process = SpawnedProcess()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for name in ["BC_SANDBOX_TOKEN", "BC_SANDBOX_READONLY_TOKEN", "BC_SANDBOX_TOKENS"] { env[name] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        let directory = FileManager.default.temporaryDirectory
        let outputFile = directory.appendingPathComponent("bc-sandbox-out-\(UUID().uuidString)")
        let errorFile = directory.appendingPathComponent("bc-sandbox-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        return Started(process: process, outputFile: outputFile, errorFile: errorFile)
    }
}

/// `bc-sandbox` as a user runs it: help texts, usage errors, and `serve` with tokens and switches.
struct CommandLineTests {
    @Test func helpCoversStartingSeedingAndFaults() async throws {
        let output = try await SandboxExecutable.run(["--help"])
        #expect(output.status == 0)
        for text in [
            "bc-sandbox serve --data FILE", "bc-sandbox seed --url URL group NAME", "bc-sandbox fault --url URL KIND",
        ] {
            #expect(output.standardOutput.contains(text), "--help mentions \(text)")
        }
        let serve = try await SandboxExecutable.run(["help", "serve"])
        #expect(serve.status == 0)
        for option in SandboxConfiguration.options {
            #expect(serve.standardOutput.contains("\(option.name)=\(option.values)"), "help serve lists \(option.name)")
        }
        #expect(serve.standardOutput.contains("BC_SANDBOX_TOKENS"))
        let fault = try await SandboxExecutable.run(["fault", "--help"])
        for kind in [
            "status --status S", "drop-response", "latency --ms M", "reject-email --email E", "lowercase-headers",
        ] {
            #expect(fault.standardOutput.contains(kind), "help fault lists \(kind)")
        }
    }

    @Test(arguments: [
        (
            ["serve", "--data", "/tmp/x.sqlite", "--port", "70000"],
            "--port needs a whole number from 0 to 65535, got '70000'"
        ),
        (
            ["serve", "--data", "/tmp/x.sqlite", "--port", "-1"],
            "--port needs a whole number from 0 to 65535, got '-1'"
        ),
        (
            ["serve", "--data", "/tmp/x.sqlite", "--window-ms", "0"],
            "--window-ms needs a whole number from 1 to 86400000, got '0'"
        ),
        (
            ["serve", "--data", "/tmp/x.sqlite", "--quota", "many"],
            "--quota needs a whole number of at least 1, got 'many'"
        ),
        (["serve", "--data", "/tmp/x.sqlite", "--port"], "--port needs a value"),
        (["serve", "--data", "/tmp/x.sqlite", "--token", "secret"], "bc-sandbox serve has no option --token"),
        (["serve", "--port", "0"], "serve needs --data FILE"),
        (["serve", "--data", "/tmp/x.sqlite", "--option", "partial_batches"], "--option needs NAME=VALUE"),
        (
            ["serve", "--data", "/tmp/x.sqlite", "--option", "partial_batches=maybe"],
            "option partial_batches takes true|false, got 'maybe'"
        ),
        (["serve", "--data", "/tmp/x.sqlite", "--option", "colour=red"], "unknown option 'colour'"),
        (["serve", "--data", "/tmp/x.sqlite", "--port", "1", "--port", "2"], "--port is given 2 times"),
        (["--verbose"], "bc-sandbox has no option --verbose"),
        (["launch"], "unknown subcommand 'launch'"),
        (["help", "everything"], "no help on 'everything'"),
        (
            ["fault", "--url", "http://127.0.0.1:1", "status", "--status", "500", "--times", "2"],
            "bc-sandbox fault has no option --times"
        ),
        (["requests", "--url", "http://127.0.0.1:1", "--clear=yes"], "--clear takes no value"),
    ])
    func badUsageExits64WithAClearMessage(arguments: [String], message: String) async throws {
        let output = try await SandboxExecutable.run(arguments)
        #expect(output.status == 64, "\(arguments): \(output.standardError)")
        #expect(output.standardError.hasPrefix("bc-sandbox: "))
        #expect(output.standardError.contains(message), "\(output.standardError)")
        #expect(!output.standardError.contains("Fatal error"))
    }

    @Test func serveTakesScopedTokensAndSwitchesFromTheEnvironmentFilesAndOptions() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bc-sandbox-cli-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokensFile = directory.appendingPathComponent("tokens")
        try "# orders only\ncli-orders store_v2_orders_read_only\n".write(
            to: tokensFile,
            atomically: true,
            encoding: .utf8
        )
        let portFile = directory.appendingPathComponent("port")
        let started = try SandboxExecutable.start(
            [
                "serve", "--data", directory.appendingPathComponent("store.sqlite").path, "--port", "0",
                "--port-file", portFile.path, "--tokens-file", tokensFile.path,
                "--option", "error_keys=generic", "--option=empty_group_list_204=false",
            ],
            environment: [
                "BC_SANDBOX_TOKEN": "cli-full", "BC_SANDBOX_TOKENS": "cli-customers-read store_v2_customers_read_only",
            ]
        )
        defer {
            started.process.terminate()
            started.process.waitUntilExit()
            _ = started.output()
        }
        var port: Int?
        for _ in 0..<1_500 where port == nil {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if port == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let base = "http://127.0.0.1:\(try #require(port))/stores/sandbox"
        func call(_ method: String, _ path: String, token: String, body: String? = nil) async throws -> (
            Int, [String: Any]
        ) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            request.setValue(token, forHTTPHeaderField: "X-Auth-Token")
            if let body {
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as! HTTPURLResponse).statusCode, object)
        }
        let orders = try await call("GET", "/v3/customers", token: "cli-orders")
        #expect(orders.0 == 403)
        #expect((orders.1["errors"] as? [String: String])?["scope"]?.contains("store_v2_customers_read_only") == true)
        #expect(try await call("GET", "/v2/orders", token: "cli-orders").0 == 204)
        #expect(try await call("GET", "/v3/customers", token: "cli-customers-read").0 == 200)
        #expect(try await call("PUT", "/v3/customers", token: "cli-customers-read", body: "[]").0 == 403)
        #expect(try await call("GET", "/v2/customer_groups", token: "cli-full").0 == 200, "empty_group_list_204=false")
        let invalid = try await call("POST", "/v3/customers", token: "cli-full", body: #"[{"email":"x@example.test"}]"#)
        #expect(invalid.0 == 422)
        #expect(
            (invalid.1["errors"] as? [String: String]).map { Array($0.keys) } == [".customer_create"],
            "error_keys=generic"
        )
        #expect(!started.process.arguments.joined().contains("cli-full"), "no token on the command line")
    }

    @Test func aTokensEntryWithAnUnknownScopeIsAUsageErrorThatDoesNotShowTheToken() async throws {
        let output = try await SandboxExecutable.run(
            ["serve", "--data", "/tmp/never-created.sqlite"],
            environment: ["BC_SANDBOX_TOKENS": "fine-token store_v2_orders; secret-token-value store_v2_everything"]
        )
        #expect(output.status == 64)
        #expect(output.standardError.contains("BC_SANDBOX_TOKENS, entry 2: unknown scope 'store_v2_everything'"))
        #expect(!output.standardError.contains("secret-token-value"))
    }

    @Test func serveConfigurationParsesInProcess() throws {
        let configuration = try SandboxCommand.serveConfiguration(
            [
                "serve", "--data", "/tmp/s.sqlite", "--port", "65535", "--window-ms", "1", "--option",
                "max_concurrent_creates=2", "--option", "emails_ignore_case=false", "--option",
                "default_customer_group=4",
            ],
            environment: [
                "BC_SANDBOX_TOKENS": "a store_v2_customers,store_v2_orders;b", "BC_SANDBOX_READONLY_TOKEN": "",
            ]
        )
        #expect(configuration.port == 65_535)
        #expect(configuration.windowMilliseconds == 1)
        #expect(configuration.maximumConcurrentCreates == 2)
        #expect(configuration.emailsIgnoreCase == false)
        #expect(configuration.defaultCustomerGroupID == 4)
        #expect(configuration.readOnlyToken == nil)
        #expect(configuration.scopedTokens == ["a": [.customers, .orders], "b": []])
        #expect(throws: SandboxUsageError.self) {
            try SandboxCommand.serveConfiguration(["serve", "--data", "x", "--port", "65536"], environment: [:])
        }
    }

    @Test func everyOptionNameIsSettableAndRefusesNonsense() throws {
        var configuration = SandboxConfiguration(dataPath: "/tmp/unused.sqlite")
        for option in SandboxConfiguration.options {
            let value = option.values == "true|false" ? "false" : option.values == "indexed|generic" ? "generic" : "2"
            try configuration.setOption(option.name, to: value)
            #expect(throws: SandboxOptionError.self, "\(option.name)") {
                try configuration.setOption(option.name, to: "-7x")
            }
        }
        #expect(configuration.errorKeyStyle == .generic)
        #expect(!configuration.appliesPartialBatches && !configuration.emailsIgnoreCase && !configuration.clampsLimit)
        #expect(!configuration.rejectsReadOnlyFields && !configuration.emptyGroupListIsNoContent)
        #expect(!configuration.decodesPlusAsSpace && !configuration.welcomeEmailByDefault)
        #expect(configuration.maximumConcurrentUpdates == 2 && configuration.maximumConcurrentCreates == 2)
        #expect(configuration.defaultCustomerGroupID == 2)
    }
}
