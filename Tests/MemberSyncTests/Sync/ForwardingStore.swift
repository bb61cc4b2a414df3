import Foundation

@testable import MemberSync

/// A test store that passes every request to an in-memory store: a slow, stuck or holding double
/// conforms and implements only the requests it changes.
protocol ForwardingStore: CustomerStore {
    var base: InMemoryStore { get }
}

extension ForwardingStore {
    func customerGroups() async throws -> [CustomerGroup] { try await base.customerGroups() }

    func listCustomers(after cursor: String?, groupIDs: [Int]?, limit: Int) async throws -> CustomerPage {
        try await base.listCustomers(after: cursor, groupIDs: groupIDs, limit: limit)
    }

    func customers(withEmails emails: [String]) async throws -> [StoreCustomer] {
        try await base.customers(withEmails: emails)
    }

    func customers(withIDs ids: [Int]) async throws -> [StoreCustomer] { try await base.customers(withIDs: ids) }

    func createCustomers(_ records: [CustomerRecord]) async throws -> [StoreCustomer] {
        try await base.createCustomers(records)
    }

    func updateCustomers(_ updates: [CustomerUpdate]) async throws -> [StoreCustomer] {
        try await base.updateCustomers(updates)
    }

    func orders(modifiedSince since: Date, page: Int, limit: Int) async throws -> [StoreOrder] {
        try await base.orders(modifiedSince: since, page: page, limit: limit)
    }

    func requestCounts() async -> RequestCounts { await base.requestCounts() }
}
