import Foundation

extension Configuration {
    /// Reads and checks the JSON file at `path`, then finds the access token.
    ///
    /// Relative paths in the file are relative to the file's directory. Throws `ConfigurationError` for
    /// an unreadable file, invalid JSON, an unknown key at any depth, a missing required value, a wrong
    /// type or a value out of range, and when no access token can be found. With
    /// `requireAccessToken: false` (a command that never calls the store) the token is not looked
    /// for and stays empty.
    public static func load(
        path: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        requireAccessToken: Bool = true
    ) throws -> Configuration {
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let file = ConfigurationParser.absoluteURL(path, relativeTo: workingDirectory)
        let parser = ConfigurationParser(directory: file.deletingLastPathComponent())
        var configuration = try parser.parse(readRoot(file))
        configuration.warnings += permissionWarning(for: file.path, what: "configuration file")
        guard requireAccessToken else {
            configuration.bigCommerce.accessTokenSource = "(not read: this command does not call the store)"
            return configuration
        }
        let token = try findAccessToken(environment: environment, file: configuration.bigCommerce.accessTokenFile)
        configuration.bigCommerce.accessToken = token.secret
        configuration.bigCommerce.accessTokenSource = token.source
        configuration.warnings += token.warnings
        return configuration
    }

    private static func readRoot(_ file: URL) throws -> ConfigurationSection {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ConfigurationError.unreadableFile(path: file.path, reason: reason(for: error))
        }
        do {
            let values = try JSONDecoder().decode([String: JSONValue].self, from: data)
            if let duplicate = DuplicateKeyScanner.firstDuplicate(in: data) {
                throw ConfigurationError.duplicateKey(key: duplicate)
            }
            return ConfigurationSection(prefix: "", values: values)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError.invalidJSON(path: file.path, reason: syntaxReason(data) ?? reason(for: error))
        }
    }

    /// The token from the environment variable, else from the token file (trimmed).
    private static func findAccessToken(
        environment: [String: String],
        file: String?
    ) throws -> (secret: Secret, source: String, warnings: [String]) {
        let fromEnvironment = environment[accessTokenVariable]?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let fromEnvironment, !fromEnvironment.isEmpty {
            return (Secret(fromEnvironment), accessTokenVariable, [])
        }
        guard let file else {
            throw ConfigurationError.missingAccessToken(
                environmentVariable: accessTokenVariable,
                fileKey: "bigcommerce.access_token_file"
            )
        }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigurationError.unreadableTokenFile(path: file, reason: reason(for: error))
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ConfigurationError.emptyAccessToken(source: "'\(file)'") }
        return (Secret(token), file, permissionWarning(for: file, what: "access token file"))
    }

    /// A warning when group or others may read the file.
    static func permissionWarning(for path: String, what: String) -> [String] {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue, mode & 0o044 != 0 else {
            return []
        }
        let octal = String(mode & 0o777, radix: 8)
        return ["\(what) '\(path)' is readable by group or others (mode \(octal)); run chmod 600 '\(path)'"]
    }

    /// A short reason for a failed read, without the file's contents.
    private static func reason(for error: any Error) -> String {
        switch error {
        case let error as CocoaError where error.code == .fileReadNoSuchFile: "no such file"
        case let error as CocoaError where error.code == .fileReadNoPermission: "permission denied"
        case let error as DecodingError: decodingReason(error)
        default: (error as NSError).localizedDescription
        }
    }

    private static func decodingReason(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .keyNotFound(_, let context):
            context.debugDescription
        @unknown default: "\(error)"
        }
    }

    /// Where the JSON syntax breaks ("invalid value around character 15"), which the decoder does not say.
    private static func syntaxReason(_ data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data)
            return nil
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return detail.map { $0.prefix(1).lowercased() + $0.dropFirst() }
        }
    }
}

/// Turns the sections of the file into a `Configuration`; one method per section.
struct ConfigurationParser {
    /// Relative paths are resolved against this directory: the configuration file's.
    let directory: URL

    static func absoluteURL(_ path: String, relativeTo directory: URL) -> URL {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
        return url.standardizedFileURL
    }

    func parse(_ root: ConfigurationSection) throws -> Configuration {
        let mctrade = try requiredPath(root.section("mctrade"), "database")
        let state = try requiredPath(root.section("state"), "database")
        let configuration = Configuration(
            mctradeDatabasePath: mctrade,
            stateDatabasePath: state,
            bigCommerce: try bigCommerce(root.section("bigcommerce")),
            timeZone: try timeZone(root),
            membership: try membership(root.section("membership")),
            sync: try sync(root.section("sync")),
            revenue: try revenue(root.section("revenue")),
            logging: try logging(root.section("logging")),
            metrics: try metrics(root.section("metrics"))
        )
        try root.finish()
        return configuration
    }

    private func requiredPath(_ section: ConfigurationSection, _ key: String) throws -> String {
        guard let path = try optionalPath(section, key) else {
            throw ConfigurationError.missingValue(key: section.path(key), expected: "a file path")
        }
        try section.finish()
        return path
    }

    private func optionalPath(_ section: ConfigurationSection, _ key: String) throws -> String? {
        guard let text = try section.string(key, expected: "a file path") else { return nil }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigurationError.invalidValue(key: section.path(key), value: text, expected: "a file path")
        }
        return Self.absoluteURL(text, relativeTo: directory).path
    }

    private func bigCommerce(_ section: ConfigurationSection) throws -> Configuration.BigCommerce {
        let url = try apiURL(section)

        let hashExpected = "a store hash of letters and digits"
        guard let storeHash = try section.string("store_hash", expected: hashExpected) else {
            throw ConfigurationError.missingValue(key: section.path("store_hash"), expected: hashExpected)
        }
        guard !storeHash.isEmpty, storeHash.unicodeScalars.allSatisfy(Self.isStoreHashCharacter) else {
            throw ConfigurationError.invalidValue(
                key: section.path("store_hash"),
                value: storeHash,
                expected: hashExpected
            )
        }

        let reserve = try section.integer("rate_limit_reserve", in: 0...100, expected: "an integer from 0 to 100")
        let tokenFile = try optionalPath(section, "access_token_file")
        try section.finish()
        return Configuration.BigCommerce(
            storeHash: storeHash,
            accessToken: Secret(""),
            apiURL: url,
            accessTokenFile: tokenFile,
            rateLimitReserve: reserve ?? 5
        )
    }

    /// `bigcommerce.api_url`: the API's base, without a path (the client adds `/stores/HASH/v3/...`),
    /// https unless the host is loopback (the token would cross the network in clear).
    private func apiURL(_ section: ConfigurationSection) throws -> URL {
        let baseForm = "the API's base URL without a path, such as 'https://api.bigcommerce.com'"
        let text = try section.string("api_url", expected: "an http or https URL") ?? "https://api.bigcommerce.com"
        func invalid(_ expected: String) -> ConfigurationError {
            .invalidValue(key: section.path("api_url"), value: text, expected: expected)
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else { throw invalid("an http or https URL") }
        guard ["", "/"].contains(url.path), url.query == nil, url.fragment == nil else {
            throw invalid(baseForm + " (the store hash goes in bigcommerce.store_hash)")
        }
        guard scheme == "https" || BigCommerceClient.Configuration.isLoopback(host) else {
            throw invalid("https; plain http is allowed only to a loopback host (localhost, 127.0.0.1, ::1)")
        }
        return url
    }

    private static func isStoreHashCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private func timeZone(_ root: ConfigurationSection) throws -> TimeZone {
        let expected = "an IANA time zone name such as 'Europe/Berlin'"
        guard let name = try root.string("timezone", expected: expected) else { return .current }
        guard let zone = TimeZone(identifier: name) else {
            throw ConfigurationError.invalidValue(key: "timezone", value: name, expected: expected)
        }
        return zone
    }

    private func membership(_ section: ConfigurationSection) throws -> Configuration.Membership {
        let graceDays = try section.integer("grace_days", in: 0...3650, expected: "a number of days from 0 to 3650")
        try section.finish()
        return Configuration.Membership(graceDays: graceDays ?? 0)
    }

    private func sync(_ section: ConfigurationSection) throws -> Configuration.Sync {
        let defaults = Configuration.Sync()
        let result = Configuration.Sync(
            enforceGroups: try section.bool("enforce_groups") ?? defaults.enforceGroups,
            maxGroupRemovalShare: try section.number(
                "max_group_removal_share",
                in: 0...1,
                expected: "a number from 0 to 1"
            ) ?? defaults.maxGroupRemovalShare,
            pollIntervalMilliseconds: try section.integer(
                "poll_interval_ms",
                in: 1...3_600_000,
                expected: "a number of milliseconds from 1 to 3600000"
            ) ?? defaults.pollIntervalMilliseconds,
            batchSize: try section.integer("batch_size", in: 1...10, expected: "an integer from 1 to 10")
                ?? defaults.batchSize
        )
        try section.finish()
        return result
    }

    private func revenue(_ section: ConfigurationSection) throws -> Configuration.Revenue {
        let defaults = Configuration.Revenue()
        let result = Configuration.Revenue(
            isEnabled: try section.bool("enabled") ?? defaults.isEnabled,
            pollIntervalSeconds: try section.integer(
                "poll_interval_seconds",
                in: 1...86_400,
                expected: "a number of seconds from 1 to 86400"
            ) ?? defaults.pollIntervalSeconds,
            overlapMinutes: try section.integer(
                "overlap_minutes",
                in: 0...10_080,
                expected: "a number of minutes from 0 to 10080"
            ) ?? defaults.overlapMinutes
        )
        try section.finish()
        return result
    }

    private func logging(_ section: ConfigurationSection) throws -> Configuration.Logging {
        let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        let expected = "one of \(names)"
        var level = Logger.Level.info
        if let name = try section.string("level", expected: expected) {
            guard let parsed = Logger.Level(name: name) else {
                throw ConfigurationError.invalidValue(key: section.path("level"), value: name, expected: expected)
            }
            level = parsed
        }
        try section.finish()
        return Configuration.Logging(level: level)
    }

    private func metrics(_ section: ConfigurationSection) throws -> Configuration.Metrics {
        let file = try optionalPath(section, "file")
        try section.finish()
        return Configuration.Metrics(file: file)
    }
}
