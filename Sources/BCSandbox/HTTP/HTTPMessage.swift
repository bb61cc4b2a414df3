import Foundation

/// Header fields in arrival order, looked up without regard to case.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }

    /// The first value of the named field, compared case-insensitively.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Replaces every field of that name with one value.
    public mutating func set(_ name: String, _ value: String) {
        let lowered = name.lowercased()
        fields.removeAll { $0.name.lowercased() == lowered }
        fields.append((name, value))
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
}

/// One parsed HTTP/1.1 request.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path part of the target, still percent-encoded.
    public var path: String
    /// The raw query string without the `?`, or "" when there is none.
    public var query: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, path: String, query: String = "", headers: HTTPHeaders = .init(), body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Splits a request target into path and query.
    public init(method: String, target: String, headers: HTTPHeaders, body: [UInt8]) {
        if let mark = target.firstIndex(of: "?") {
            self.init(
                method: method,
                path: String(target[..<mark]),
                query: String(target[target.index(after: mark)...]),
                headers: headers,
                body: body
            )
        } else {
            self.init(method: method, path: target, headers: headers, body: body)
        }
    }

    /// Query parameters in order, percent-decoded; `+` becomes a space when `plusIsSpace` is set.
    public func queryItems(plusIsSpace: Bool) -> [(name: String, value: String)] {
        guard !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0], plusIsSpace: plusIsSpace)
            let value = parts.count > 1 ? Self.decode(parts[1], plusIsSpace: plusIsSpace) : ""
            return (name, value)
        }
    }

    private static func decode(_ text: Substring, plusIsSpace: Bool) -> String {
        let spaced = plusIsSpace ? text.replacingOccurrences(of: "+", with: " ") : String(text)
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// An answer to one request, or an instruction to close the connection without answering.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Close the connection instead of writing this response (a lost answer).
    public var dropsConnection = false
    /// Write every header name in lower case, the framing headers too (the `lowercase_headers` fault).
    public var lowercasesHeaderNames = false

    public init(status: Int, headers: HTTPHeaders = .init(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response carrying a JSON document.
    public static func json(_ status: Int, _ object: Any) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data()
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: [UInt8](data))
    }

    /// A response with no body (204 and friends).
    public static func empty(_ status: Int) -> HTTPResponse { HTTPResponse(status: status) }

    /// Serialises status line, headers (with Content-Length) and, unless `includesBody` is false (an answer to
    /// HEAD), the body. A 204 carries no Content-Length (RFC 9110, 8.6); with `lowercasesHeaderNames` every
    /// name, Content-Length and Connection included, is written in lower case.
    func serialized(keepAlive: Bool, includesBody: Bool = true) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        for field in headers where field.name.lowercased() != "content-length" {
            head += "\(headerName(field.name)): \(field.value)\r\n"
        }
        if status != 204 { head += "\(headerName("Content-Length")): \(body.count)\r\n" }
        if !keepAlive { head += "\(headerName("Connection")): close\r\n" }
        head += "\r\n"
        return includesBody ? Array(head.utf8) + body : Array(head.utf8)
    }

    private func headerName(_ name: String) -> String { lowercasesHeaderNames ? name.lowercased() : name }

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Payload Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }
}
