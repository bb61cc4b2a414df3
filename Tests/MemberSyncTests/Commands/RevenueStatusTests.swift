import Foundation
import Testing

@testable import MemberSync

/// `status` and the metrics file say when revenue was last recorded, and whether the last pass failed.
@Suite struct RevenueStatusTests {
    func revenuePass(_ harness: CommandHarness) async throws -> RevenuePassResult {
        let recorder = RevenueRecorder(
            store: harness.engine.store,
            state: try StateStore(path: harness.engine.statePath),
            mctradePath: harness.engine.mctrade.path,
            logger: Logger(label: "test", handler: harness.engine.logs)
        )
        return try await recorder.recordRecentOrders()
    }

    func report(_ harness: CommandHarness) async throws -> StatusReport {
        try await StatusCommand.makeReport(context: harness.context(), store: nil, limits: .init())
    }

    @Test func statusAndMetricsShowTheLastRevenuePassAndTheLastSuccess() async throws {
        let harness = try CommandHarness()
        try harness.engine.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try await harness.engine.sync()
        #expect(try await report(harness).text().contains("  last revenue:      never"))
        #expect(
            MetricsFile.render(try await report(harness).snapshot, requests: RequestCounts())
                .contains("membersync_revenue_last_success_timestamp_seconds 0\n")
        )

        let customer = try #require(try harness.engine.state().links()[101])
        let now = ISO8601.string(from: Date())
        harness.engine.store.put(
            StoreOrder(
                id: 7,
                customerID: customer,
                statusID: 11,
                status: "Awaiting Fulfillment",
                totalIncTax: "10.0000",
                currencyCode: "USD",
                dateCreated: now,
                dateModified: now
            )
        )
        _ = try await revenuePass(harness)
        let okRun = try #require(try harness.engine.state().lastRevenueRun())
        var report = try await report(harness)
        #expect(report.isHealthy)
        #expect(
            report.text().contains("  last revenue:      \(okRun.finishedAt) ok (live): 1 new, 0 changed, requests 1")
        )
        let okAt = try #require(ISO8601.date(from: okRun.finishedAt))
        var metrics = MetricsFile.render(report.snapshot, requests: RequestCounts())
        #expect(
            metrics.contains("membersync_revenue_last_success_timestamp_seconds \(Int64(okAt.timeIntervalSince1970))\n")
        )
        #expect(metrics.contains("membersync_revenue_last_pass_succeeded 1\n"))

        let failure = StoreError.unavailable(endpoint: "GET /v2/orders", attempts: 3, lastError: "503")
        harness.engine.store.state.withLock { $0.ordersFailure = (1, failure) }
        await #expect(throws: StoreError.self) { try await revenuePass(harness) }
        report = try await self.report(harness)
        let text = report.text()
        #expect(text.contains("failed (live)"))
        #expect(text.contains("GET /v2/orders"))
        #expect(text.contains("last success \(okRun.finishedAt)"))
        let json = report.json()
        #expect(json.contains("\"last_successful_revenue_pass\" : \"\(okRun.finishedAt)\""))
        metrics = MetricsFile.render(report.snapshot, requests: RequestCounts())
        #expect(
            metrics.contains("membersync_revenue_last_success_timestamp_seconds \(Int64(okAt.timeIntervalSince1970))\n")
        )
        #expect(metrics.contains("membersync_revenue_last_pass_succeeded 0\n"))
    }
}
