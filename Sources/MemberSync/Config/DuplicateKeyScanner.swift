import Foundation

/// Finds a key written twice in one object of a JSON text. `JSONDecoder` and `JSONSerialization`
/// accept such a file and silently keep one of the values; a strict configuration rejects it.
///
/// Run it on text that has already parsed as JSON: on anything else it stops early and finds nothing.
struct DuplicateKeyScanner {
    private let bytes: [UInt8]
    private var index = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The dotted path of the first repeated key (`membership.grace_days`, `a.list[2].b`), or nil.
    static func firstDuplicate(in data: Data) -> String? {
        var scanner = DuplicateKeyScanner(bytes: Array(data))
        return scanner.value(path: "")
    }

    private mutating func value(path: String) -> String? {
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object(path: path)
        case UInt8(ascii: "["): return array(path: path)
        case UInt8(ascii: "\""): _ = string()
        default: skipLiteral()
        }
        return nil
    }

    private mutating func object(path: String) -> String? {
        index += 1
        var keys: Set<String> = []
        while true {
            skipWhitespace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "}"):
                index += 1
                return nil
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "\""):
                let key = string()
                let keyPath = path.isEmpty ? key : path + "." + key
                guard keys.insert(key).inserted else { return keyPath }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                if let duplicate = value(path: keyPath) { return duplicate }
            default:
                return nil
            }
        }
    }

    private mutating func array(path: String) -> String? {
        index += 1
        var position = 0
        while true {
            skipWhitespace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "]"):
                index += 1
                return nil
            case UInt8(ascii: ","):
                index += 1
                position += 1
            default:
                if let duplicate = value(path: "\(path)[\(position)]") { return duplicate }
            }
        }
    }

    /// Reads a string from its opening quote past its closing one, escapes decoded, so that `"a"` and
    /// `"\u0061"` are the same key.
    private mutating func string() -> String {
        let start = index
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        index = min(index + 1, bytes.count)
        let quoted = Data(bytes[start..<index])
        let decoded = try? JSONSerialization.jsonObject(with: quoted, options: .fragmentsAllowed) as? String
        return decoded ?? String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
    }

    /// Skips a number, `true`, `false` or `null`; at least one byte, so that the scan always moves on.
    private mutating func skipLiteral() {
        index += 1
        while index < bytes.count, !Self.endsLiteral(bytes[index]) { index += 1 }
    }

    private static func endsLiteral(_ byte: UInt8) -> Bool {
        [UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}")].contains(byte) || isWhitespace(byte)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(byte)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    }
}
