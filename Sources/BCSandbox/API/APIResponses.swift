import Foundation

/// Error bodies in the styles BigCommerce uses.
enum APIResponses {
    static let typeURL = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"

    /// The v3 `Error` body: `{status, title, type, errors}`.
    static func v3Error(_ status: Int, title: String, errors: [String: String] = [:]) -> HTTPResponse {
        .json(status, ["status": status, "title": title, "type": typeURL, "errors": errors] as [String: Any])
    }

    /// The v2 error body: a bare array `[{status, message}]`.
    static func v2Error(_ status: Int, message: String) -> HTTPResponse {
        .json(status, [["status": status, "message": message] as [String: Any]])
    }

    static func notFound() -> HTTPResponse {
        .json(
            404,
            ["status": 404, "title": "The resource at that URL is not found.", "type": typeURL] as [String: Any]
        )
    }

    /// 403 for a token without `scope`: the v3 `Error` body, naming the scope in the title and in `errors`.
    static func missingScope(_ scope: String) -> HTTPResponse {
        v3Error(
            403,
            title: "You don't have a required scope to access the endpoint: \(scope)",
            errors: ["scope": "The access token lacks the \(scope) scope"]
        )
    }

    static func methodNotAllowed() -> HTTPResponse {
        v3Error(405, title: "The requested method is not allowed for this resource.")
    }

    static func malformedJSON() -> HTTPResponse {
        .json(
            400,
            ["status": 400, "title": "Input is invalid", "type": typeURL, "detail": "Syntax error"] as [String: Any]
        )
    }

    static func unsupportedMediaType() -> HTTPResponse {
        v3Error(415, title: "The request's Content-Type must be application/json.")
    }

    static func tooManyItems() -> HTTPResponse {
        v3Error(413, title: "The request payload is too large. The maximum number of items allowed in the array is 10.")
    }

    static func tooManyRequests() -> HTTPResponse { v3Error(429, title: "Too many requests") }
}

/// What an endpoint answered, and how many items the request log should record for it.
struct EndpointResult: Sendable {
    var response: HTTPResponse
    var items = 0
    /// Headers that replace whatever the gateway sets, rate-limit headers included (from `status` faults).
    var overridingHeaders: [(String, String)] = []
}

extension HTTPRequest {
    /// The body as JSON, or the response explaining why it is not acceptable JSON.
    func jsonBody() -> Result<Any, ResponseError> {
        let type = headers["Content-Type"]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") else {
            return .failure(ResponseError(APIResponses.unsupportedMediaType()))
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return .failure(ResponseError(APIResponses.malformedJSON()))
        }
        return .success(value)
    }
}

/// A response carried as an error, to leave a handler early.
struct ResponseError: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}
