import Foundation

/// The agent's settings, read from a JSON file by `load(path:environment:)`.
///
/// The access token is never in the file: it comes from `BIGCOMMERCE_ACCESS_TOKEN` or from the file
/// named by `bigcommerce.access_token_file`, and is held as a `Secret`, so `description` and `dump`
/// show `<redacted>`. `config/README-config.md` documents every key.
public struct Configuration: Sendable, CustomStringConvertible {
    /// The environment variable that holds the access token.
    public static let accessTokenVariable = "BIGCOMMERCE_ACCESS_TOKEN"

    /// `mctrade.database`: MC Trade's SQLite file, absolute.
    public var mctradeDatabasePath: String
    /// `state.database`: the agent's own SQLite file, absolute.
    public var stateDatabasePath: String
    public var bigCommerce: BigCommerce
    /// `timezone`: the zone that "today" and `auto_sync_time` are read in. Default: the system's.
    public var timeZone: TimeZone
    public var membership: Membership
    public var sync: Sync
    public var revenue: Revenue
    public var logging: Logging
    public var metrics: Metrics
    /// Things worth telling the operator that do not stop the agent, such as file permissions.
    public var warnings: [String]

    public init(
        mctradeDatabasePath: String,
        stateDatabasePath: String,
        bigCommerce: BigCommerce,
        timeZone: TimeZone = .current,
        membership: Membership = Membership(),
        sync: Sync = Sync(),
        revenue: Revenue = Revenue(),
        logging: Logging = Logging(),
        metrics: Metrics = Metrics(),
        warnings: [String] = []
    ) {
        self.mctradeDatabasePath = mctradeDatabasePath
        self.stateDatabasePath = stateDatabasePath
        self.bigCommerce = bigCommerce
        self.timeZone = timeZone
        self.membership = membership
        self.sync = sync
        self.revenue = revenue
        self.logging = logging
        self.metrics = metrics
        self.warnings = warnings
    }

    /// The `bigcommerce` section.
    public struct BigCommerce: Sendable {
        /// `api_url`; default `https://api.bigcommerce.com`.
        public var apiURL: URL
        /// `store_hash`, required.
        public var storeHash: String
        /// `access_token_file`, absolute; nil when the token comes from the environment only.
        public var accessTokenFile: String?
        /// Requests of each 30 s quota window left unused for other apps; default 5.
        public var rateLimitReserve: Int
        public var accessToken: Secret
        /// Where the token came from (the variable's name or the file's path), for messages.
        public var accessTokenSource: String

        public init(
            storeHash: String,
            accessToken: Secret,
            apiURL: URL = URL(string: "https://api.bigcommerce.com")!,
            accessTokenFile: String? = nil,
            rateLimitReserve: Int = 5,
            accessTokenSource: String = Configuration.accessTokenVariable
        ) {
            self.apiURL = apiURL
            self.storeHash = storeHash
            self.accessTokenFile = accessTokenFile
            self.rateLimitReserve = rateLimitReserve
            self.accessToken = accessToken
            self.accessTokenSource = accessTokenSource
        }
    }

    /// The `membership` section.
    public struct Membership: Sendable {
        /// `grace_days`: days after `member_expires_on` that a membership still counts; default 0.
        public var graceDays: Int

        public init(graceDays: Int = 0) {
            self.graceDays = graceDays
        }
    }

    /// The `sync` section.
    public struct Sync: Sendable {
        /// `enforce_groups`: the full sync moves unlinked customers out of the groups; default true.
        public var enforceGroups: Bool
        /// `max_group_removal_share`: the share (0...1) of grouped customers a full sync may move to
        /// group 0 before it stops instead; default 0.2.
        public var maxGroupRemovalShare: Double
        /// `poll_interval_ms`: how often the change log is read, in milliseconds; default 500.
        public var pollIntervalMilliseconds: Int
        /// `batch_size`: customers per write request, 1...10; default 10.
        public var batchSize: Int

        public init(
            enforceGroups: Bool = true,
            maxGroupRemovalShare: Double = 0.2,
            pollIntervalMilliseconds: Int = 500,
            batchSize: Int = 10
        ) {
            self.enforceGroups = enforceGroups
            self.maxGroupRemovalShare = maxGroupRemovalShare
            self.pollIntervalMilliseconds = pollIntervalMilliseconds
            self.batchSize = batchSize
        }

        public var pollInterval: Duration { .milliseconds(pollIntervalMilliseconds) }
    }

    /// The `revenue` section.
    public struct Revenue: Sendable {
        /// `enabled`: record store orders in `profile_revenue`; default true.
        public var isEnabled: Bool
        /// `poll_interval_seconds`: how often orders are listed, in seconds; default 60.
        public var pollIntervalSeconds: Int
        /// `overlap_minutes`: how far back each listing reaches before the last one, in minutes;
        /// default 10.
        public var overlapMinutes: Int

        public init(isEnabled: Bool = true, pollIntervalSeconds: Int = 60, overlapMinutes: Int = 10) {
            self.isEnabled = isEnabled
            self.pollIntervalSeconds = pollIntervalSeconds
            self.overlapMinutes = overlapMinutes
        }

        public var pollInterval: Duration { .seconds(pollIntervalSeconds) }
        public var overlap: Duration { .seconds(overlapMinutes * 60) }
    }

    /// The `logging` section.
    public struct Logging: Sendable {
        /// `level`; default `info`.
        public var level: Logger.Level

        public init(level: Logger.Level = .info) {
            self.level = level
        }
    }

    /// The `metrics` section.
    public struct Metrics: Sendable {
        /// `file`, absolute: where metrics are written; nil for none.
        public var file: String?

        public init(file: String? = nil) {
            self.file = file
        }
    }

    /// Every key with its value, one `key = value` line each, the token shown as `<redacted>`.
    public var redactedDescription: String {
        keyedValues.map { "\($0.0) = \($0.1)" }.joined(separator: "\n")
    }

    /// Every key with its value as shown, in the order of `redactedDescription`; the token `<redacted>`.
    var keyedValues: [(String, String)] {
        [
            ("mctrade.database", mctradeDatabasePath),
            ("state.database", stateDatabasePath),
            ("bigcommerce.api_url", bigCommerce.apiURL.absoluteString),
            ("bigcommerce.store_hash", bigCommerce.storeHash),
            ("bigcommerce.access_token_file", bigCommerce.accessTokenFile ?? "(none)"),
            ("bigcommerce.access_token", "\(bigCommerce.accessToken) (from \(bigCommerce.accessTokenSource))"),
            ("bigcommerce.rate_limit_reserve", "\(bigCommerce.rateLimitReserve)"),
            ("timezone", timeZone.identifier),
            ("membership.grace_days", "\(membership.graceDays)"),
            ("sync.enforce_groups", "\(sync.enforceGroups)"),
            ("sync.max_group_removal_share", "\(sync.maxGroupRemovalShare)"),
            ("sync.poll_interval_ms", "\(sync.pollIntervalMilliseconds)"),
            ("sync.batch_size", "\(sync.batchSize)"),
            ("revenue.enabled", "\(revenue.isEnabled)"),
            ("revenue.poll_interval_seconds", "\(revenue.pollIntervalSeconds)"),
            ("revenue.overlap_minutes", "\(revenue.overlapMinutes)"),
            ("logging.level", logging.level.rawValue),
            ("metrics.file", metrics.file ?? "(none)"),
        ]
    }

    public var description: String { redactedDescription }
}
