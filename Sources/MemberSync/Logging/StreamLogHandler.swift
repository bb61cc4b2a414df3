import Foundation

/// Writes each event as one line of `key=value` text, to standard error by default:
///
///     2026-12-03T05:00:00.123Z info membersync.changes batch.size=10 note="two words" msg="applied batch"
///
/// Time is UTC ISO 8601 with milliseconds. Metadata comes sorted by key; a value is quoted when it is
/// empty or holds white space, `=`, `"` or `\`. Line breaks and other control characters are escaped,
/// so one event is always one line.
public struct StreamLogHandler: LogHandler {
    /// Where the lines go.
    public enum Output: Sendable {
        case standardError
        case standardOutput
        /// Receives each line, newline included.
        case custom(@Sendable (String) -> Void)
    }

    public let output: Output

    public init(output: Output = .standardError) {
        self.output = output
    }

    public func log(_ record: LogRecord) {
        let line = Self.format(record) + "\n"
        switch output {
        case .standardError: FileHandle.standardError.write(Data(line.utf8))
        case .standardOutput: FileHandle.standardOutput.write(Data(line.utf8))
        case .custom(let write): write(line)
        }
    }

    /// The line for one event, without the trailing newline.
    public static func format(_ record: LogRecord) -> String {
        var fields = [LogTimestamp.string(from: record.date), record.level.rawValue, escapedKey(record.label)]
        for (key, value) in record.metadata.sorted(by: { $0.key < $1.key }) {
            fields.append(escapedKey(key) + "=" + quotedIfNeeded(value.description))
        }
        fields.append("msg=" + quoted(record.message))
        return fields.joined(separator: " ")
    }

    /// A value as is when it is a plain token, else in double quotes with escapes.
    static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains { scalar in
                scalar == "=" || scalar == "\"" || scalar == "\\" || scalar.properties.isWhitespace
                    || scalar.properties.generalCategory == .control
            }
        return needsQuotes ? quoted(value) : value
    }

    static func quoted(_ value: String) -> String {
        "\"" + escaped(value, quote: true) + "\""
    }

    /// A key or label: control characters escaped, spaces and `=` turned into `_`.
    static func escapedKey(_ key: String) -> String {
        String(escaped(key, quote: false).map { $0 == " " || $0 == "=" ? "_" : $0 })
    }

    private static func escaped(_ text: String, quote: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where quote: result += "\\\""
            case "\\" where quote: result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}":
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
