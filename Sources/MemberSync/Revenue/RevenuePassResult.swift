import Foundation

/// What one revenue pass did: the window it listed, what it cost, and what became of the orders.
public struct RevenuePassResult: Sendable, Hashable {
    /// Why the pass ran.
    public enum Kind: String, Sendable {
        /// The service's timer: from the high-water mark minus the overlap.
        case live
        /// After a full sync: the same window as `live`.
        case full
        /// `membersync revenue --since DATE`.
        case backfill
    }

    public var kind: Kind
    /// The `min_date_modified` asked for (whole seconds).
    public var since: Date
    /// The high-water mark after the pass: the newest `date_modified` seen (or, on the first pass, the
    /// time it started).
    public var mark: Date?
    /// Pages asked for, and store requests spent on them (retries included).
    public var pages = 0
    public var requests = 0
    /// Distinct orders the store returned.
    public var listed = 0
    /// Rows of `profile_revenue` written for the first time, changed in place, or already right.
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Orders not recorded: guest orders (`customer_id` 0), orders of customers linked to no profile,
    /// and orders whose `date_modified` lies before the window (or cannot be read).
    public var guests = 0
    public var unlinked = 0
    public var outsideWindow = 0
    /// Newly linked customers (adopted or relinked) whose orders were listed by `customer_id`.
    public var customersFetched = 0
    /// How long the pass took.
    public var duration: Duration = .zero

    public init(kind: Kind, since: Date) {
        self.kind = kind
        self.since = since
    }

    /// Orders of linked customers the pass looked at.
    public var recorded: Int { inserted + updated + unchanged }

    /// One line for the terminal and the log.
    public var summary: String {
        let markText = mark.map { ISO8601.string(from: $0) } ?? "none"
        return "revenue (\(kind.rawValue)) since \(ISO8601.string(from: since)): \(listed) orders in \(pages) pages, "
            + "\(requests) store requests; recorded \(inserted) new, \(updated) changed, \(unchanged) unchanged; "
            + "not recorded: \(guests) guest, \(unlinked) unlinked, \(outsideWindow) outside the window; "
            + "high-water mark \(markText)"
            + (customersFetched > 0 ? "; orders of \(customersFetched) newly linked customers listed" : "")
            + "; took \(duration.milliseconds) ms"
    }

    /// The fields of the log's summary line: counts, requests and duration, no personal data.
    public var logMetadata: Logger.Metadata {
        [
            "revenue.kind": "\(kind.rawValue)", "revenue.pages": "\(pages)", "revenue.requests": "\(requests)",
            "revenue.listed": "\(listed)", "revenue.inserted": "\(inserted)", "revenue.updated": "\(updated)",
            "revenue.unchanged": "\(unchanged)", "revenue.customers_fetched": "\(customersFetched)",
            "duration.ms": "\(duration.milliseconds)",
        ]
    }
}
