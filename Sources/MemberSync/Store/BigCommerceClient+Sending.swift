import Foundation

/// One API call: method, path under `/stores/{hash}`, query, and what it is for.
struct Endpoint: Sendable {
    var method: String
    var path: String
    /// Name and values; several values are sent comma-separated, each percent-encoded.
    var query: [(String, [String])]
    var kind: StoreRequestKind
    /// The OAuth scope the call needs, named in a 403.
    var scope: String

    /// `GET /v3/customers`: what errors and events name (never a query, never the token).
    var label: String { "\(method) \(path)" }
}

extension BigCommerceClient {
    /// How an answer is handled.
    private enum Verdict {
        case success
        case rateLimited(wait: Duration?)
        case serverError(String)
        case failure(StoreError)
    }

    /// Sends `endpoint` until the store answers 2xx or the failure is final (see the type's table).
    func perform(_ endpoint: Endpoint, body: Data? = nil) async throws -> HTTPResponse {
        let request = makeRequest(endpoint, body: body)
        var failures = 0
        var rateLimitHits = 0
        var attempt = 0
        while true {
            try await pacer.acquireTurn()
            attempt += 1
            let started = now()
            let result: Result<HTTPResponse, Error>
            do {
                result = .success(try await transport.send(request))
            } catch {
                result = .failure(error)
            }
            await pacer.finish(headers: try? result.get().headers)
            let response: HTTPResponse
            switch result {
            case .failure(let error):
                report(endpoint, status: nil, started: started, attempt: attempt)
                await pacer.record(endpoint.kind, outcome: .transportError)
                failures += 1
                try await handleTransportError(error, endpoint, attempt: attempt, failures: failures)
                continue
            case .success(let answer):
                response = answer
            }
            report(endpoint, status: response.status, started: started, attempt: attempt)
            switch classify(response, endpoint) {
            case .success:
                await pacer.record(endpoint.kind, outcome: .succeeded)
                return response
            case .rateLimited(let wait):
                await pacer.record(endpoint.kind, outcome: .rateLimited)
                rateLimitHits += 1
                try await holdOffAfterRateLimit(endpoint, wait: wait, hits: rateLimitHits, attempt: attempt)
            case .serverError(let detail):
                await pacer.record(endpoint.kind, outcome: .serverError)
                failures += 1
                try await handleServerError(detail, response.status, endpoint, attempt: attempt, failures: failures)
            case .failure(let error):
                await pacer.record(endpoint.kind, outcome: .clientError)
                throw error
            }
        }
    }

    private func makeRequest(_ endpoint: Endpoint, body: Data?) -> HTTPRequest {
        var text = configuration.apiURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += "/stores/\(configuration.storeHash)\(endpoint.path)"
        let query = endpoint.query.map { name, values in
            Self.percentEncoded(name, keeping: ":") + "="
                + values.map { Self.percentEncoded($0) }.joined(separator: ",")
        }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        var headers = ["X-Auth-Token": configuration.accessToken, "Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        // The URL is built from a validated base, a plain store hash and percent-encoded parts.
        return HTTPRequest(
            method: endpoint.method,
            url: URL(string: text)!,
            headers: headers,
            body: body,
            timeout: configuration.requestTimeout
        )
    }

    /// `value` with everything but RFC 3986 unreserved characters (and `extra`) percent-encoded, so
    /// that `+`, `,`, `&` and spaces in emails or dates arrive as sent.
    static func percentEncoded(_ value: String, keeping extra: String = "") -> String {
        let unreserved = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
        )
        let allowed = unreserved.union(CharacterSet(charactersIn: extra))
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    private func classify(_ response: HTTPResponse, _ endpoint: Endpoint) -> Verdict {
        let status = response.status
        switch status {
        case 200..<300:
            return .success
        case 429:
            return .rateLimited(wait: Self.requestedWait(response.headers))
        case 500 where Self.isRateLimit(response):
            // Refused before it was acted on, like a 429: a create too is sent again after the wait.
            return .rateLimited(wait: Self.requestedWait(response.headers))
        case 500..<600:
            let title = StoreErrorBody(data: response.body, redactor: redactor).title
            return .serverError("status \(status)" + (title.map { ": \($0)" } ?? ""))
        case 401:
            return .failure(.unauthorized(endpoint: endpoint.label))
        case 403:
            return .failure(.forbidden(endpoint: endpoint.label, scope: endpoint.scope))
        case 404:
            return .failure(.notFound(endpoint: endpoint.label))
        case 400..<500:
            let body = StoreErrorBody(data: response.body, redactor: redactor)
            let title = body.title ?? "status \(status)"
            return .failure(.rejected(endpoint: endpoint.label, status: status, title: title, errors: body.errors))
        default:
            return .failure(.invalidResponse(endpoint: endpoint.label, detail: "unexpected status \(status)"))
        }
    }

    /// A 500 standing in for a 429: its body says so, or it carries a 429's headers.
    private static func isRateLimit(_ response: HTTPResponse) -> Bool {
        if response.headers["X-Retry-After"] != nil { return true }
        if response.headers.integer("X-Rate-Limit-Requests-Left") == 0 { return true }
        return StoreErrorBody.mentionsRateLimit(response.body)
    }

    /// The longer of `X-Rate-Limit-Time-Reset-Ms` and `X-Retry-After` (seconds); nil when neither.
    private static func requestedWait(_ headers: HTTPHeaders) -> Duration? {
        let resetMs = headers.integer("X-Rate-Limit-Time-Reset-Ms")
        let retryAfterMs = headers.integer("X-Retry-After").map { $0 * 1000 }
        guard let longest = [resetMs, retryAfterMs].compactMap({ $0 }).max() else { return nil }
        return .milliseconds(longest)
    }

    private func report(_ endpoint: Endpoint, status: Int?, started: ContinuousClock.Instant, attempt: Int) {
        let event = StoreClientEvent.requestFinished(
            method: endpoint.method,
            path: endpoint.path,
            kind: endpoint.kind,
            status: status,
            duration: now() - started,
            attempt: attempt
        )
        onEvent(event)
    }

    // MARK: - Decoding

    func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, _ endpoint: Endpoint) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw StoreError.invalidResponse(endpoint: endpoint.label, detail: "body is not the expected json")
        }
    }

    /// A bare JSON array of the v2 API; 204 or an empty body is an empty list.
    func decodeArray<T: Decodable>(_ type: [T].Type, from response: HTTPResponse, _ endpoint: Endpoint) throws -> [T] {
        if response.status == 204 || response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }) {
            return []
        }
        return try decode(type, from: response, endpoint)
    }

    func encode<T: Encodable>(_ value: T, _ endpoint: Endpoint) throws -> Data {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(value)
        } catch {
            throw StoreError.invalidResponse(endpoint: endpoint.label, detail: "request body could not be encoded")
        }
    }
}
