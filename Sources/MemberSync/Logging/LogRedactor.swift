import Foundation

/// Replaces secrets (an access token) with `<redacted>` in text about to be logged.
struct LogRedactor: Sendable {
    static let replacement = "<redacted>"

    /// Longest first, so that a secret containing another is replaced whole.
    private(set) var secrets: [String] = []

    var isEmpty: Bool { secrets.isEmpty }

    /// Adds secrets; empty strings are ignored, since they would match everywhere.
    func adding(_ newSecrets: some Sequence<String>) -> LogRedactor {
        var copy = self
        let all = Set(secrets).union(newSecrets.filter { !$0.isEmpty })
        copy.secrets = all.sorted { ($0.count, $0) > ($1.count, $1) }
        return copy
    }

    func redact(_ text: String) -> String {
        secrets.reduce(text) { partial, secret in
            partial.contains(secret) ? partial.replacingOccurrences(of: secret, with: Self.replacement) : partial
        }
    }

    func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        Dictionary(
            metadata.map { key, value in (redact(key), value.mapText(redact)) },
            uniquingKeysWith: { first, _ in first }
        )
    }
}
