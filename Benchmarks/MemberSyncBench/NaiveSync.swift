import Foundation
import MemberSync

/// The sync a simple integration does, for comparison: every profile the rules upload is sent on its
/// own, after an email lookup, whether or not the store already holds the same record. It shares the
/// rules and the store client (pacing, retries) with membersync; only the way it uses the store differs.
struct NaiveSync {
    /// What one pass did; written as JSON for the benchmark that started it.
    struct Summary: Codable, Sendable {
        var profiles = 0
        var lookups = 0
        var created = 0
        var updated = 0
        var failed = 0
        var seconds = 0.0
    }

    let mctradePath: String
    let store: BigCommerceClient

    /// One pass over every uploadable profile, in profile order.
    func run() async throws -> Summary {
        let started = ContinuousClock.now
        let snapshot = try MCTradeSource(path: mctradePath).readSnapshot()
        guard let settings = snapshot.settings else { throw BenchError("MC Trade has no bigcommerce_settings row") }
        let today = CalendarDay(date: Date(), timeZone: TimeZone(identifier: "UTC")!)
        let evaluations = MembershipRules(settings: settings, today: today, graceDays: 0).evaluateAll(snapshot)
        var summary = Summary()
        for evaluation in evaluations.values.sorted(by: { $0.profileID < $1.profileID }) {
            guard evaluation.isUploadable, let record = evaluation.record else { continue }
            summary.profiles += 1
            do {
                try await send(record, summary: &summary)
            } catch {
                summary.failed += 1
            }
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        return summary
    }

    /// Looks the email up, then updates the customer found or creates one.
    private func send(_ record: CustomerRecord, summary: inout Summary) async throws {
        summary.lookups += 1
        let found = try await store.customers(withEmails: [record.email])
        if let customer = found.first {
            _ = try await store.updateCustomers([CustomerUpdate(customerID: customer.id, record: record)])
            summary.updated += 1
        } else {
            _ = try await store.createCustomers([record])
            summary.created += 1
        }
    }

    /// `membersync-bench naive --mctrade FILE --api-url URL --store-hash HASH --summary FILE`, with the
    /// token in `BIGCOMMERCE_ACCESS_TOKEN`.
    static func main(_ options: BenchOptions) async throws {
        guard let mctrade = options.value("--mctrade"), let url = options.value("--api-url").flatMap(URL.init),
            let storeHash = options.value("--store-hash"), let summaryPath = options.value("--summary"),
            let token = ProcessInfo.processInfo.environment["BIGCOMMERCE_ACCESS_TOKEN"]
        else {
            throw BenchError("naive needs --mctrade, --api-url, --store-hash, --summary and BIGCOMMERCE_ACCESS_TOKEN")
        }
        let client = try BigCommerceClient(
            configuration: .init(apiURL: url, storeHash: storeHash, accessToken: token)
        )
        let summary = try await NaiveSync(mctradePath: mctrade, store: client).run()
        try JSONEncoder().encode(summary).write(to: URL(fileURLWithPath: summaryPath))
    }
}
