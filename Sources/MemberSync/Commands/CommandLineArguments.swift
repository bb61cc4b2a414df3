/// A usage error: exit code 64 (EX_USAGE).
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Command-line words split into options and positional arguments, checked against what a command takes.
public struct CommandLineArguments: Sendable {
    public private(set) var flags: Set<String> = []
    public private(set) var values: [String: String] = [:]
    public private(set) var positional: [String] = []

    /// Parses `words` given the options that take a value and the flags a command accepts.
    public init(_ words: [String], valueOptions: Set<String>, flags allowedFlags: Set<String>) throws {
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("--") else {
                positional.append(word)
                continue
            }
            var name = String(word.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if valueOptions.contains(name) {
                guard values[name] == nil else { throw UsageError("option --\(name) is given twice") }
                if let inlineValue {
                    values[name] = inlineValue
                } else {
                    guard index < words.count else { throw UsageError("option --\(name) needs a value") }
                    values[name] = words[index]
                    index += 1
                }
            } else if allowedFlags.contains(name) {
                flags.insert(name)
            } else {
                throw UsageError("unknown option --\(name)")
            }
        }
    }

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    public func value(_ name: String) -> String? { values[name] }
}
