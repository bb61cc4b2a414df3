import Foundation

/// `membersync explain PROFILE_ID`: the group a person should be in and what decides it, their
/// customer, what was last sent, and any failure or report row.
enum ExplainCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try CommandLineArguments(words, valueOptions: ["config", "format"], flags: [])
        let format = try MemberSyncCommand.format(arguments, allowed: ["text", "json"])
        guard arguments.positional.count == 1, let profileID = Int(arguments.positional[0]) else {
            throw UsageError("explain takes one profile id, e.g. 'membersync explain 1042 --config FILE'")
        }
        let configuration = try MemberSyncCommand.loadConfiguration(arguments, callsStore: false)
        let state = try AgentContext.openExistingState(path: configuration.stateDatabasePath)
        let snapshot = try MCTradeSource(path: configuration.mctradeDatabasePath).readSnapshot()
        let explanation = try ProfileExplanation.make(
            profileID: profileID,
            snapshot: snapshot,
            state: state,
            graceDays: configuration.membership.graceDays,
            timeZone: configuration.timeZone
        )
        print(format == "json" ? explanation.json() : explanation.text())
        return explanation.profile == nil ? MemberSyncCommand.exitFailed : MemberSyncCommand.exitOK
    }
}
