import Foundation

/// Why a revenue pass stopped. Nothing after the failure is recorded, and the high-water mark stays
/// where it was, so the next pass lists the same orders again.
public enum RevenueError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// MC Trade's file cannot be opened or written right now (missing, locked past the busy timeout).
    case mctradeUnavailable(path: String, reason: String)
    /// MC Trade's file has no `profile_revenue` table of the expected shape.
    case mctradeSchema(path: String, detail: String)
    /// The store answered a page that holds no order not already seen: it ignores `page`.
    case pageRepeated(page: Int, listing: String)

    public var description: String {
        switch self {
        case .mctradeUnavailable(let path, let reason):
            return "cannot write revenue to MC Trade database '\(path)': \(reason)"
        case .mctradeSchema(let path, let detail):
            return "MC Trade database '\(path)' cannot take revenue: \(detail)"
        case .pageRepeated(let page, let listing):
            return "the store answered page \(page) of \(listing) with orders already seen; "
                + "listing stopped"
        }
    }

    public var errorDescription: String? { description }
}
