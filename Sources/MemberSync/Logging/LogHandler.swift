import Foundation

/// Where log events go. Handlers receive events that already passed the logger's level filter and
/// redaction, so a handler only formats and writes.
public protocol LogHandler: Sendable {
    /// Writes one event.
    func log(_ record: LogRecord)
}

/// One log event, as a handler receives it.
public struct LogRecord: Sendable, Equatable {
    public var date: Date
    public var level: Logger.Level
    public var label: String
    public var message: String
    /// The logger's metadata merged with the call's (the call's value wins on a shared key).
    public var metadata: Logger.Metadata

    public init(date: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata = [:]) {
        self.date = date
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
    }
}
