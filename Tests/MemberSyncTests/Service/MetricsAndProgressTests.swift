import Foundation
import Synchronization
import Testing

@testable import MemberSync

/// The metrics file (content and atomic write), the progress reporter, and what the logs hold.
@Suite struct MetricsAndProgressTests {
    @Test func metricsFromARealStateFileAreWrittenAtomically() async throws {
        let harness = try EngineHarness()
        try harness.member(101, "Ada", "Kovacs", email: "ada@example.test")
        try harness.member(102, "Ben", "Ode", email: "ben@example.test")
        try harness.member(103, "Cy", "Vale", email: "cy@example.test")
        harness.store.state.withLock { $0.refusedEmails = ["cy@example.test"] }
        try await harness.sync()
        try harness.member(104, "Dee", "Nu", email: "dee@example.test")

        let snapshot = try AgentSnapshot.read(state: harness.state(), source: MCTradeSource(path: harness.mctrade.path))
        var requests = RequestCounts()
        requests.succeeded = 7
        requests.rateLimited = 2
        let text = MetricsFile.render(snapshot, requests: requests)
        #expect(text.contains("membersync_changelog_lag 1\n"))
        #expect(text.contains("membersync_failed_profiles 1\n"))
        #expect(text.contains("membersync_customers{group=\"4\"} 2\n"))
        #expect(text.contains("membersync_store_requests_total{outcome=\"rate_limited\"} 2\n"))
        #expect(text.contains("membersync_store_rate_limited_total 2\n"))
        #expect(text.contains("# TYPE membersync_store_requests_total counter\n"))
        // One profile failed, so the full sync was partial: never a successful one.
        #expect(snapshot.lastSuccessfulFullSync == nil)
        #expect(text.contains("membersync_last_successful_full_sync_timestamp_seconds 0\n"))

        let path = harness.directory.appendingPathComponent("membersync.prom").path
        try MetricsFile(path: path).write(text)
        try MetricsFile(path: path).write(text + "# again\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text + "# again\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: harness.directory.path).filter {
            $0.hasSuffix(".tmp")
        }
        #expect(leftovers.isEmpty)
        #expect(throws: MetricsFileError.self) { try MetricsFile(path: "/nonexistent/dir/m.prom").write(text) }
    }

    @Test func logModeWritesALineEveryFewSecondsWithRateAndTimeLeft() {
        let clock = Mutex(Date(timeIntervalSince1970: 0))
        let logs = InMemoryLogHandler()
        let reporter = ProgressReporter(
            mode: .log,
            logger: Logger(label: "test", handler: logs),
            logInterval: 5,
            now: { clock.withLock { $0 } }
        )
        reporter.report(SyncProgress(done: 0, total: 100))
        for step in 1...10 {
            clock.withLock { $0 = $0.addingTimeInterval(1) }
            reporter.report(SyncProgress(done: step * 10, total: 100))
        }
        let lines = logs.records
        #expect(lines.count == 2)
        #expect(lines[0].metadata["done"] == "50")
        #expect(lines[0].metadata["rate.per_s"] == "10.0")
        #expect(lines[0].metadata["eta.s"] == "5")
        #expect(lines[1].metadata["done"] == "100")
    }

    @Test func terminalModeRewritesOneLineAndEndsItWhenDone() {
        let clock = Mutex(Date(timeIntervalSince1970: 0))
        let output = Mutex("")
        let reporter = ProgressReporter(
            mode: .terminal,
            logger: Logger(label: "test", handler: InMemoryLogHandler()),
            now: { clock.withLock { $0 } },
            write: { text in output.withLock { $0 += text } }
        )
        reporter.report(SyncProgress(done: 0, total: 3000))
        clock.withLock { $0 = $0.addingTimeInterval(64) }
        reporter.report(SyncProgress(done: 120, total: 3000))
        clock.withLock { $0 = $0.addingTimeInterval(1) }
        reporter.report(SyncProgress(done: 3000, total: 3000))
        let text = output.withLock { $0 }
        #expect(text.contains("\r  120/3000 (4 %)  1.9/s  about 25m36s left"))
        #expect(text.hasSuffix("3000/3000 (100 %)  46.2/s  done      \n"))
        reporter.report(SyncProgress(done: 1, total: 2))
        #expect(output.withLock { $0 } == text)
    }

    @Test func theEngineReportsProgressAndItsSummaryLineCarriesDurationButNoPersonalData() async throws {
        let harness = try EngineHarness()
        for id in 101...125 { try harness.member(id, "Name\(id)", "Surname", email: "person\(id)@example.test") }
        let seen = Mutex<[SyncProgress]>([])
        harness.options.onProgress = { progress in seen.withLock { $0.append(progress) } }
        try await harness.sync()
        let reports = seen.withLock { $0 }
        #expect(reports.first == SyncProgress(done: 0, total: 25))
        #expect(reports.last == SyncProgress(done: 25, total: 25))
        #expect(reports.count == 2)

        let lines = harness.logs.records.filter { $0.level >= .info }.map(StreamLogHandler.format)
        let summary = try #require(lines.first { $0.contains("msg=\"pass finished\"") })
        #expect(summary.contains("duration.ms="))
        #expect(summary.contains("created=25"))
        #expect(!lines.contains { $0.contains("@example.test") || $0.contains("Surname") })
    }

    @Test func emailsInErrorTextsAreMasked() {
        let text = "store refused PUT /v3/customers with 422: (email: email Ada@x.test cannot be used; 'b@y.test')"
        #expect(
            LogPrivacy.maskingEmails(text)
                == "store refused PUT /v3/customers with 422: (email: email <email> cannot be used; '<email>')"
        )
    }
}
