import Foundation
import MemberSync
import Testing

struct ConfigurationSecretTests {
    private static let token = ConfigurationTests.token

    private func json(tokenFile: String?) -> String {
        let file = tokenFile.map { #", "access_token_file": "\#($0)""# } ?? ""
        return
            #"{"mctrade": {"database": "m"}, "state": {"database": "s"}, "bigcommerce": {"store_hash": "abc"\#(file)}}"#
    }

    private func writeToken(_ text: String, mode: Int = 0o600) -> (URL) throws -> Void {
        { directory in
            let file = directory.appendingPathComponent("token")
            try Data(text.utf8).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        }
    }

    @Test func environmentVariableWinsOverTheFile() throws {
        let configuration = try ConfigurationTests.load(json(tokenFile: "token"), prepare: writeToken("from-file"))
        #expect(configuration.bigCommerce.accessToken.exposedValue == Self.token)
        #expect(configuration.bigCommerce.accessTokenSource == "BIGCOMMERCE_ACCESS_TOKEN")
    }

    @Test func tokenFileIsReadAndTrimmedWhenTheVariableIsUnsetOrEmpty() throws {
        for environment in [[:], [Configuration.accessTokenVariable: "  "]] {
            let configuration = try ConfigurationTests.load(
                json(tokenFile: "token"),
                environment: environment,
                prepare: writeToken("\n  \(Self.token)\n")
            )
            #expect(configuration.bigCommerce.accessToken.exposedValue == Self.token)
            #expect(configuration.bigCommerce.accessTokenSource.hasSuffix("/token"))
            #expect(configuration.warnings.isEmpty)
        }
    }

    @Test func missingTokenNamesBothSources() throws {
        let error = try #require(ConfigurationTests.error(json(tokenFile: nil), environment: [:]))
        #expect(error.description.contains("BIGCOMMERCE_ACCESS_TOKEN"))
        #expect(error.description.contains("bigcommerce.access_token_file"))
    }

    @Test func unreadableOrEmptyTokenFilesAreErrors() throws {
        guard case .unreadableTokenFile = ConfigurationTests.error(json(tokenFile: "absent"), environment: [:]) else {
            Issue.record("a missing token file was not reported")
            return
        }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationTests.load(json(tokenFile: "token"), environment: [:], prepare: writeToken(" \n"))
        }
    }

    @Test func tokenNeverShowsInDescriptionsOrDump() throws {
        let configuration = try ConfigurationTests.load(json(tokenFile: nil))
        var dumped = ""
        dump(configuration, to: &dumped)
        let texts = [
            configuration.description, configuration.redactedDescription, "\(configuration)",
            String(reflecting: configuration), dumped, "\(configuration.bigCommerce)",
            "\(configuration.bigCommerce.accessToken)",
        ]
        for text in texts {
            #expect(!text.contains(Self.token))
        }
        #expect(configuration.redactedDescription.contains("bigcommerce.access_token = <redacted>"))
    }

    @Test func filesReadableByOthersGetAChmodWarning() throws {
        var directory: URL?
        let configuration = try ConfigurationTests.load(
            json(tokenFile: "token"),
            environment: [:],
            prepare: { url in
                directory = url
                try writeToken(Self.token, mode: 0o640)(url)
                let config = url.appendingPathComponent("membersync.json").path
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config)
            }
        )
        #expect(configuration.warnings.count == 2)
        let path = directory!.standardizedFileURL.path
        #expect(configuration.warnings[0].contains("'\(path)/membersync.json'"))
        #expect(configuration.warnings[1].contains("'\(path)/token'"))
        #expect(configuration.warnings.allSatisfy { $0.contains("chmod 600") })
        #expect(!configuration.warnings.joined().contains(Self.token))
    }
}
