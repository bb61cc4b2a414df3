import Foundation
import MCTradeDemo
import SQLiteDB
import Testing

@testable import MemberSync

/// Writing MC Trade's `profile_revenue`: upserts that never go back in time, only changed rows written,
/// and out of MC Trade's way.
@Suite struct ProfileRevenueTableTests {
    private func row(_ id: Int, status: String = "Shipped", updatedAt: String) -> RevenueRow {
        RevenueRow(
            orderID: id,
            profileID: 101,
            customerID: 11,
            status: status,
            totalIncTax: "9.9900",
            currencyCode: "EUR",
            orderedAt: "2026-03-01T10:00:00.000Z",
            updatedAt: updatedAt
        )
    }

    @Test func anOlderVersionOfAnOrderNeverOverwritesANewerOne() throws {
        let harness = try RevenueHarness()
        let table = try ProfileRevenueTable(path: harness.mctrade.path)
        _ = try table.write([row(1, status: "Refunded", updatedAt: "2026-03-01T12:00:00.000Z")])
        let counts = try table.write([row(1, status: "Shipped", updatedAt: "2026-03-01T11:00:00.000Z")])
        #expect(counts.unchanged == 1 && counts.updated == 0)
        #expect(try table.current(orderIDs: [1])[1]?.status == "Refunded")
    }

    @Test func unchangedRowsTakeNoWriteLock() throws {
        let harness = try RevenueHarness()
        let table = try ProfileRevenueTable(path: harness.mctrade.path, busyTimeoutMilliseconds: 50)
        let first = row(1, updatedAt: "2026-03-01T12:00:00.000Z")
        _ = try table.write([first])
        // MC Trade holds its write lock: writing the same row again still succeeds, as it writes nothing.
        try harness.mctrade.database.execute("BEGIN IMMEDIATE")
        defer { try? harness.mctrade.database.execute("ROLLBACK") }
        #expect(try table.write([first]).unchanged == 1)
        #expect(throws: RevenueError.self) { try table.write([row(2, updatedAt: "2026-03-01T12:00:00.000Z")]) }
    }

    @Test func aLockedMCTradeFailsThePassAndLeavesTheMark() async throws {
        let harness = try RevenueHarness()
        harness.options.busyTimeoutMilliseconds = 50
        try harness.link(profile: 101, customer: 11)
        harness.order(1, customer: 11, modified: -5)
        try harness.mctrade.database.execute("BEGIN IMMEDIATE")
        await #expect(throws: RevenueError.self) { try await harness.live() }
        try harness.mctrade.database.execute("ROLLBACK")
        #expect(try harness.state().revenueMark() == nil)
        #expect(try await harness.live().inserted == 1)
    }

    @Test func neverCreatesMCTradesFileOrTable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("revenue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.sqlite").path
        #expect(throws: RevenueError.self) { try ProfileRevenueTable(path: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))

        let bare = directory.appendingPathComponent("bare.sqlite").path
        try Database(path: bare).execute("CREATE TABLE profiles (profile_id INTEGER PRIMARY KEY)")
        do {
            _ = try ProfileRevenueTable(path: bare)
            Issue.record("a file without profile_revenue was accepted")
        } catch let error as RevenueError {
            #expect("\(error)".contains("'profile_revenue' is missing"))
        }
    }

    @Test(arguments: [
        ("2026-01-15", "America/Chicago", "2026-01-15T06:00:00.000Z"),
        ("2026-01-15", "UTC", "2026-01-15T00:00:00.000Z"),
        ("2026-01-15T05:30:00Z", "America/Chicago", "2026-01-15T05:30:00.000Z"),
        ("2026-01-15T05:30:00.250-06:00", "UTC", "2026-01-15T11:30:00.250Z"),
    ])
    func backfillDatesAreReadInTheConfiguredZoneUnlessTheyCarryOne(text: String, zone: String, expected: String) throws
    {
        let date = try RevenueCommand.parseSince(text, timeZone: TimeZone(identifier: zone)!)
        #expect(ISO8601.string(from: date) == expected)
    }

    @Test(arguments: ["yesterday", "2026-13-01", "2026-01-15T05:30:00", "15/01/2026"])
    func badBackfillDatesAreUsageErrors(text: String) {
        #expect(throws: UsageError.self) { try RevenueCommand.parseSince(text, timeZone: .gmt) }
    }
}

/// Order times read without a formatter.
@Suite struct UTCTimestampTests {
    @Test(arguments: ["2026-03-01T12:00:00Z", "2024-02-29T23:59:59.250Z", "1999-12-31T00:00:00.000Z"])
    func readsWhatTheFormatterReads(text: String) {
        #expect(UTCTimestamp.parse(text) == ISO8601.date(from: text))
    }

    @Test(arguments: [
        "2026-03-01T12:00:00", "2026-03-01 12:00:00Z", "2026-13-01T12:00:00Z", "2026-03-01T12:00:00+01:00", "",
    ])
    func refusesAnythingElse(text: String) {
        #expect(UTCTimestamp.parse(text) == nil)
    }
}
