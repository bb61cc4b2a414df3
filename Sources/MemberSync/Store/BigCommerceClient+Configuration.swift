import Foundation

extension BigCommerceClient {
    /// Where the store is, the token, and the pacing and retry policy.
    ///
    /// | setting | default | meaning |
    /// |---|---|---|
    /// | `apiURL` | `https://api.bigcommerce.com` | `http://` only to a loopback host |
    /// | `rateLimitReserve` | 5 | wait for the window's reset when this few requests are left |
    /// | `maxAttempts` | 5 | attempts of a GET or PUT on 5xx and transport errors |
    /// | `baseDelay` | 0.5 s | first backoff ceiling; doubles each attempt |
    /// | `maxDelay` | 30 s | backoff ceiling (never above 30 s) |
    /// | `requestTimeout` | 30 s | per request |
    /// | `maxConcurrentUpdates` | 3 | PUTs in flight (the store's limit) |
    /// | `maxConcurrentCreates` | 10 | POSTs in flight (the store's limit) |
    /// | `maxRateLimitWaits` | 20 | 429s one request may wait out before giving up |
    ///
    /// The token is never part of `description`, `dump` or any error.
    public struct Configuration: Sendable, CustomStringConvertible, CustomReflectable {
        public var apiURL: URL
        public var storeHash: String
        let accessToken: String
        public var rateLimitReserve: Int
        public var maxAttempts: Int
        public var baseDelay: Duration
        public var maxDelay: Duration
        public var requestTimeout: Duration
        public var maxConcurrentUpdates: Int
        public var maxConcurrentCreates: Int
        public var maxRateLimitWaits: Int

        public init(
            apiURL: URL = URL(string: "https://api.bigcommerce.com")!,
            storeHash: String,
            accessToken: String,
            rateLimitReserve: Int = 5,
            maxAttempts: Int = 5,
            baseDelay: Duration = .milliseconds(500),
            maxDelay: Duration = .seconds(30),
            requestTimeout: Duration = .seconds(30),
            maxConcurrentUpdates: Int = 3,
            maxConcurrentCreates: Int = 10,
            maxRateLimitWaits: Int = 20
        ) {
            self.apiURL = apiURL
            self.storeHash = storeHash
            self.accessToken = accessToken
            self.rateLimitReserve = rateLimitReserve
            self.maxAttempts = maxAttempts
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.requestTimeout = requestTimeout
            self.maxConcurrentUpdates = maxConcurrentUpdates
            self.maxConcurrentCreates = maxConcurrentCreates
            self.maxRateLimitWaits = maxRateLimitWaits
        }

        /// The configuration with every number brought into its sane range (delays capped at 30 s).
        func normalized() -> Configuration {
            var copy = self
            copy.rateLimitReserve = max(rateLimitReserve, 0)
            copy.maxAttempts = max(maxAttempts, 1)
            copy.baseDelay = min(max(baseDelay, .milliseconds(1)), .seconds(30))
            copy.maxDelay = min(max(maxDelay, copy.baseDelay), .seconds(30))
            copy.requestTimeout = requestTimeout > .zero ? requestTimeout : .seconds(30)
            copy.maxConcurrentUpdates = max(maxConcurrentUpdates, 1)
            copy.maxConcurrentCreates = max(maxConcurrentCreates, 1)
            copy.maxRateLimitWaits = max(maxRateLimitWaits, 0)
            return copy
        }

        public var description: String {
            "BigCommerceClient.Configuration(apiURL: \(apiURL.absoluteString), storeHash: \(storeHash), "
                + "accessToken: [redacted], rateLimitReserve: \(rateLimitReserve), maxAttempts: \(maxAttempts))"
        }

        public var customMirror: Mirror {
            Mirror(
                self,
                children: [
                    "apiURL": apiURL, "storeHash": storeHash, "accessToken": "[redacted]",
                    "rateLimitReserve": rateLimitReserve, "maxAttempts": maxAttempts,
                ]
            )
        }

        /// Throws unless the URL is https, or http to a loopback host, and the store hash is plain.
        func validate() throws {
            guard let scheme = apiURL.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
                throw ConfigurationError.unsupportedScheme(url: apiURL.absoluteString)
            }
            guard let host = apiURL.host, !host.isEmpty else {
                throw ConfigurationError.missingHost(url: apiURL.absoluteString)
            }
            if scheme == "http", !Self.isLoopback(host) {
                throw ConfigurationError.insecureURL(url: apiURL.absoluteString)
            }
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
            guard !storeHash.isEmpty, storeHash.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) })
            else {
                throw ConfigurationError.invalidStoreHash(storeHash)
            }
            guard !accessToken.isEmpty else { throw ConfigurationError.missingAccessToken }
        }

        /// True for `localhost`, 127.0.0.0/8 and `::1`.
        static func isLoopback(_ host: String) -> Bool {
            let bare = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            if bare == "localhost" || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
            let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
            guard octets.count == 4, octets.first == "127" else { return false }
            return octets.allSatisfy { octet in
                guard let value = Int(octet), octet.allSatisfy(\.isASCII) else { return false }
                return (0...255).contains(value)
            }
        }
    }

    /// Why a configuration cannot be used.
    public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
        /// `http://` to a host that is not loopback: the token would cross the network in clear.
        case insecureURL(url: String)
        case unsupportedScheme(url: String)
        case missingHost(url: String)
        case invalidStoreHash(String)
        case missingAccessToken

        public var description: String {
            switch self {
            case .insecureURL(let url):
                return "api url '\(url)' is plain http to a host that is not loopback; use https"
            case .unsupportedScheme(let url):
                return "api url '\(url)' must start with https://"
            case .missingHost(let url):
                return "api url '\(url)' names no host"
            case .invalidStoreHash(let hash):
                return "store hash '\(hash)' must be letters, digits, '-' or '_'"
            case .missingAccessToken:
                return "the access token is empty"
            }
        }

        public var errorDescription: String? { description }
    }
}
