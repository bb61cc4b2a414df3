import Foundation

/// A JSON value as written in the file, keeping booleans, integers and other numbers apart.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The JSON type's name, for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One JSON object of the configuration, read key by key. Remembers which keys were read, so that
/// `finish()` can reject the rest as unknown. A `null` value counts as absent.
final class ConfigurationSection {
    private let prefix: String
    private let values: [String: JSONValue]
    private var readKeys: Set<String> = []

    init(prefix: String, values: [String: JSONValue]) {
        self.prefix = prefix
        self.values = values
    }

    /// The dotted key of `key` in this section.
    func path(_ key: String) -> String {
        prefix.isEmpty ? key : prefix + "." + key
    }

    func section(_ key: String) throws -> ConfigurationSection {
        switch take(key) {
        case nil: return ConfigurationSection(prefix: path(key), values: [:])
        case .object(let values): return ConfigurationSection(prefix: path(key), values: values)
        case let other?: throw wrongType(key, "an object", other)
        }
    }

    func string(_ key: String, expected: String = "a string") throws -> String? {
        switch take(key) {
        case nil: return nil
        case .string(let text): return text
        case let other?: throw wrongType(key, expected, other)
        }
    }

    func bool(_ key: String) throws -> Bool? {
        switch take(key) {
        case nil: return nil
        case .bool(let value): return value
        case let other?: throw wrongType(key, "true or false", other)
        }
    }

    /// An integer within `range`.
    func integer(_ key: String, in range: ClosedRange<Int>, expected: String) throws -> Int? {
        switch take(key) {
        case nil: return nil
        case .integer(let value) where range.contains(value): return value
        case .integer(let value):
            throw ConfigurationError.invalidValue(key: path(key), value: "\(value)", expected: expected)
        case let other?: throw wrongType(key, expected, other)
        }
    }

    /// A number (integer or not) within `range`.
    func number(_ key: String, in range: ClosedRange<Double>, expected: String) throws -> Double? {
        let value: Double
        switch take(key) {
        case nil: return nil
        case .integer(let integer): value = Double(integer)
        case .number(let number): value = number
        case let other?: throw wrongType(key, expected, other)
        }
        guard range.contains(value) else {
            throw ConfigurationError.invalidValue(key: path(key), value: "\(value)", expected: expected)
        }
        return value
    }

    /// Throws for the first key, in sorted order, that was never read.
    func finish() throws {
        if let unknown = values.keys.sorted().first(where: { !readKeys.contains($0) }) {
            throw ConfigurationError.unknownKey(key: path(unknown))
        }
    }

    private func take(_ key: String) -> JSONValue? {
        readKeys.insert(key)
        guard let value = values[key], value != .null else { return nil }
        return value
    }

    private func wrongType(_ key: String, _ expected: String, _ found: JSONValue) -> ConfigurationError {
        .wrongType(key: path(key), expected: expected, found: found.typeName)
    }
}
