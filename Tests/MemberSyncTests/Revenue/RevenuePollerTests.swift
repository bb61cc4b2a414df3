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

    @Test func runsAtOnceThenEveryIntervalAndAfterEveryFullSync() async throws {
        let harness = try RevenueHarness()
        let poller = try poller(harness)
        let changePass = PassResult(kind: .changes, outcome: .ok)
        #expect(await poller.afterPass(changePass)?.kind == .live)
        harness.advance(seconds: 30)
        #expect(await poller.afterPass(changePass) == nil)
        #expect(await poller.afterPass(nil) == nil)
        #expect(await poller.afterPass(PassResult(kind: .full, outcome: .partial))?.kind == .full)
        var dryRun = PassResult(kind: .full, outcome: .ok)
        dryRun.isDryRun = true
        #expect(await poller.afterPass(dryRun) == nil)
        harness.advance(seconds: 60)
        #expect(await poller.afterPass(nil)?.kind == .live)
        #expect(await harness.ordersRequests() == 3)
    }

    @Test func aFailingPassIsLoggedOnceAndTriedAgainAtTheNextInterval() async throws {
        let harness = try RevenueHarness()
        let poller = try poller(harness)
        let failure = StoreError.unavailable(endpoint: "GET /v2/orders", attempts: 3, lastError: "refused")
        for _ in 0..<2 {
            harness.store.state.withLock { $0.ordersFailure = (1, failure) }
            #expect(await poller.afterPass(nil) == nil)
            harness.advance(seconds: 10)
            #expect(await poller.afterPass(nil) == nil)
            harness.advance(seconds: 50)
        }
        #expect(harness.logs.messages.filter { $0.contains("revenue pass failed") }.count == 1)
        #expect(await harness.ordersRequests() == 2)
        #expect(await poller.afterPass(nil) != nil)
        #expect(harness.logs.messages.contains("revenue recovered"))
    }
}
