import Foundation
import Testing

@testable import MemberSync

/// The configuration's stricter checks: `bigcommerce.api_url`'s form, keys written twice, and the
/// access token asked for only by commands that call the store.
struct ConfigurationStrictnessTests {
    private static let base = #""mctrade": {"database": "m.sqlite"}, "state": {"database": "s.sqlite"}"#

    private func apiURLError(_ url: String) -> ConfigurationError? {
        ConfigurationTests.error(
            "{\(Self.base), \"bigcommerce\": {\"store_hash\": \"abc\", \"api_url\": \"\(url)\"}}"
        )
    }

    @Test(arguments: ["http://api.bigcommerce.com", "http://10.0.0.5:8080", "HTTP://example.test/"])
    func plainHTTPToAHostNotLoopbackNamesTheKey(url: String) throws {
        let error = try #require(apiURLError(url))
        #expect(error.key == "bigcommerce.api_url")
        #expect(error.description.hasPrefix("key 'bigcommerce.api_url' has invalid value '\(url)'"))
        #expect(error.description.contains("https"))
        #expect(error.description.contains("loopback"))
    }

    @Test(arguments: [
        "https://api.bigcommerce.com/stores/abc123/v3/", "https://api.bigcommerce.com/v3",
        "https://api.bigcommerce.com?x=1",
    ])
    func anAPIURLWithAPathIsRefusedWithTheExpectedForm(url: String) throws {
        let error = try #require(apiURLError(url))
        #expect(error.key == "bigcommerce.api_url")
        #expect(error.description.contains("'https://api.bigcommerce.com'"), "\(error)")
        #expect(error.description.contains("bigcommerce.store_hash"))
    }

    @Test(arguments: [
        "https://api.bigcommerce.com", "https://api.bigcommerce.com/", "http://127.0.0.1:9", "http://localhost:8080/",
        "http://[::1]:8080",
    ])
    func baseURLsAndLoopbackHTTPAreAccepted(url: String) throws {
        let configuration = try ConfigurationTests.load(
            "{\(Self.base), \"bigcommerce\": {\"store_hash\": \"abc\", \"api_url\": \"\(url)\"}}"
        )
        #expect(configuration.bigCommerce.apiURL.absoluteString == url)
    }

    @Test(arguments: [
        (#"{"membership": {"grace_days": 0, "grace_days": 5}}"#, "membership.grace_days"),
        (#"{"a": 1, "b": {"c": [1, {"d": 2, "d": 3}]}}"#, "b.c[1].d"),
        (#"{"a": "x", "\u0061": "y"}"#, "a"),
        (#"{"a": {"k": 1}, "b": {"k": 1}, "a": 2}"#, "a"),
        (#"{"s": "{\"k\": 1, \"k\": 2}", "t": [true, null, -1.5e3], "s": 0}"#, "s"),
        (#"{"a\"b": 1, "a\"b": 2}"#, #"a"b"#),
    ])
    func theScannerFindsTheFirstRepeatedKeyWithItsPath(json: String, path: String) {
        #expect(DuplicateKeyScanner.firstDuplicate(in: Data(json.utf8)) == path)
    }

    @Test(arguments: [
        #"{"a": 1, "b": {"a": 1}, "c": [{"a": 1}, {"a": 2}]}"#,
        #"{"s": "\"a\": 1, \"a\": 2", "t": "}{][,:\\"}"#,
        #" [ {"a": 1} , {"a": 1} ] "#, #"{}"#, #""a""#, "12",
    ])
    func theScannerFindsNothingWhereNoObjectRepeatsAKey(json: String) {
        #expect(DuplicateKeyScanner.firstDuplicate(in: Data(json.utf8)) == nil)
    }

    @Test func aConfigurationWithAKeyTwiceIsRefusedNamingIt() {
        let error = ConfigurationTests.error(
            "{\(Self.base), \"bigcommerce\": {\"store_hash\": \"abc\"}, "
                + #""membership": {"grace_days": 0, "grace_days": 5}}"#
        )
        #expect(error == .duplicateKey(key: "membership.grace_days"))
        #expect(error?.description == "key 'membership.grace_days' is given twice in configuration; keep one")
        let topLevel = ConfigurationTests.error(
            "{\(Self.base), \"bigcommerce\": {\"store_hash\": \"abc\"}, \"state\": {\"database\": \"t.sqlite\"}}"
        )
        #expect(topLevel == .duplicateKey(key: "state"))
    }

    @Test func theTokenIsLookedForOnlyWhenTheCommandCallsTheStore() throws {
        try FixtureTestSupport.withTemporaryDirectory { directory throws in
            let file = directory.appendingPathComponent("membersync.json")
            try Data("{\(Self.base), \"bigcommerce\": {\"store_hash\": \"abc\"}}".utf8).write(to: file)
            #expect(throws: ConfigurationError.self) { try Configuration.load(path: file.path, environment: [:]) }
            let local = try Configuration.load(path: file.path, environment: [:], requireAccessToken: false)
            #expect(local.bigCommerce.accessToken.exposedValue.isEmpty)
            #expect(local.stateDatabasePath == directory.appendingPathComponent("s.sqlite").standardizedFileURL.path)
        }
    }
}
