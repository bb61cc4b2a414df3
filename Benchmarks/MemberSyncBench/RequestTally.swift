import BCSandbox
import Foundation

/// Store requests of a request log, counted by what they were for.
struct RequestTally: Sendable {
    var total = 0
    /// `GET /v3/customers` pages without an id or email filter.
    var lists = 0
    /// `GET /v3/customers` with `email:in` or `id:in`.
    var lookups = 0
    var groups = 0
    var creates = 0
    var updates = 0
    /// Everything else: orders, deletes.
    var other = 0
    /// Answers with status 429.
    var rateLimited = 0
    /// Customers in the bodies of creates and updates that the store accepted.
    var customersWritten = 0
    var firstStarted: Int64?
    var lastFinished: Int64?

    init(_ log: [LoggedRequest]) {
        for request in log {
            add(request)
        }
    }

    /// Writes of any kind (creates, updates, deletes).
    var writes: Int { creates + updates + deletes }
    private(set) var deletes = 0

    /// From the first request's start to the last one's end.
    var spanSeconds: Double {
        guard let firstStarted, let lastFinished else { return 0 }
        return Double(lastFinished - firstStarted) / 1000
    }

    private mutating func add(_ request: LoggedRequest) {
        total += 1
        if request.status == 429 { rateLimited += 1 }
        firstStarted = min(firstStarted ?? request.startedMilliseconds, request.startedMilliseconds)
        lastFinished = max(lastFinished ?? request.finishedMilliseconds, request.finishedMilliseconds)
        let accepted = (200..<300).contains(request.status)
        switch (request.method, request.path.hasSuffix("/v3/customers"), request.path.hasSuffix("/customer_groups")) {
        case ("GET", true, _):
            let query = request.query.removingPercentEncoding ?? request.query
            if query.contains("email:in=") || query.contains("id:in=") { lookups += 1 } else { lists += 1 }
        case ("GET", _, true):
            groups += 1
        case ("POST", true, _):
            creates += 1
            if accepted { customersWritten += request.items }
        case ("PUT", true, _):
            updates += 1
            if accepted { customersWritten += request.items }
        case ("DELETE", _, _):
            deletes += 1
        default:
            other += 1
        }
    }
}
