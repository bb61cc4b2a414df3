import Foundation
import SQLiteDB

/// The `membersync` command line: parses the words, runs the command, returns the exit code.
///
/// Exit codes: 0 done, 1 failed, 2 finished with some profiles failed, 64 bad usage, 78 bad configuration.
public enum MemberSyncCommand {
    public static let exitOK: Int32 = 0
    public static let exitFailed: Int32 = 1
    public static let exitPartial: Int32 = 2
    public static let exitUsage: Int32 = 64
    public static let exitConfiguration: Int32 = 78

    /// Runs `membersync` with `arguments` (without the program name).
    public static func main(_ arguments: [String]) async -> Int32 {
        guard let command = arguments.first, !["--help", "-h", "help"].contains(command) else {
            print(CommandHelp.overview)
            return arguments.isEmpty ? exitUsage : exitOK
        }
        if command == "--version" {
            print("membersync \(MemberSyncVersion.string)")
            return exitOK
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            print(CommandHelp.text(for: command) ?? CommandHelp.overview)
            return exitOK
        }
        do {
            switch command {
            case "sync": return try await SyncCommand.run(rest)
            case "run": return try await RunCommand.run(rest)
            case "status": return try await StatusCommand.run(rest)
            case "report": return try ReportCommand.run(rest)
            case "explain": return try ExplainCommand.run(rest)
            case "check": return try await CheckCommand.run(rest)
            case "retry": return try RetryCommand.run(rest)
            case "groups": return try await GroupsCommand.run(rest)
            case "revenue": return try await RevenueCommand.run(rest)
            default: throw UsageError("unknown command '\(command)'")
            }
        } catch let error as UsageError {
            printError("membersync: \(error.message)\nrun 'membersync --help' for the commands and their options")
            return exitUsage
        } catch let error as ConfigurationError {
            printError("membersync: configuration error: \(error)")
            return exitConfiguration
        } catch let error as BigCommerceClient.ConfigurationError {
            printError("membersync: configuration error: bigcommerce: \(error)")
            return exitConfiguration
        } catch {
            printError("membersync: \(error)" + (nextStep(for: error).map { "\n" + $0 } ?? ""))
            return exitFailed
        }
    }

    /// What to do about an error that does not say so itself.
    static func nextStep(for error: any Error) -> String? {
        switch error {
        case is SourceError:
            return "check mctrade.database in the configuration and that this user may read the file "
                + "('membersync check' tests it)"
        case let error as StoreError where error.stopsWrites:
            return
                "fix the access token or its scopes ('membersync check' says which), then run 'membersync sync --full'"
        case is StoreError:
            return "the store did not answer as expected; 'membersync check' tests the connection, and the next pass "
                + "tries again"
        case let error as StateFileMissing:
            return error.nextStep
        case let error as StateDirectoryMissing:
            return error.nextStep
        case RevenueError.mctradeUnavailable:
            return "MC Trade may hold its file, or this user may not write it: the service tries again at the next "
                + "interval; check that this user may write mctrade.database and its directory ('membersync check' tests it)"
        case RevenueError.mctradeSchema:
            return "MC Trade's database lacks the profile_revenue table of its current version; update MC Trade, or "
                + "set revenue.enabled to false"
        case RevenueError.pageRepeated:
            return "the store ignored the page asked for; run 'membersync revenue' again, and report it if it persists"
        case is SQLiteError:
            return "check state.database in the configuration and that this user may write its directory"
        default:
            return nil
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Loads the configuration named by `--config` (required). `callsStore: false` for a command that
    /// only reads local files: it runs without an access token.
    static func loadConfiguration(_ arguments: CommandLineArguments, callsStore: Bool = true) throws -> Configuration {
        guard let path = arguments.value("config") else { throw UsageError("--config FILE is required") }
        return try Configuration.load(path: path, requireAccessToken: callsStore)
    }

    /// The `--format` value, checked against `allowed` (the first is the default).
    static func format(_ arguments: CommandLineArguments, allowed: [String]) throws -> String {
        let format = arguments.value("format") ?? allowed[0]
        guard allowed.contains(format) else {
            throw UsageError("--format must be \(allowed.joined(separator: " or ")), not '\(format)'")
        }
        return format
    }

    static func exitCode(for outcome: PassResult.Outcome) -> Int32 {
        switch outcome {
        case .ok: return exitOK
        case .partial: return exitPartial
        case .failed, .refused: return exitFailed
        }
    }
}
