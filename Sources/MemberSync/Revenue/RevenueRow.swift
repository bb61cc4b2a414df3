import Foundation

/// One row of MC Trade's `profile_revenue`: a store order of a linked customer, as recorded.
public struct RevenueRow: Sendable, Hashable {
    /// The `source` column; the agent writes only this one.
    public static let source = "bigcommerce"

    public var orderID: Int
    public var profileID: Int
    public var customerID: Int
    /// The store's status name ("Shipped", "Refunded", ...), whatever it counts for.
    public var status: String
    /// The decimal string exactly as the store gives it (`"12.5000"`).
    public var totalIncTax: String
    public var currencyCode: String
    /// ISO 8601 UTC with milliseconds, like MC Trade's own times (`2026-12-03T05:00:00.000Z`).
    public var orderedAt: String
    public var updatedAt: String

    public init(
        orderID: Int,
        profileID: Int,
        customerID: Int,
        status: String,
        totalIncTax: String,
        currencyCode: String,
        orderedAt: String,
        updatedAt: String
    ) {
        self.orderID = orderID
        self.profileID = profileID
        self.customerID = customerID
        self.status = status
        self.totalIncTax = totalIncTax
        self.currencyCode = currencyCode
        self.orderedAt = orderedAt
        self.updatedAt = updatedAt
    }

    /// The row for `order` on `profileID`; nil when one of the order's dates cannot be read.
    public init?(order: StoreOrder, profileID: Int) {
        guard let created = UTCTimestamp.parse(order.dateCreated),
            let modified = UTCTimestamp.parse(order.dateModified)
        else { return nil }
        self.init(
            orderID: order.id,
            profileID: profileID,
            customerID: order.customerID,
            status: order.status,
            totalIncTax: order.totalIncTax,
            currencyCode: order.currencyCode,
            orderedAt: ISO8601.string(from: created),
            updatedAt: ISO8601.string(from: modified)
        )
    }
}
