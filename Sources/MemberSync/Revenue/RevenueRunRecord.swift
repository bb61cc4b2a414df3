import Foundation

/// One finished revenue pass of the run history (`revenue_runs`), for `status` and the metrics.
public struct RevenueRunRecord: Sendable, Hashable {
    public var kind: String
    public var finishedAt: String
    /// `ok` or `failed`.
    public var result: String
    public var inserted: Int
    public var updated: Int
    public var requests: Int
    /// Why it failed, when it did.
    public var message: String?

    public var succeeded: Bool { result == "ok" }

    /// One line for `status`: when, how it ended, what it recorded.
    public var summary: String {
        var text = "\(finishedAt) \(result) (\(kind)): \(inserted) new, \(updated) changed, requests \(requests)"
        if let message { text += " (\(message))" }
        return text
    }
}
