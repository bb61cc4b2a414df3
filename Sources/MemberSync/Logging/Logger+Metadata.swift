extension Logger {
    /// Structured data attached to a log event, by dotted key (`changelog.seq`, `http.status`).
    public typealias Metadata = [String: MetadataValue]

    /// One metadata value: text, a value rendered when the event is written, or a nested collection.
    public enum MetadataValue: Sendable, CustomStringConvertible {
        case string(String)
        /// Rendered with `description` only when the event passes the level filter.
        case stringConvertible(any CustomStringConvertible & Sendable)
        case array([MetadataValue])
        case dictionary(Metadata)

        /// `a`, `[a, b]`, `[k: v]` (keys sorted).
        public var description: String {
            switch self {
            case .string(let text): text
            case .stringConvertible(let value): value.description
            case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
            case .dictionary(let values):
                "[" + values.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
            }
        }

        /// The same value with every text passed through `transform`; rendered values become text.
        func mapText(_ transform: (String) -> String) -> MetadataValue {
            switch self {
            case .string(let text): .string(transform(text))
            case .stringConvertible(let value): .string(transform(value.description))
            case .array(let values): .array(values.map { $0.mapText(transform) })
            case .dictionary(let values): .dictionary(values.mapValues { $0.mapText(transform) })
            }
        }
    }
}

extension Logger.MetadataValue: Equatable {
    /// Values are equal when they render the same, so `.string("5")` equals `.stringConvertible(5)`.
    public static func == (lhs: Logger.MetadataValue, rhs: Logger.MetadataValue) -> Bool {
        switch (lhs, rhs) {
        case (.array(let left), .array(let right)): left == right
        case (.dictionary(let left), .dictionary(let right)): left == right
        case (.array, _), (.dictionary, _), (_, .array), (_, .dictionary): false
        default: lhs.description == rhs.description
        }
    }
}

extension Logger.MetadataValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension Logger.MetadataValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Logger.MetadataValue...) {
        self = .array(elements)
    }
}

extension Logger.MetadataValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Logger.MetadataValue)...) {
        self = .dictionary(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
