import Foundation

/// Why a configuration could not be loaded. Each case names the file or the dotted key at fault and what
/// was expected; none ever holds the access token. The CLI exits with `exitCode` (78, `EX_CONFIG`).
public enum ConfigurationError: Error, Equatable, CustomStringConvertible, LocalizedError, Sendable {
    case unreadableFile(path: String, reason: String)
    case invalidJSON(path: String, reason: String)
    case missingValue(key: String, expected: String)
    case wrongType(key: String, expected: String, found: String)
    case unknownKey(key: String)
    /// The same key twice in one object, which JSON parsers accept by keeping one of the values.
    case duplicateKey(key: String)
    case invalidValue(key: String, value: String, expected: String)
    /// Neither the environment variable nor the token file gave a token.
    case missingAccessToken(environmentVariable: String, fileKey: String)
    case unreadableTokenFile(path: String, reason: String)
    /// The token source exists but holds only white space.
    case emptyAccessToken(source: String)

    /// `EX_CONFIG` from sysexits.h: the exit code for any configuration error.
    public static let exitCode: Int32 = 78

    /// The dotted key at fault, when there is one.
    public var key: String? {
        switch self {
        case .missingValue(let key, _), .wrongType(let key, _, _), .unknownKey(let key), .duplicateKey(let key),
            .invalidValue(let key, _, _):
            key
        case .missingAccessToken(_, let fileKey): fileKey
        case .unreadableFile, .invalidJSON, .unreadableTokenFile, .emptyAccessToken: nil
        }
    }

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read configuration file '\(path)': \(reason)"
        case .invalidJSON(let path, let reason):
            "configuration file '\(path)' is not a valid JSON object: \(reason)"
        case .missingValue(let key, let expected):
            "missing required key '\(key)': expected \(expected)"
        case .wrongType(let key, let expected, let found):
            "key '\(key)' has the wrong type: expected \(expected), found \(found)"
        case .unknownKey(let key):
            "unknown key '\(key)' in configuration"
        case .duplicateKey(let key):
            "key '\(key)' is given twice in configuration; keep one"
        case .invalidValue(let key, let value, let expected):
            "key '\(key)' has invalid value '\(value)': expected \(expected)"
        case .missingAccessToken(let variable, let fileKey):
            "no access token: set the environment variable \(variable) or the key '\(fileKey)'"
        case .unreadableTokenFile(let path, let reason):
            "cannot read access token file '\(path)': \(reason)"
        case .emptyAccessToken(let source):
            "the access token from \(source) is empty"
        }
    }

    public var errorDescription: String? { description }
}
