import Foundation

/// `membersync check`: configuration, token, scopes, groups and MC Trade's schema, each PASS or FAIL
/// with what to do; exit 1 on any failure.
enum CheckCommand {
    static func run(_ words: [String]) async throws -> Int32 {
        let arguments = try CommandLineArguments(words, valueOptions: ["config"], flags: [])
        guard arguments.positional.isEmpty else {
            throw UsageError("check takes no arguments, got '\(arguments.positional.joined(separator: " "))'")
        }
        let configuration: Configuration
        do {
            configuration = try MemberSyncCommand.loadConfiguration(arguments)
        } catch let error as ConfigurationError {
            print(
                CheckResult.fail(
                    "config",
                    "\(error)",
                    fix: "fix the file (the README's Configuration section lists every key)"
                ).line
            )
            return MemberSyncCommand.exitFailed
        }
        let context = try AgentContext(configuration: configuration)
        let results = await SetupCheck(configuration: configuration, store: context.store).run()
        print(render(results))
        return results.allSatisfy(\.passed) ? MemberSyncCommand.exitOK : MemberSyncCommand.exitFailed
    }

    static func render(_ results: [CheckResult]) -> String {
        let failures = results.filter { !$0.passed }.count
        let summary =
            failures == 0 ? "all \(results.count) checks passed" : "\(failures) of \(results.count) checks failed"
        return (results.map(\.line) + [summary]).joined(separator: "\n")
    }
}
