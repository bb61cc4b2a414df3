import Foundation

/// The BigCommerce store as the sync engine sees it: customers (v3), customer groups (v2) and orders
/// (v2), paced by the store's rate-limit headers, batch-limited, and retried where that is safe.
///
/// Retry policy:
///
/// | answer | GET, PUT | POST (create) |
/// |---|---|---|
/// | 429, or a 500 that says it is a rate limit | wait, send again (not an attempt) | same |
/// | other 5xx, transport error | backoff, up to `maxAttempts`, then `.unavailable` | 500/503: `.unavailable`; 502/504, lost answer: `.createInDoubt` |
/// | 401 / 403 / 404 / other 4xx | `.unauthorized` / `.forbidden(scope:)` / `.notFound` / `.rejected` | same |
///
/// A 429 (or a 500 standing in for one: its body says rate limit, or it carries a 429's headers) means
/// the store refused the request before acting on it, so a create is sent again after the wait; no
/// other failure of a create is ever retried here.
public final class BigCommerceClient: CustomerStore {
    /// Most items the customers endpoints take per write.
    public static let maxBatchSize = 10
    /// Most values the client sends in one `email:in` or `id:in` filter; longer lists are split.
    public static let maxLookupSize = 50
    /// Most items per page the client ever asks for.
    public static let maxPageSize = 250

    /// What reading and what changing customers and customer groups need (the control panel's
    /// "Customers: read-only" and "Customers: modify").
    static let customersReadScope = "store_v2_customers_read_only"
    static let customersScope = "store_v2_customers"
    static let ordersScope = "store_v2_orders_read_only"

    let configuration: Configuration
    let transport: any HTTPTransport
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> ContinuousClock.Instant
    let onEvent: @Sendable (StoreClientEvent) -> Void
    let pacer: RequestPacer
    let redactor: Redactor
    private let updateSlots: AsyncSemaphore
    private let createSlots: AsyncSemaphore

    /// Makes a client; throws `ConfigurationError` for plain `http://` to a host that is not loopback,
    /// an unusable store hash or an empty token.
    public init(
        configuration: Configuration,
        transport: any HTTPTransport = URLSessionTransport(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        onEvent: @escaping @Sendable (StoreClientEvent) -> Void = { _ in }
    ) throws {
        try configuration.validate()
        let configuration = configuration.normalized()
        self.configuration = configuration
        self.transport = transport
        self.sleep = sleep
        self.now = now
        self.onEvent = onEvent
        pacer = RequestPacer(reserve: configuration.rateLimitReserve, sleep: sleep, now: now, onEvent: onEvent)
        redactor = Redactor(secret: configuration.accessToken)
        updateSlots = AsyncSemaphore(permits: configuration.maxConcurrentUpdates)
        createSlots = AsyncSemaphore(permits: configuration.maxConcurrentCreates)
    }

    public func customerGroups() async throws -> [CustomerGroup] {
        var groups: [CustomerGroup] = []
        for page in 1... {
            let endpoint = Endpoint(
                method: "GET",
                path: "/v2/customer_groups",
                query: [("page", [String(page)]), ("limit", [String(Self.maxPageSize)])],
                kind: .groups,
                scope: Self.customersReadScope
            )
            let items = try decodeArray([BigCommerceWire.Group].self, from: try await perform(endpoint), endpoint)
            groups += items.map { CustomerGroup(id: $0.id, name: $0.name ?? "") }
            if items.count < Self.maxPageSize { break }
        }
        return groups
    }

    public func listCustomers(after cursor: String?, groupIDs: [Int]?, limit: Int) async throws -> CustomerPage {
        let pageLimit = min(max(limit, 1), Self.maxPageSize)
        var query: [(String, [String])] = [("limit", [String(pageLimit)])]
        if let cursor { query.append(("after", [cursor])) }
        if let groupIDs {
            guard !groupIDs.isEmpty else { return CustomerPage(customers: [], nextCursor: nil) }
            query.append(("customer_group_id:in", groupIDs.map(String.init)))
        }
        let endpoint = customersEndpoint(method: "GET", query: query, kind: .list)
        let page = try decode(BigCommerceWire.CustomerCollection.self, from: try await perform(endpoint), endpoint)
        return CustomerPage(
            customers: page.data.map(\.storeCustomer),
            nextCursor: page.nextCursor(pageLimit: pageLimit)
        )
    }

    public func customers(withEmails emails: [String]) async throws -> [StoreCustomer] {
        try await lookUp(filter: "email:in", values: emails)
    }

    public func customers(withIDs ids: [Int]) async throws -> [StoreCustomer] {
        try await lookUp(filter: "id:in", values: ids.map(String.init))
    }

    public func createCustomers(_ records: [CustomerRecord]) async throws -> [StoreCustomer] {
        let endpoint = customersEndpoint(method: "POST", query: [], kind: .create)
        try checkBatchSize(records.count, endpoint)
        guard !records.isEmpty else { return [] }
        let body = try encode(records.map(BigCommerceWire.CustomerPayload.create), endpoint)
        let response = try await createSlots.withPermit { try await self.perform(endpoint, body: body) }
        do {
            let created = try decode(BigCommerceWire.CustomerCollection.self, from: response, endpoint)
            return Self.ordered(created.data.map(\.storeCustomer), like: records)
        } catch {
            // The store said yes but its answer is unreadable: the customers most likely exist.
            throw StoreError.createInDoubt(endpoint: endpoint.label, underlying: "answer to a 2xx was unreadable")
        }
    }

    public func updateCustomers(_ updates: [CustomerUpdate]) async throws -> [StoreCustomer] {
        let endpoint = customersEndpoint(method: "PUT", query: [], kind: .update)
        try checkBatchSize(updates.count, endpoint)
        guard !updates.isEmpty else { return [] }
        let body = try encode(updates.map { BigCommerceWire.CustomerPayload($0.record, id: $0.customerID) }, endpoint)
        let response = try await updateSlots.withPermit { try await self.perform(endpoint, body: body) }
        return try decode(BigCommerceWire.CustomerCollection.self, from: response, endpoint).data.map(\.storeCustomer)
    }

    /// Sends an update of no customers (`PUT /v3/customers` with `[]`): a token without the customers
    /// modify scope gets 403; any other answer (the store may call an empty batch invalid) proves it.
    public func checkWriteAccess() async throws {
        let endpoint = customersEndpoint(method: "PUT", query: [], kind: .update)
        do {
            _ = try await updateSlots.withPermit { try await self.perform(endpoint, body: Data("[]".utf8)) }
        } catch let error as StoreError {
            if case .rejected = error { return }
            throw error
        }
    }

    public func orders(modifiedSince since: Date, page: Int, limit: Int) async throws -> [StoreOrder] {
        try await orders(filter: ("min_date_modified", RFC2822Date.format(since)), page: page, limit: limit)
    }

    public func orders(customerID: Int, page: Int, limit: Int) async throws -> [StoreOrder] {
        try await orders(filter: ("customer_id", String(customerID)), page: page, limit: limit)
    }

    private func orders(filter: (name: String, value: String), page: Int, limit: Int) async throws -> [StoreOrder] {
        let endpoint = Endpoint(
            method: "GET",
            path: "/v2/orders",
            query: [
                (filter.name, [filter.value]), ("sort", ["id:asc"]),
                ("page", [String(max(page, 1))]), ("limit", [String(min(max(limit, 1), Self.maxPageSize))]),
            ],
            kind: .orders,
            scope: Self.ordersScope
        )
        let items = try decodeArray([BigCommerceWire.Order].self, from: try await perform(endpoint), endpoint)
        return try items.map { item in
            guard let order = item.storeOrder else {
                throw StoreError.invalidResponse(
                    endpoint: endpoint.label,
                    detail: "order \(item.id) has an unreadable date"
                )
            }
            return order
        }
    }

    public func requestCounts() async -> RequestCounts {
        await pacer.requestCounts()
    }

    // MARK: - Helpers

    private func lookUp(filter: String, values: [String]) async throws -> [StoreCustomer] {
        var found: [StoreCustomer] = []
        var seen = Set<Int>()
        for start in stride(from: 0, to: values.count, by: Self.maxLookupSize) {
            let chunk = Array(values[start..<min(start + Self.maxLookupSize, values.count)])
            let query = [(filter, chunk), ("limit", [String(Self.maxPageSize)])]
            let endpoint = customersEndpoint(method: "GET", query: query, kind: .lookup)
            let page = try decode(BigCommerceWire.CustomerCollection.self, from: try await perform(endpoint), endpoint)
            for customer in page.data where seen.insert(customer.id).inserted {
                found.append(customer.storeCustomer)
            }
        }
        return found
    }

    private func customersEndpoint(method: String, query: [(String, [String])], kind: StoreRequestKind) -> Endpoint {
        let scope = method == "GET" ? Self.customersReadScope : Self.customersScope
        return Endpoint(method: method, path: "/v3/customers", query: query, kind: kind, scope: scope)
    }

    private func checkBatchSize(_ count: Int, _ endpoint: Endpoint) throws {
        guard count > Self.maxBatchSize else { return }
        throw StoreError.rejected(
            endpoint: endpoint.label,
            status: 413,
            title: "not sent: a batch of \(count) is over the store's limit of \(Self.maxBatchSize)",
            errors: [:]
        )
    }

    /// The store's answer in the order the records were sent (matched by email), when it can be.
    private static func ordered(_ customers: [StoreCustomer], like records: [CustomerRecord]) -> [StoreCustomer] {
        let byEmail = Dictionary(customers.map { ($0.record.emailKey, $0) }, uniquingKeysWith: { first, _ in first })
        let sorted = records.compactMap { byEmail[$0.emailKey] }
        return sorted.count == customers.count ? sorted : customers
    }
}
