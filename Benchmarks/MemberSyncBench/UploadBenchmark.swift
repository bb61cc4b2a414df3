import BCSandbox
import Foundation

/// The first upload into an empty store and a second full sync over the store it left, for one mode.
struct UploadFigures: Sendable {
    /// Customers in the store after the first upload.
    var customers: Int
    var first: RequestTally
    var firstUsage: ChildUsage
    var second: RequestTally
    var secondUsage: ChildUsage

    var requestsPerCustomer: Double { customers == 0 ? 0 : Double(first.total) / Double(customers) }
}

enum UploadBenchmark {
    /// `membersync sync --full` twice: into the empty store, then over the store it filled.
    static func membersync(_ workspace: BenchWorkspace) async throws -> UploadFigures {
        try await workspace.admin.clearRequests()
        let firstUsage = try await workspace.runMembersync(["sync", "--full"])
        let first = RequestTally(try await workspace.admin.requests())
        let customers = try await workspace.admin.dump().customers.count
        try await workspace.admin.clearRequests()
        let secondUsage = try await workspace.runMembersync(["sync", "--full"])
        let second = RequestTally(try await workspace.admin.requests())
        return UploadFigures(
            customers: customers,
            first: first,
            firstUsage: firstUsage,
            second: second,
            secondUsage: secondUsage
        )
    }

    /// The naive sync twice, into an emptied store and then over the store it filled.
    static func naive(_ workspace: BenchWorkspace) async throws -> UploadFigures {
        try await workspace.resetStore()
        let (firstUsage, _) = try await workspace.runNaive(summaryName: "naive-first.json")
        let first = RequestTally(try await workspace.admin.requests())
        let customers = try await workspace.admin.dump().customers.count
        try await workspace.admin.clearRequests()
        let (secondUsage, _) = try await workspace.runNaive(summaryName: "naive-second.json")
        let second = RequestTally(try await workspace.admin.requests())
        return UploadFigures(
            customers: customers,
            first: first,
            firstUsage: firstUsage,
            second: second,
            secondUsage: secondUsage
        )
    }
}
