import Foundation

/// How a sandbox store behaves. Every undocumented behaviour of the real API is a switch here, and the
/// default is the stricter reading.
public struct SandboxConfiguration: Sendable {
    /// How per-item validation errors are keyed in a 422 `errors` map.
    public enum ErrorKeyStyle: String, Sendable {
        /// `"0.email": "..."`: index of the item, then the field.
        case indexed
        /// One `".customer_create"` / `".customer_update"` key, as in the spec's example.
        case generic
    }

    /// SQLite file that holds the store; created when missing.
    public var dataPath: String
    /// Port to bind on 127.0.0.1; 0 picks a free one.
    public var port: UInt16 = 0
    public var storeHash = "sandbox"
    /// Token with every scope the agent needs (`SandboxScope.fullAccess`: customers modify, orders read-only).
    public var token = "sandbox-token"
    /// Optional second token with read-only scopes (`SandboxScope.readOnlyAccess`); its writes get 403.
    public var readOnlyToken: String?
    /// Further tokens with exactly the scopes given; an endpoint whose scope a token lacks answers 403 naming
    /// that scope. A token with no scopes is known (no 401) but gets 403 everywhere.
    public var scopedTokens: [String: Set<SandboxScope>] = [:]
    /// Requests allowed per window (150 on Standard and Plus plans).
    public var quota = 150
    /// Length of the rate-limit window in milliseconds.
    public var windowMilliseconds = 30_000
    /// In-flight `PUT /v3/customers` allowed before 429.
    public var maximumConcurrentUpdates = 3
    /// In-flight `POST /v3/customers` allowed before 429.
    public var maximumConcurrentCreates = 10
    /// A `limit` above 250 is clamped to 250 instead of refused with 413.
    public var clampsLimit = false
    public var errorKeyStyle = ErrorKeyStyle.indexed
    /// A create/update batch with bad items applies the good ones (and still answers 422) instead of none.
    public var appliesPartialBatches = false
    /// Email uniqueness and `email:in` ignore case.
    public var emailsIgnoreCase = true
    /// `date_*:min`/`:max` filters include the bound itself (default: exclusive, the stricter reading).
    public var dateBoundsAreInclusive = false
    /// A `+` in a query string is decoded as a space, as form-decoding servers do; send `%2B` for a plus.
    public var decodesPlusAsSpace = true
    /// An empty `GET /v2/customer_groups` answers 204 with no body, as v2 lists (orders) do.
    public var emptyGroupListIsNoContent = true
    /// Read-only fields (`date_created`, `registration_ip_address`, ...) in a PUT give 422 instead of being ignored.
    public var rejectsReadOnlyFields = true
    /// A create without `trigger_account_created_notification` counts as sending a welcome email.
    public var welcomeEmailByDefault = true
    /// Group of a created customer whose item has no `customer_group_id` (0: no group).
    public var defaultCustomerGroupID = 0
    /// Milliseconds since the Unix epoch; replace in tests to control the rate-limit window.
    public var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    public init(dataPath: String) { self.dataPath = dataPath }

    /// The scopes `token` holds, or nil for a token the store does not know (401).
    func scopes(for token: String) -> Set<SandboxScope>? {
        if token == self.token { return SandboxScope.fullAccess }
        if token == readOnlyToken { return SandboxScope.readOnlyAccess }
        return scopedTokens[token]
    }
}
