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
final class RequestLog: Sendable {
    private let entries = Mutex((next: 1, list: [LoggedRequestEntry]()))

    func append(_ entry: LoggedRequestEntry) {
        entries.withLock { state in
            var entry = entry
            entry.seq = state.next
            state.next += 1
            state.list.append(entry)
        }
    }

    var all: [LoggedRequestEntry] { entries.withLock { $0.list } }

    func clear() { entries.withLock { $0.list.removeAll() } }
}
