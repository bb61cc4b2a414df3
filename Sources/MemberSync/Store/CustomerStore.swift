import Foundation

/// What the sync engine needs from a store. `BigCommerceClient` speaks the real API; tests may use
/// an in-memory store. Implementations pace, batch-limit and retry on their own; they never retry a
/// create on their own (see `StoreError.createInDoubt`).
public protocol CustomerStore: Sendable {
    /// Every customer group of the store.
    func customerGroups() async throws -> [CustomerGroup]

    /// One page of customers (at most 250), paged by cursor: pass the previous page's `nextCursor`.
    /// `groupIDs` restricts the listing to customers in those groups (`customer_group_id:in`).
    func listCustomers(after cursor: String?, groupIDs: [Int]?, limit: Int) async throws -> CustomerPage

    /// Customers whose email matches one of `emails` (at most 50 per call; callers chunk).
    func customers(withEmails emails: [String]) async throws -> [StoreCustomer]

    /// Customers with these ids (at most 50 per call); ids that no longer exist are simply absent.
    func customers(withIDs ids: [Int]) async throws -> [StoreCustomer]

    /// Creates up to 10 customers in one request, with `force_password_reset` set and no welcome
    /// email. Returns them in the order sent. A refused batch throws `StoreError.rejected`; a request
    /// whose answer was lost throws `StoreError.createInDoubt`.
    func createCustomers(_ records: [CustomerRecord]) async throws -> [StoreCustomer]

    /// Updates up to 10 customers in one request, each with all six owned fields.
    func updateCustomers(_ updates: [CustomerUpdate]) async throws -> [StoreCustomer]

    /// One page of orders modified at or after `since`, sorted by id, `page` 1-based; empty when none.
    func orders(modifiedSince since: Date, page: Int, limit: Int) async throws -> [StoreOrder]

    /// One page of the orders of one customer (`customer_id`), sorted by id, `page` 1-based; empty when
    /// none.
    func orders(customerID: Int, page: Int, limit: Int) async throws -> [StoreOrder]

    /// Requests this client has sent so far, by outcome (for run history and metrics).
    func requestCounts() async -> RequestCounts

    /// Proves, without changing anything, that the token may write customers; throws
    /// `StoreError.forbidden` when it lacks the scope.
    func checkWriteAccess() async throws
}

extension CustomerStore {
    public func checkWriteAccess() async throws {}

    /// Lists every order and keeps the customer's: right for a store held in memory, too costly for a
    /// real one (`BigCommerceClient` filters in the store).
    public func orders(customerID: Int, page: Int, limit: Int) async throws -> [StoreOrder] {
        var matching: [StoreOrder] = []
        var listed = 1
        while true {
            let orders = try await orders(modifiedSince: Date(timeIntervalSince1970: 0), page: listed, limit: 250)
            matching += orders.filter { $0.customerID == customerID }
            if orders.count < 250 { break }
            listed += 1
        }
        return Array(matching.dropFirst((max(page, 1) - 1) * limit).prefix(limit))
    }
}

/// One update: a customer id and the full record to write.
public struct CustomerUpdate: Sendable, Hashable {
    public var customerID: Int
    public var record: CustomerRecord

    public init(customerID: Int, record: CustomerRecord) {
        self.customerID = customerID
        self.record = record
    }
}

/// A page of a customer listing.
public struct CustomerPage: Sendable {
    public var customers: [StoreCustomer]
    /// Pass to the next `listCustomers` call; nil on the last page.
    public var nextCursor: String?

    public init(customers: [StoreCustomer], nextCursor: String?) {
        self.customers = customers
        self.nextCursor = nextCursor
    }
}

/// A store order, as far as revenue needs it.
public struct StoreOrder: Sendable, Hashable {
    public var id: Int
    /// 0 for guest orders.
    public var customerID: Int
    public var statusID: Int
    public var status: String
    /// Decimal string exactly as the store gives it.
    public var totalIncTax: String
    public var currencyCode: String
    /// ISO 8601 UTC, converted from the store's RFC 2822.
    public var dateCreated: String
    public var dateModified: String

    public init(
        id: Int,
        customerID: Int,
        statusID: Int,
        status: String,
        totalIncTax: String,
        currencyCode: String,
        dateCreated: String,
        dateModified: String
    ) {
        self.id = id
        self.customerID = customerID
        self.statusID = statusID
        self.status = status
        self.totalIncTax = totalIncTax
        self.currencyCode = currencyCode
        self.dateCreated = dateCreated
        self.dateModified = dateModified
    }
}

/// Requests sent, by outcome.
public struct RequestCounts: Sendable, Hashable, Codable {
    public var total = 0
    public var succeeded = 0
    public var rateLimited = 0
    public var serverErrors = 0
    public var clientErrors = 0
    public var transportErrors = 0
    /// Requests by kind: "list", "lookup", "create", "update", "groups", "orders".
    public var byKind: [String: Int] = [:]

    public init() {}
}
