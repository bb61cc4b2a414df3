import Foundation
import MemberSync
import Synchronization

/// A store held in memory that behaves like the real one where the engine's logic depends on it:
/// emails unique without case, batches of at most 10 refused as a whole, unknown ids refused. Faults
/// are scripted per test.
final class InMemoryStore: CustomerStore, Sendable {
    struct State {
        var customers: [Int: StoreCustomer] = [:]
        var groups: [CustomerGroup] = [
            CustomerGroup(id: 3, name: "Non-members"), CustomerGroup(id: 4, name: "Members"),
        ]
        var nextID = 1
        var counts = RequestCounts()
        var log: [String] = []
        /// Emails the store refuses (a rule the agent cannot know).
        var refusedEmails: Set<String> = []
        /// Every write fails with this error while set.
        var writeFailure: StoreError?
        /// Every groups request fails with this error while set.
        var groupsFailure: StoreError?
        /// The next create is applied but its answer is lost.
        var loseNextCreateAnswer = false
        /// Orders by id, served by `orders(modifiedSince:page:limit:)`.
        var orders: [Int: StoreOrder] = [:]
        /// Serve every order whatever `min_date_modified` says (a store that ignored the filter).
        var ignoresOrderDateFilter = false
        /// Serve page 1 whatever page is asked for.
        var ignoresOrderPage = false
        /// Serve at most this many orders a page whatever `limit` asks for.
        var orderPageCap: Int?
        /// The listing of this page fails once with this error (the process dies mid-listing).
        var ordersFailure: (page: Int, error: StoreError)?
    }

    let state = Mutex(State())

    func seed(_ record: CustomerRecord) -> Int {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.customers[id] = StoreCustomer(id: id, record: record)
            return id
        }
    }

    var customers: [StoreCustomer] { state.withLock { Array($0.customers.values).sorted { $0.id < $1.id } } }
    var log: [String] { state.withLock { $0.log } }

    func customer(withEmail email: String) -> StoreCustomer? {
        customers.first { $0.record.emailKey == email.lowercased() }
    }

    private func count(_ kind: String, _ line: String) {
        state.withLock { state in
            state.counts.total += 1
            state.counts.byKind[kind, default: 0] += 1
            state.log.append(line)
        }
    }

    func customerGroups() async throws -> [CustomerGroup] {
        count("groups", "GET groups")
        return try state.withLock { state in
            if let failure = state.groupsFailure { throw failure }
            return state.groups
        }
    }

    func listCustomers(after cursor: String?, groupIDs: [Int]?, limit: Int) async throws -> CustomerPage {
        count("list", "GET list \(cursor ?? "-")")
        let all = customers.filter { groupIDs == nil || groupIDs!.contains($0.record.customerGroupID) }
        let start = Int(cursor ?? "0") ?? 0
        let page = Array(all.dropFirst(start).prefix(limit))
        let next = start + page.count < all.count ? String(start + page.count) : nil
        return CustomerPage(customers: page, nextCursor: next)
    }

    func customers(withEmails emails: [String]) async throws -> [StoreCustomer] {
        count("lookup", "GET email:in \(emails.joined(separator: ","))")
        let keys = Set(emails.map { EmailAddress.comparisonKey($0) })
        return customers.filter { keys.contains($0.record.emailKey) }
    }

    func customers(withIDs ids: [Int]) async throws -> [StoreCustomer] {
        count("lookup", "GET id:in \(ids.map(String.init).joined(separator: ","))")
        return customers.filter { ids.contains($0.id) }
    }

    func createCustomers(_ records: [CustomerRecord]) async throws -> [StoreCustomer] {
        count("create", "POST \(records.map(\.email).joined(separator: ","))")
        return try state.withLock { state in
            if let failure = state.writeFailure { throw failure }
            try Self.check(records.map { ($0, nil) }, in: state)
            let created = records.map { record -> StoreCustomer in
                let customer = StoreCustomer(id: state.nextID, record: record)
                state.nextID += 1
                state.customers[customer.id] = customer
                return customer
            }
            if state.loseNextCreateAnswer {
                state.loseNextCreateAnswer = false
                throw StoreError.createInDoubt(endpoint: "POST /v3/customers", underlying: "connection closed")
            }
            return created
        }
    }

    func updateCustomers(_ updates: [CustomerUpdate]) async throws -> [StoreCustomer] {
        count("update", "PUT \(updates.map { String($0.customerID) }.joined(separator: ","))")
        return try state.withLock { state in
            if let failure = state.writeFailure { throw failure }
            for update in updates where state.customers[update.customerID] == nil {
                throw StoreError.rejected(
                    endpoint: "PUT /v3/customers",
                    status: 422,
                    title: "customer \(update.customerID) not found",
                    errors: [:]
                )
            }
            try Self.check(updates.map { ($0.record, $0.customerID) }, in: state)
            return updates.map { update in
                let customer = StoreCustomer(id: update.customerID, record: update.record)
                state.customers[update.customerID] = customer
                return customer
            }
        }
    }

    func orders(modifiedSince since: Date, page: Int, limit: Int) async throws -> [StoreOrder] {
        count("orders", "GET orders since \(RFC2822Date.format(since)) page \(page)")
        return try state.withLock { state in
            if let failure = state.ordersFailure, failure.page == page {
                state.ordersFailure = nil
                throw failure.error
            }
            // The filter is sent in whole seconds (RFC 2822), and the store compares in whole seconds.
            let floor = Date(timeIntervalSince1970: since.timeIntervalSince1970.rounded(.down))
            let matching = state.orders.values.filter { order in
                state.ignoresOrderDateFilter || UTCTimestamp.parse(order.dateModified)! >= floor
            }
            let sorted = matching.sorted { $0.id < $1.id }
            let served = min(limit, state.orderPageCap ?? limit)
            let start = state.ignoresOrderPage ? 0 : (max(page, 1) - 1) * served
            return Array(sorted.dropFirst(start).prefix(served))
        }
    }

    /// Adds or replaces an order.
    func put(_ order: StoreOrder) {
        state.withLock { $0.orders[order.id] = order }
    }

    func requestCounts() async -> RequestCounts { state.withLock { $0.counts } }

    private static func check(_ items: [(CustomerRecord, Int?)], in state: State) throws {
        precondition(items.count <= 10, "batch over 10")
        var seen = Set<String>()
        for (record, id) in items {
            let key = record.emailKey
            if state.refusedEmails.contains(key) || !seen.insert(key).inserted
                || state.customers.values.contains(where: { $0.record.emailKey == key && $0.id != id })
            {
                throw StoreError.rejected(
                    endpoint: "POST /v3/customers",
                    status: 422,
                    title: "Create customers failed.",
                    errors: ["email": "email \(record.email) cannot be used"]
                )
            }
        }
    }
}
