import Foundation

/// `--name value` options, `--flag` switches and positional words of one command line.
struct CommandOptions {
    private(set) var positional: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Options that take no value.
    static let switches: Set<String> = ["--help", "-h", "--clear", "--echo-headers", "--disable"]

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word.hasPrefix("-") && word.count > 1 {
                if let equals = word.firstIndex(of: "=") {
                    values[String(word[..<equals]), default: []].append(String(word[word.index(after: equals)...]))
                } else if Self.switches.contains(word) || index + 1 >= arguments.count {
                    flags.insert(word)
                } else {
                    values[word, default: []].append(arguments[index + 1])
                    index += 1
                }
            } else {
                positional.append(word)
            }
            index += 1
        }
    }

    var wantsHelp: Bool { flags.contains("--help") || flags.contains("-h") }

    /// Refuses options `command` (a subcommand, or "" for none) does not know, options without their value, switches given a value, and
    /// options given twice other than those in `repeatable`.
    func check(
        command: String,
        values known: Set<String>,
        switches knownSwitches: Set<String> = [],
        repeatable: Set<String> = []
    ) throws(SandboxUsageError) {
        let seeHelp = command.isEmpty ? "see 'bc-sandbox --help'" : "see 'bc-sandbox help \(command)'"
        let program = command.isEmpty ? "bc-sandbox" : "bc-sandbox \(command)"
        for flag in flags.sorted() where !knownSwitches.contains(flag) && !["--help", "-h"].contains(flag) {
            if known.contains(flag) { throw SandboxUsageError(message: "\(flag) needs a value; \(seeHelp)") }
            throw SandboxUsageError(message: "\(program) has no option \(flag); \(seeHelp)")
        }
        for (name, given) in values.sorted(by: { $0.key < $1.key }) {
            if knownSwitches.contains(name) || ["--help", "-h"].contains(name) {
                throw SandboxUsageError(message: "\(name) takes no value; \(seeHelp)")
            }
            guard known.contains(name) else {
                throw SandboxUsageError(message: "\(program) has no option \(name); \(seeHelp)")
            }
            if given.count > 1 && !repeatable.contains(name) {
                throw SandboxUsageError(message: "\(name) is given \(given.count) times; give it once")
            }
        }
    }

    /// The value of a single-valued option (the last one, were it given twice).
    func value(_ name: String) -> String? { values[name]?.last }

    /// Every value of a repeatable option, in order.
    func allValues(_ name: String) -> [String] { values[name] ?? [] }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The option as a whole number within `range`, or nil when it is absent.
    func integer(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(SandboxUsageError) -> Int? {
        guard let text = values[name]?.last else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw SandboxUsageError(message: "\(name) needs a whole number\(Self.describe(range)), got '\(text)'")
        }
        return number
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (Int.min, Int.max): ""
        case (let low, Int.max): " of at least \(low)"
        case (let low, let high): " from \(low) to \(high)"
        }
    }
}

/// Turns `bc-sandbox fault KIND --option value` into a fault object for the admin API.
enum FaultArguments {
    static let values: Set<String> = [
        "--url", "--status", "--count", "--ms", "--method", "--path", "--email", "--header",
    ]
    static let switches: Set<String> = ["--echo-headers", "--disable"]

    static func object(kind: String, options: CommandOptions) throws -> [String: Any] {
        var fault: [String: Any] = ["kind": kind.replacingOccurrences(of: "-", with: "_")]
        for name in ["status", "count", "ms"] {
            if let number = try options.integer("--\(name)") { fault[name] = number }
        }
        if let method = options.value("--method") { fault["method"] = method.uppercased() }
        if let path = options.value("--path") { fault["path"] = path }
        if let email = options.value("--email") { fault["email"] = email }
        if options.flag("--echo-headers") { fault["echo_headers"] = true }
        if ["lowercase_headers", "put_without_group_resets", "reject_email"].contains(fault["kind"] as? String) {
            fault["enabled"] = !options.flag("--disable")
        }
        if let header = options.value("--header") {
            let parts = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw SandboxUsageError(message: "--header needs 'Name: value'") }
            fault["headers"] = [parts[0]: parts[1]]
        }
        return fault
    }
}
