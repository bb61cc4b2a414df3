import Synchronization

/// Keeps every event in memory, for tests. Safe to share between tasks.
public final class InMemoryLogHandler: LogHandler {
    private let storage = Mutex<[LogRecord]>([])

    public init() {}

    public func log(_ record: LogRecord) {
        storage.withLock { $0.append(record) }
    }

    /// Every event so far, oldest first.
    public var records: [LogRecord] {
        storage.withLock { $0 }
    }

    /// The messages of every event so far, oldest first.
    public var messages: [String] {
        records.map(\.message)
    }

    /// Every event formatted as `StreamLogHandler` would write it, for searching the whole output.
    public var lines: [String] {
        records.map(StreamLogHandler.format)
    }

    public func removeAll() {
        storage.withLock { $0.removeAll() }
    }
}
