import Foundation

/// `state.database` names a file in a directory that does not exist, so the agent cannot create its
/// state file there. Found when a command is about to create or lock the state file (exit 1, like any
/// other failure to open it); reading commands report `StateFileMissing` instead.
public struct StateDirectoryMissing: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// The configured `state.database`, absolute.
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// The directory that should hold the state file.
    public var directory: String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    public var description: String {
        "state.database '\(path)': the directory '\(directory)' does not exist, so the state file cannot be created"
    }

    public var errorDescription: String? { description }

    /// What the operator does next.
    public var nextStep: String {
        "create the directory ('mkdir -p \(directory)', writable by the user the agent runs as), "
            + "or correct state.database in the configuration"
    }

    /// Throws when the directory of the state file at `path` is missing (or is not a directory).
    public static func check(path: String) throws {
        var isDirectory: ObjCBool = false
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw StateDirectoryMissing(path: path)
        }
    }
}
