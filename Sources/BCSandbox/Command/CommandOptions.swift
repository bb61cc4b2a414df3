import Foundation

/// `--name value` options, `--flag` switches and positional words of one command line.
struct CommandOptions {
    private(set) var positional: [String] = []
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    /// Options that take no value.
    static let switches: Set<String> = ["--help", "-h", "--clear", "--echo-headers", "--disable"]

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word.hasPrefix("-") && word.count > 1 {
                if let equals = word.firstIndex(of: "=") {
                    values[String(word[..<equals])] = String(word[word.index(after: equals)...])
                } else if Self.switches.contains(word) || index + 1 >= arguments.count {
                    flags.insert(word)
                } else {
                    values[word] = arguments[index + 1]
                    index += 1
                }
            } else {
                positional.append(word)
            }
            index += 1
        }
    }

    var wantsHelp: Bool { flags.contains("--help") || flags.contains("-h") }

    func value(_ name: String) -> String? { values[name] }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func integer(_ name: String) throws -> Int? {
        guard let text = values[name] else { return nil }
        guard let number = Int(text) else {
            throw SandboxUsageError(message: "\(name) needs a whole number, got '\(text)'")
        }
        return number
    }
}

/// Turns `bc-sandbox fault KIND --option value` into a fault object for the admin API.
enum FaultArguments {
    static func object(kind: String, options: CommandOptions) throws -> [String: Any] {
        var fault: [String: Any] = ["kind": kind.replacingOccurrences(of: "-", with: "_")]
        for name in ["status", "count", "ms"] {
            if let number = try options.integer("--\(name)") { fault[name] = number }
        }
        if let method = options.value("--method") { fault["method"] = method.uppercased() }
        if let path = options.value("--path") { fault["path"] = path }
        if let email = options.value("--email") { fault["email"] = email }
        if options.flag("--echo-headers") { fault["echo_headers"] = true }
        if ["lowercase_headers", "put_without_group_resets"].contains(fault["kind"] as? String) {
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
