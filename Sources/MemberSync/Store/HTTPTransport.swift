import Foundation

/// Sends one HTTP request and returns the answer, whatever its status. It never retries, caches or
/// follows redirects on its own: `BigCommerceClient` decides all of that.
public protocol HTTPTransport: Sendable {
    /// Sends `request`; throws `HTTPTransportError` (or `CancellationError`) when no answer arrived.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// An HTTP request as the store client builds it.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST` or `PUT`.
    public var method: String
    public var url: URL
    /// Header fields; names as written, compared without regard to case by receivers.
    public var headers: [String: String]
    public var body: Data?
    /// How long to wait for the answer.
    public var timeout: Duration

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil, timeout: Duration) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// An HTTP answer: status, header fields (looked up without regard to case) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Response header fields whose names compare without regard to case (`x-rate-limit-requests-left`
/// and `X-Rate-Limit-Requests-Left` are one field).
public struct HTTPHeaders: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    private var fields: [String: String]

    public init(_ fields: [String: String] = [:]) {
        var lowered: [String: String] = [:]
        for (name, value) in fields {
            lowered[name.lowercased()] = value
        }
        self.fields = lowered
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The value of the field `name`, whatever the case of either.
    public subscript(name: String) -> String? {
        fields[name.lowercased()]
    }

    /// The field's value read as a whole number (`"1500"`, `" 1500 "`, `"1500.0"`); nil when absent,
    /// negative or not a finite number.
    public func integer(_ name: String) -> Int? {
        guard let text = self[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let value = Int(text) { return value >= 0 ? value : nil }
        guard let value = Double(text), value.isFinite, value >= 0, value < Double(Int32.max) else { return nil }
        return Int(value.rounded(.up))
    }
}

/// Why a request got no answer.
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// Whether the request may have reached the server.
    public enum Kind: String, Sendable {
        /// Nothing was sent: no connection could be made (refused, unknown host, TLS failure).
        case notSent = "not_sent"
        /// The request may have been received and acted on (timeout, connection lost mid-way).
        case answerLost = "answer_lost"
    }

    public var kind: Kind
    /// A short lowercase reason, e.g. "timed out", "connection refused".
    public var reason: String

    public init(kind: Kind, reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String {
        switch kind {
        case .notSent: return "could not reach the store: \(reason)"
        case .answerLost: return "no answer from the store: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
