import Foundation

/// A command that reads what the agent did found no state file: the agent has never run with this
/// configuration, or `state.database` names the wrong file. Such commands never create one.
public struct StateFileMissing: Error, Sendable, CustomStringConvertible, LocalizedError {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    public var description: String {
        "no state file at '\(path)': the agent has not run with this configuration yet"
    }

    public var errorDescription: String? { description }

    /// What the operator does next.
    public var nextStep: String {
        "start the service ('systemctl start membersync') or run 'membersync sync --full' once; "
            + "if the agent has run, correct state.database in the configuration"
    }
}
