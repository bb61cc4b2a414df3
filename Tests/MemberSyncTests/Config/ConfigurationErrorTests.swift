import Foundation
import MemberSync
import Testing

struct ConfigurationErrorTests {
    private static let base = #""mctrade": {"database": "m.sqlite"}, "state": {"database": "s.sqlite"}"#

    private func loadError(_ body: String) -> ConfigurationError? {
        ConfigurationTests.error("{\(Self.base), \"bigcommerce\": {\"store_hash\": \"abc\"}, \(body)}")
    }

    @Test(arguments: [
        (#""sync": {"batch_size": "10"}"#, "sync.batch_size"),
        (#""sync": {"batch_size": 2.5}"#, "sync.batch_size"),
        (#""sync": {"enforce_groups": 1}"#, "sync.enforce_groups"),
        (#""revenue": {"enabled": "yes"}"#, "revenue.enabled"),
        (#""logging": ["info"]"#, "logging"),
        (#""timezone": 1"#, "timezone"),
        (#""metrics": {"file": 3}"#, "metrics.file"),
    ])
    func wrongTypesNameTheKeyAndTheExpectedType(body: String, key: String) throws {
        let error = try #require(loadError(body))
        guard case .wrongType(let found, let expected, _) = error else {
            Issue.record("expected a wrong type error, got \(error)")
            return
        }
        #expect(found == key)
        #expect(!expected.isEmpty)
        #expect(error.description.contains("'\(key)'"))
    }

    @Test(arguments: [
        (#""sync": {"batch_size": 11}"#, "sync.batch_size"),
        (#""sync": {"batch_size": 0}"#, "sync.batch_size"),
        (#""sync": {"max_group_removal_share": 1.5}"#, "sync.max_group_removal_share"),
        (#""membership": {"grace_days": -1}"#, "membership.grace_days"),
        (#""timezone": "Mars/Olympus_Mons""#, "timezone"),
        (#""logging": {"level": "verbose"}"#, "logging.level"),
        (#""metrics": {"file": ""}"#, "metrics.file"),
    ])
    func outOfRangeValuesNameTheKey(body: String, key: String) throws {
        let error = try #require(loadError(body))
        guard case .invalidValue(let found, _, _) = error else {
            Issue.record("expected an invalid value error, got \(error)")
            return
        }
        #expect(found == key)
    }

    @Test(arguments: [
        (#""syncs": {}"#, "syncs"),
        (#""sync": {"batchsize": 10}"#, "sync.batchsize"),
        (#""logging": {"level": "info", "format": "json"}"#, "logging.format"),
    ])
    func unknownKeysAreRejectedAtAnyDepth(body: String, key: String) {
        #expect(loadError(body) == .unknownKey(key: key))
    }

    @Test func bigCommerceValuesAreChecked() {
        #expect(
            ConfigurationTests.error("{\(Self.base)}")
                == .missingValue(key: "bigcommerce.store_hash", expected: "a store hash of letters and digits")
        )
        let badHash = ConfigurationTests.error("{\(Self.base), \"bigcommerce\": {\"store_hash\": \"ab/c\"}}")
        #expect(badHash?.key == "bigcommerce.store_hash")
        let badURL = ConfigurationTests.error(
            "{\(Self.base), \"bigcommerce\": {\"store_hash\": \"abc\", \"api_url\": \"ftp://x\"}}"
        )
        #expect(badURL?.key == "bigcommerce.api_url")
        let unknown = ConfigurationTests.error(
            "{\(Self.base), \"bigcommerce\": {\"store_hash\": \"a\", \"token\": \"x\"}}"
        )
        #expect(unknown == .unknownKey(key: "bigcommerce.token"))
    }

    @Test func missingRequiredPathsAreNamed() {
        let noMCTrade = ConfigurationTests.error(#"{"state": {"database": "s"}, "bigcommerce": {"store_hash": "a"}}"#)
        #expect(noMCTrade == .missingValue(key: "mctrade.database", expected: "a file path"))
        let noState = ConfigurationTests.error(#"{"mctrade": {"database": "m"}, "bigcommerce": {"store_hash": "a"}}"#)
        #expect(noState == .missingValue(key: "state.database", expected: "a file path"))
        let notObject = ConfigurationTests.error(#"{"mctrade": "m.sqlite"}"#)
        #expect(notObject == .wrongType(key: "mctrade", expected: "an object", found: "a string"))
    }

    @Test func unreadableAndInvalidFilesAreReported() throws {
        #expect(throws: ConfigurationError.unreadableFile(path: "/nonexistent/membersync.json", reason: "no such file"))
        {
            try Configuration.load(path: "/nonexistent/membersync.json", environment: ConfigurationTests.environment)
        }
        guard case .invalidJSON(_, let reason) = ConfigurationTests.error(#"{"state": {}, "mctrade" 1}"#) else {
            Issue.record("broken JSON was not reported as invalid JSON")
            return
        }
        #expect(reason.contains("character"))
        guard case .invalidJSON = ConfigurationTests.error(#"["not", "an", "object"]"#) else {
            Issue.record("a JSON array was not reported as invalid")
            return
        }
    }

    @Test func descriptionsAreOneLowercaseLineAndExitCodeIsEXConfig() {
        let errors: [ConfigurationError] = [
            .unknownKey(key: "sync.x"), .missingValue(key: "state.database", expected: "a file path"),
            .missingAccessToken(
                environmentVariable: "BIGCOMMERCE_ACCESS_TOKEN",
                fileKey: "bigcommerce.access_token_file"
            ),
        ]
        for error in errors {
            #expect(error.description.first?.isLowercase == true)
            #expect(!error.description.contains("\n"))
            #expect(error.errorDescription == error.description)
        }
        #expect(ConfigurationError.exitCode == 78)
    }
}
