/// What the store client did, for logging and metrics. Never carries the token, a query string or a
/// request body.
public enum StoreClientEvent: Sendable, Equatable {
    /// A request got an answer (`status`) or none (`status` nil, a transport error).
    case requestFinished(
        method: String,
        path: String,
        kind: StoreRequestKind,
        status: Int?,
        duration: Duration,
        attempt: Int
    )
    /// Nothing is sent until the store's quota allows it again.
    case waitingForQuota(milliseconds: Int, reason: QuotaWaitReason)
    /// A failed GET or PUT is sent again after `delay`; `errorKind` is `server_error` or `transport_error`.
    case retrying(method: String, path: String, attempt: Int, delay: Duration, errorKind: String)
}

/// Why the client holds back before sending.
public enum QuotaWaitReason: String, Sendable, Equatable {
    /// `X-Rate-Limit-Requests-Left` reached the reserve: wait for the window's reset.
    case reserveReached = "reserve_reached"
    /// A 429 that said how long to wait (`X-Rate-Limit-Time-Reset-Ms` / `X-Retry-After`).
    case rateLimited = "rate_limited"
    /// A 429 (or a rate-limit 500) that said nothing: exponential backoff with jitter.
    case rateLimitedWithoutHeaders = "rate_limited_without_headers"
}

/// The kinds of request the client sends, for `RequestCounts.byKind`.
public enum StoreRequestKind: String, Sendable, Equatable, CaseIterable {
    case list
    case lookup
    case create
    case update
    case groups
    case orders
}
