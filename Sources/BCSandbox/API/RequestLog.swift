import Foundation
import Synchronization

/// One store request as the log records it.
struct LoggedRequestEntry: Sendable {
    var seq: Int
    var method: String
    var path: String
    var query: String
    var status: Int
    var items: Int
    var startedMilliseconds: Int64
    var finishedMilliseconds: Int64
    var dropped: Bool

    var json: [String: Any] {
        [
            "seq": seq, "method": method, "path": path, "query": query, "status": status, "items": items,
            "started_ms": startedMilliseconds, "finished_ms": finishedMilliseconds, "dropped": dropped,
        ]
    }
}

/// The store requests served since the last reset, for tests to count.
///
/// Keeps the newest `capacity` entries so that a long benchmark cannot grow it without bound.
final class RequestLog: Sendable {
    static let capacity = 200_000
    private let entries = Mutex((next: 1, list: [LoggedRequestEntry]()))

    func append(_ entry: LoggedRequestEntry) {
        entries.withLock { state in
            var entry = entry
            entry.seq = state.next
            state.next += 1
            state.list.append(entry)
            if state.list.count > Self.capacity { state.list.removeFirst(state.list.count - Self.capacity) }
        }
    }

    var all: [LoggedRequestEntry] { entries.withLock { $0.list } }

    func clear() { entries.withLock { $0.list.removeAll() } }
}
