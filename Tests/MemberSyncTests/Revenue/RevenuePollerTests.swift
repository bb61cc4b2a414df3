import Foundation
import Testing

@testable import MemberSync

/// When the service runs revenue passes: at once, then every interval, and after every full sync.
@Suite struct RevenuePollerTests {
    private func poller(_ harness: RevenueHarness) throws -> RevenuePoller {
        let clock = harness.clock
        return RevenuePoller(
            recorder: try harness.recorder(),
            interval: .seconds(60),
            logger: Logger(label: "test", level: .debug, handler: harness.logs),
            now: { clock.now }
        )
    }

    @Test func runsAtOnceThenEveryIntervalAndAtOnceAfterEveryFullSync() async throws {
        let harness = try RevenueHarness()
        let poller = try poller(harness)
        #expect(await poller.runIfDue()?.kind == .live)
        harness.advance(seconds: 30)
        await poller.noteSyncPass(PassResult(kind: .changes, outcome: .ok))
        #expect(await poller.runIfDue() == nil)
        var dryRun = PassResult(kind: .full, outcome: .ok)
        dryRun.isDryRun = true
        await poller.noteSyncPass(dryRun)
        #expect(await poller.runIfDue() == nil)
        // A refused full sync changed no link: nothing for a revenue pass to catch up on.
        await poller.noteSyncPass(PassResult(kind: .full, outcome: .refused))
        #expect(await poller.runIfDue() == nil)
        await poller.noteSyncPass(PassResult(kind: .full, outcome: .partial))
        #expect(await poller.runIfDue()?.kind == .full)
        #expect(await poller.runIfDue() == nil)
        harness.advance(seconds: 60)
        #expect(await poller.runIfDue()?.kind == .live)
        #expect(await harness.ordersRequests() == 3)
    }

    @Test func aFailingPassIsLoggedOnceAndTriedAgainAtTheNextInterval() async throws {
        let harness = try RevenueHarness()
        let poller = try poller(harness)
        let failure = StoreError.unavailable(endpoint: "GET /v2/orders", attempts: 3, lastError: "refused")
        for _ in 0..<2 {
            harness.store.state.withLock { $0.ordersFailure = (1, failure) }
            #expect(await poller.runIfDue() == nil)
            harness.advance(seconds: 10)
            #expect(await poller.runIfDue() == nil)
            harness.advance(seconds: 50)
        }
        #expect(harness.logs.messages.filter { $0.contains("revenue pass failed") }.count == 1)
        #expect(await harness.ordersRequests() == 2)
        #expect(await poller.runIfDue() != nil)
        #expect(harness.logs.messages.contains("revenue recovered"))
    }

    @Test func theSummaryLineHasCountsRequestsAndDuration() async throws {
        let harness = try RevenueHarness()
        try harness.link(profile: 1, customer: 11)
        harness.order(501, customer: 11)
        let poller = try poller(harness)
        let result = try #require(await poller.runIfDue())
        #expect(result.inserted == 1)
        let line = try #require(harness.logs.records.last { $0.message == "revenue recorded" })
        #expect(line.level == .info)
        #expect(line.metadata["revenue.requests"] == "1")
        #expect(line.metadata["revenue.inserted"] == "1")
        #expect(line.metadata["revenue.listed"] == "1")
        #expect(line.metadata["duration.ms"] == "\(result.duration.milliseconds)")
        #expect(result.summary.hasSuffix("; took \(result.duration.milliseconds) ms"))
    }
}
