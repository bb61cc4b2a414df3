import Foundation

/// An OAuth scope of a store-level API account, by the parameter name BigCommerce gives it.
///
/// A modify scope includes its read-only one: `store_v2_customers` may also read customers and groups.
public enum SandboxScope: String, CaseIterable, Sendable {
    /// Customers v3 and v2 and customer groups, read and write.
    case customers = "store_v2_customers"
    /// Customers and customer groups, read only.
    case customersReadOnly = "store_v2_customers_read_only"
    /// Orders v2, read and write.
    case orders = "store_v2_orders"
    /// Orders v2, read only.
    case ordersReadOnly = "store_v2_orders_read_only"

    /// What the main token holds: customers modify, orders read-only (what membersync needs).
    public static let fullAccess: Set<SandboxScope> = [.customers, .ordersReadOnly]
    /// What the read-only token holds.
    public static let readOnlyAccess: Set<SandboxScope> = [.customersReadOnly, .ordersReadOnly]

    /// Parses a comma-separated list such as `store_v2_customers,store_v2_orders_read_only`; the error names
    /// the unknown scope and the known ones.
    public static func list(_ text: String) throws(SandboxOptionError) -> Set<SandboxScope> {
        var scopes: Set<SandboxScope> = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let scope = SandboxScope(rawValue: name) else {
                let known = allCases.map(\.rawValue).joined(separator: ", ")
                throw SandboxOptionError(message: "unknown scope '\(name)'; known scopes: \(known)")
            }
            scopes.insert(scope)
        }
        return scopes
    }
}

/// A behaviour option or scope list that could not be understood; the message says what is accepted.
public struct SandboxOptionError: Error, CustomStringConvertible, LocalizedError {
    public let message: String
    public var description: String { message }
    public var errorDescription: String? { message }
}
