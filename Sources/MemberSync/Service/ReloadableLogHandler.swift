import Synchronization

/// A log handler whose level can change while the process runs (SIGHUP re-reads `logging.level`).
///
/// Give the logger the lowest level (`trace`) and this handler the configured one: events below it are
/// dropped here.
public final class ReloadableLogHandler: LogHandler {
    private let level: Mutex<Logger.Level>
    private let wrapped: any LogHandler

    public init(level: Logger.Level, wrapping handler: any LogHandler = StreamLogHandler()) {
        self.level = Mutex(level)
        self.wrapped = handler
    }

    /// The lowest level written now.
    public var currentLevel: Logger.Level { level.withLock { $0 } }

    public func setLevel(_ newLevel: Logger.Level) {
        level.withLock { $0 = newLevel }
    }

    public func log(_ record: LogRecord) {
        guard record.level >= currentLevel else { return }
        wrapped.log(record)
    }
}
