import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A command-line mistake; the message says what to fix. Exit status 64 (EX_USAGE).
public struct SandboxUsageError: Error, CustomStringConvertible, LocalizedError {
    public let message: String
    public var description: String { message }
    public var errorDescription: String? { description }
}

/// The `bc-sandbox` command: `serve`, `seed`, `dump`, `fault`, `requests`, `help`.
public enum SandboxCommand {
    /// Runs the command line (without the program name) and returns the exit status.
    public static func run(_ arguments: [String]) async -> Int32 {
        var options = CommandOptions(arguments)
        let subcommand = options.positional.first ?? "help"
        do {
            switch subcommand {
            case "serve": return try await serve(options)
            case "seed": return try await seed(&options)
            case "dump": return try await dump(options)
            case "requests": return try await requests(options)
            case "fault": return try await fault(&options)
            case "help":
                try options.check(command: "", values: [])
                let topic = options.positional.dropFirst().first
                guard topic == nil || SandboxHelp.topics.contains(topic!) else {
                    throw SandboxUsageError(
                        message: "no help on '\(topic!)'; topics: \(SandboxHelp.topics.joined(separator: ", "))"
                    )
                }
                return help(topic)
            default: throw SandboxUsageError(message: "unknown subcommand '\(subcommand)'; see 'bc-sandbox --help'")
            }
        } catch let error as SandboxUsageError {
            printError("bc-sandbox: \(error.message)")
            return 64
        } catch {
            printError("bc-sandbox: \(error)")
            return 1
        }
    }

    private static func help(_ topic: String?) -> Int32 {
        print(SandboxHelp.text(for: topic))
        return 0
    }

    // MARK: - serve

    /// The store `bc-sandbox serve ARGUMENTS` would run, with tokens from `environment`; throws
    /// `SandboxUsageError` for what the command would refuse with exit status 64.
    public static func serveConfiguration(_ arguments: [String], environment: [String: String]) throws
        -> SandboxConfiguration
    {
        try ServeOptions.configuration(CommandOptions(arguments), environment: environment)
    }

    private static func serve(_ options: CommandOptions) async throws -> Int32 {
        if options.wantsHelp { return help("serve") }
        let configuration = try ServeOptions.configuration(options, environment: ProcessInfo.processInfo.environment)
        signal(SIGPIPE, SIG_IGN)
        let server = try SandboxServer(configuration)
        try server.start()
        if let portFile = options.value("--port-file") {
            try "\(server.port)\n".write(toFile: portFile, atomically: true, encoding: .utf8)
        }
        print("bc-sandbox listening on http://127.0.0.1:\(server.port)")
        fflush(nil)
        await waitForTermination()
        server.stop()
        return 0
    }

    /// Suspends until SIGTERM or SIGINT arrives.
    private static func waitForTermination() async {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let queue = DispatchQueue(label: "bc-sandbox.signals")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = OnceFlag()
            let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
            for source in sources {
                source.setEventHandler {
                    guard once.claim() else { return }
                    sources.forEach { $0.cancel() }
                    continuation.resume()
                }
                source.resume()
            }
        }
    }

    // MARK: - admin subcommands

    private static func admin(_ options: CommandOptions) throws -> SandboxAdmin {
        guard let text = options.value("--url"), let url = URL(string: text) else {
            throw SandboxUsageError(message: "needs --url http://127.0.0.1:PORT of a running 'bc-sandbox serve'")
        }
        return SandboxAdmin(baseURL: url)
    }

    private static func seed(_ options: inout CommandOptions) async throws -> Int32 {
        if options.wantsHelp { return help("seed") }
        try options.check(command: "seed", values: seedValues)
        let admin = try admin(options)
        switch options.positional.dropFirst().first {
        case "group":
            guard let name = options.positional.dropFirst(2).first else {
                throw SandboxUsageError(message: "seed group needs a NAME")
            }
            print(try await admin.createGroup(name: name, id: try options.integer("--id")))
        case "customer":
            print(try await admin.createCustomers([try customerSeed(options)])[0])
        case "order":
            guard let customer = try options.integer("--customer-id"), let total = options.value("--total") else {
                throw SandboxUsageError(message: "seed order needs --customer-id N (0 = guest) and --total T")
            }
            let id = try await admin.createOrder(
                customerID: customer,
                totalIncTax: total,
                statusID: try options.integer("--status-id"),
                dateCreated: options.value("--date-created")
            )
            print(id)
        default:
            throw SandboxUsageError(message: "seed needs 'group', 'customer' or 'order'; see 'bc-sandbox help seed'")
        }
        return 0
    }

    private static let seedValues: Set<String> = [
        "--url", "--id", "--email", "--first-name", "--last-name", "--company", "--phone", "--group", "--notes",
        "--password", "--customer-id", "--total", "--status-id", "--date-created",
    ]

    private static func customerSeed(_ options: CommandOptions) throws -> SandboxCustomerSeed {
        guard let email = options.value("--email"), let first = options.value("--first-name"),
            let last = options.value("--last-name")
        else { throw SandboxUsageError(message: "seed customer needs --email, --first-name and --last-name") }
        return SandboxCustomerSeed(
            email: email,
            firstName: first,
            lastName: last,
            company: options.value("--company"),
            phone: options.value("--phone"),
            customerGroupID: try options.integer("--group"),
            notes: options.value("--notes"),
            password: options.value("--password")
        )
    }

    private static func dump(_ options: CommandOptions) async throws -> Int32 {
        if options.wantsHelp { return help("dump") }
        try options.check(command: "dump", values: ["--url"])
        let data = try await admin(options).dumpData()
        let object = try JSONSerialization.jsonObject(with: data)
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: pretty, as: UTF8.self))
        return 0
    }

    private static func requests(_ options: CommandOptions) async throws -> Int32 {
        if options.wantsHelp { return help("requests") }
        try options.check(command: "requests", values: ["--url"], switches: ["--clear"])
        let admin = try admin(options)
        if options.flag("--clear") {
            try await admin.clearRequests()
            return 0
        }
        for entry in try await admin.requests() {
            let query = entry.query.isEmpty ? "" : "?\(entry.query)"
            let dropped = entry.dropped ? " (answer dropped)" : ""
            print(
                "\(entry.seq)\t\(entry.method) \(entry.path)\(query)\t\(entry.status)\titems=\(entry.items)\(dropped)"
            )
        }
        return 0
    }

    private static func fault(_ options: inout CommandOptions) async throws -> Int32 {
        if options.wantsHelp { return help("fault") }
        try options.check(command: "fault", values: FaultArguments.values, switches: FaultArguments.switches)
        let admin = try admin(options)
        guard let kind = options.positional.dropFirst().first else {
            throw SandboxUsageError(message: "fault needs a KIND (or 'clear'); see 'bc-sandbox help fault'")
        }
        if kind == "clear" {
            try await admin.clearFaults()
            return 0
        }
        try await admin.addFault(try FaultArguments.object(kind: kind, options: options))
        return 0
    }

    private static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// A flag that can be claimed once, from any thread.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var isClaimed = false

    func claim() -> Bool {
        lock.withLock {
            defer { isClaimed = true }
            return !isClaimed
        }
    }
}
