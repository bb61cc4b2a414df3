import Foundation

/// What is kept of an error answer: its `title` and per-field `errors`, scrubbed of the token.
/// Reads the v3 shape `{status, title, type, errors: {field: message}}`, v2's `[{status, message}]`
/// and `{errors: [{status, title}]}`. The raw body is never kept: stores have been seen to echo the
/// request headers, token included, in error pages.
struct StoreErrorBody {
    var title: String?
    var errors: [String: String]

    private static let maxErrors = 20

    init(data: Data, redactor: Redactor) {
        title = nil
        errors = [:]
        guard !data.isEmpty, let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return }
        if let object = json as? [String: Any] {
            readObject(object, redactor: redactor)
        } else if let array = json as? [Any] {
            readArray(array, redactor: redactor)
        }
    }

    /// True when an answer's body says it is about rate limiting (a 500 standing in for a 429).
    static func mentionsRateLimit(_ data: Data) -> Bool {
        guard let text = String(data: data.prefix(4096), encoding: .utf8)?.lowercased() else { return false }
        return text.contains("rate limit") || text.contains("too many requests") || text.contains("rate-limit")
    }

    private mutating func readObject(_ object: [String: Any], redactor: Redactor) {
        let heading = (object["title"] ?? object["message"] ?? object["detail"]) as? String
        title = heading.map { redactor.scrub($0) }
        if let fields = object["errors"] as? [String: Any] {
            for (key, value) in fields.sorted(by: { $0.key < $1.key }).prefix(Self.maxErrors) {
                errors[redactor.scrub(key, limit: 80)] = redactor.scrub(Self.text(of: value))
            }
        } else if let items = object["errors"] as? [Any] {
            readArray(items, redactor: redactor)
            if let heading { title = redactor.scrub(heading) }
        }
    }

    private mutating func readArray(_ items: [Any], redactor: Redactor) {
        let messages = items.prefix(Self.maxErrors).compactMap { item -> String? in
            guard let item = item as? [String: Any] else { return item as? String }
            return (item["message"] ?? item["title"] ?? item["details"]) as? String
        }
        guard let first = messages.first else { return }
        title = redactor.scrub(first)
        for (index, message) in messages.enumerated().dropFirst() {
            errors[String(index)] = redactor.scrub(message)
        }
    }

    private static func text(of value: Any) -> String {
        switch value {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        case let list as [Any]: return list.map { text(of: $0) }.joined(separator: "; ")
        default: return "(unreadable)"
        }
    }
}

/// Keeps the access token (and anything that looks like echoed request headers) out of text that
/// may reach an error, a log line or a report.
struct Redactor: Sendable {
    private let secret: String

    init(secret: String) {
        self.secret = secret
    }

    /// `text` on one line, at most `limit` characters, with the token replaced by `[redacted]`; text
    /// that quotes the auth header is withheld altogether.
    func scrub(_ text: String, limit: Int = 300) -> String {
        var clean = text
        if !secret.isEmpty {
            clean = clean.replacingOccurrences(of: secret, with: "[redacted]")
        }
        for marker in ["x-auth-token", "authorization:", "x-auth-client"]
        where clean.range(of: marker, options: .caseInsensitive) != nil {
            return "[withheld: the store echoed request headers]"
        }
        clean = clean.components(separatedBy: .newlines).joined(separator: " ")
        return clean.count > limit ? String(clean.prefix(limit)) + "…" : clean
    }
}
