import Foundation

/// Why a store request failed, with what an operator needs to act. Never carries the access token.
public enum StoreError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// The store refused the request's data (4xx other than 401/403/404/429): `status`, the store's
    /// `title`, and its per-field `errors` map.
    case rejected(endpoint: String, status: Int, title: String, errors: [String: String])
    /// 401: the token is missing or wrong.
    case unauthorized(endpoint: String)
    /// 403: the token lacks a scope (named when known) or the store hash is wrong.
    case forbidden(endpoint: String, scope: String?)
    /// 404 on a single resource or an unknown store hash.
    case notFound(endpoint: String)
    /// A create was sent but its answer never arrived (timeout, closed connection): the customers may
    /// or may not exist. Settle by looking the emails up before sending anything else for them.
    case createInDoubt(endpoint: String, underlying: String)
    /// The store kept failing (5xx, transport errors) after the retry budget.
    case unavailable(endpoint: String, attempts: Int, lastError: String)
    /// The answer could not be read.
    case invalidResponse(endpoint: String, detail: String)

    /// A short, bounded kind for log lines and metrics labels.
    public var kind: String {
        switch self {
        case .rejected: return "rejected"
        case .unauthorized: return "unauthorized"
        case .forbidden: return "forbidden"
        case .notFound: return "not_found"
        case .createInDoubt: return "create_in_doubt"
        case .unavailable: return "unavailable"
        case .invalidResponse: return "invalid_response"
        }
    }

    public var description: String {
        switch self {
        case .rejected(let endpoint, let status, let title, let errors):
            let details = errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            return "store refused \(endpoint) with \(status): \(title)" + (details.isEmpty ? "" : " (\(details))")
        case .unauthorized(let endpoint):
            return "store answered 401 to \(endpoint): the access token is missing or wrong"
        case .forbidden(let endpoint, let scope):
            if let scope {
                let access = Self.accessNames[scope].map { "\($0) access (OAuth scope '\(scope)')" }
                return "store answered 403 to \(endpoint): the API account lacks "
                    + (access ?? "the '\(scope)' scope")
            }
            return "store answered 403 to \(endpoint): the token lacks a scope or the store hash is wrong"
        case .notFound(let endpoint):
            return "store answered 404 to \(endpoint)"
        case .createInDoubt(let endpoint, let underlying):
            return "create sent to \(endpoint) but its answer was lost (\(underlying)); the customers may exist"
        case .unavailable(let endpoint, let attempts, let lastError):
            return "store unavailable for \(endpoint) after \(attempts) attempts: \(lastError)"
        case .invalidResponse(let endpoint, let detail):
            return "unreadable answer from \(endpoint): \(detail)"
        }
    }

    public var errorDescription: String? { description }

    /// The control panel's names for the OAuth scopes the agent uses (an API account's settings).
    static let accessNames = [
        "store_v2_customers_read_only": "Customers: read-only (or modify)",
        "store_v2_customers": "Customers: modify",
        "store_v2_orders_read_only": "Orders: read-only (or modify)",
    ]

    /// True when writing should stop altogether until the operator fixes the token (401/403).
    public var stopsWrites: Bool {
        switch self {
        case .unauthorized, .forbidden: return true
        default: return false
        }
    }

    /// True when the failure says something about the records sent (retry only after a change).
    public var isPermanentForRecords: Bool {
        if case .rejected = self { return true }
        return false
    }
}
