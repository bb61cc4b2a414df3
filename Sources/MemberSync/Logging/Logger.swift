import Foundation

/// A small structured logger in swift-log's shape: a label, a level filter, metadata, and a handler.
///
/// Pass it as a parameter and stamp context on a copy (`logger[metadataKey: "run.id"] = "…"`). Keep
/// messages constant and put data in metadata under dotted keys. A logger given secrets with
/// `redacting(_:)` replaces them with `<redacted>` in the message, label and metadata of every event,
/// as a defence in depth: code should not log secrets in the first place.
public struct Logger: Sendable {
    /// Names the subsystem, such as `membersync.changes`.
    public let label: String
    /// Events below this level are dropped without evaluating their message.
    public var logLevel: Level
    /// Metadata added to every event of this logger.
    public var metadata: Metadata
    public var handler: any LogHandler
    private var redactor = LogRedactor()

    /// A logger writing to `handler`, standard error by default.
    public init(
        label: String,
        level: Level = .info,
        metadata: Metadata = [:],
        handler: any LogHandler = StreamLogHandler()
    ) {
        self.label = label
        self.logLevel = level
        self.metadata = metadata
        self.handler = handler
    }

    /// One entry of this logger's metadata.
    public subscript(metadataKey key: String) -> MetadataValue? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// A copy that replaces each of `secrets` with `<redacted>` wherever it appears; empty strings are
    /// ignored. Secrets accumulate over calls.
    public func redacting(_ secrets: some Sequence<String>) -> Logger {
        var copy = self
        copy.redactor = redactor.adding(secrets)
        return copy
    }

    /// Whether an event at `level` would be written.
    public func isEnabled(_ level: Level) -> Bool {
        level >= logLevel
    }

    /// Logs an event at `level`; the message and metadata are evaluated only when the level passes.
    public func log(
        level: Level,
        _ message: @autoclosure () -> String,
        metadata: @autoclosure () -> Metadata = [:]
    ) {
        guard isEnabled(level) else { return }
        var merged = self.metadata
        merged.merge(metadata(), uniquingKeysWith: { _, call in call })
        var record = LogRecord(date: Date(), level: level, label: label, message: message(), metadata: merged)
        if !redactor.isEmpty {
            record.label = redactor.redact(record.label)
            record.message = redactor.redact(record.message)
            record.metadata = redactor.redact(record.metadata)
        }
        handler.log(record)
    }

    public func trace(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .trace, message(), metadata: metadata())
    }

    public func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .debug, message(), metadata: metadata())
    }

    public func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .info, message(), metadata: metadata())
    }

    public func notice(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .notice, message(), metadata: metadata())
    }

    public func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .warning, message(), metadata: metadata())
    }

    public func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .error, message(), metadata: metadata())
    }

    public func critical(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .critical, message(), metadata: metadata())
    }
}
