import Foundation
import Testing

@testable import MemberSync

/// The state file: links, last accepted records, outbox, report, runs, and the process lock beside it.
@Suite struct StateStoreTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var path: String { directory.appendingPathComponent("state.sqlite").path }

    let record = CustomerRecord(
        email: "Ada@Example.test",
        firstName: "Ada",
        lastName: "K",
        company: "",
        phone: "",
        customerGroupID: 4
    )

    @Test func stateFileUsesWriteAheadLogAndSurvivesReopening() throws {
        let state = try StateStore(path: path)
        try state.setCursor(42)
        try state.link(profileID: 1, customerID: 100)
        try state.recordSent(record, customerID: 100)
        let reopened = try StateStore(path: path)
        #expect(try reopened.cursor() == 42)
        #expect(try reopened.links() == [1: 100])
        #expect(try reopened.lastSentRecords()[100] == record)
        #expect(try reopened.lastSent(customerID: 100)?.record.email == "Ada@Example.test")
        #expect(try reopened.database.scalar("PRAGMA journal_mode").string == "wal")
    }

    @Test func aCustomerIsLinkedToAtMostOneProfile() throws {
        let state = try StateStore(path: path)
        try state.link(profileID: 1, customerID: 100)
        try state.link(profileID: 2, customerID: 100)
        #expect(try state.links() == [2: 100])
        try state.link(profileID: 2, customerID: 200)
        #expect(try state.links() == [2: 200])
    }

    @Test func outboxCoalescesAndANewChangeReleasesAHeldProfile() throws {
        let state = try StateStore(path: path)
        try state.enqueue(profileIDs: [1, 2, 1], changeID: 5)
        #expect(try state.outbox().map(\.profileID) == [1, 2])
        try state.failOutbox(profileID: 1, error: "refused", holdFingerprint: record.fingerprint)
        #expect(try state.outbox().first { $0.profileID == 1 }?.isHeld == true)
        try state.enqueue(profileIDs: [1], changeID: 6)
        let entry = try state.outbox().first { $0.profileID == 1 }
        #expect(entry?.isHeld == false)
        #expect(entry?.heldFingerprint == nil)
        try state.completeOutbox(profileID: 1)
        #expect(try state.outbox().map(\.profileID) == [2])
    }

    @Test func retryReleasesHeldProfiles() throws {
        let state = try StateStore(path: path)
        try state.failOutbox(profileID: 7, error: "refused", holdFingerprint: "x")
        try state.failOutbox(profileID: 8, error: "refused", holdFingerprint: "y")
        #expect(try state.releaseHeld(profileIDs: [7]) == 1)
        #expect(try state.outbox().filter(\.isHeld).map(\.profileID) == [8])
        #expect(try state.releaseHeld(profileIDs: nil) == 1)
    }

    @Test func reportReplacementKeepsStoreRefusalsUntilTheProfileSucceeds() throws {
        let state = try StateStore(path: path)
        try state.addReport(ReportEntry(profileID: 1, code: .storeRejected, message: "refused"))
        try state.addReport(ReportEntry(profileID: 1, code: .missingName, field: "first_name", message: "empty"))
        try state.replaceReport(
            for: [1],
            with: [ReportEntry(profileID: 1, code: .invalidEmail, field: "email", message: "bad")]
        )
        #expect(Set(try state.report().map(\.code)) == [.storeRejected, .invalidEmail])
        try state.clearReport(profileID: 1, code: .storeRejected)
        #expect(try state.report().map(\.code) == [.invalidEmail])
    }

    @Test func runHistoryKeepsCountsNewestFirst() throws {
        let state = try StateStore(path: path)
        let first = try state.startRun(kind: "full")
        var counts = RunCounts()
        counts.created = 3
        try state.finishRun(first, result: "ok", counts: counts, message: nil)
        let second = try state.startRun(kind: "changes")
        try state.finishRun(second, result: "partial", counts: RunCounts(), message: "x")
        let runs = try state.runs()
        #expect(runs.map(\.kind) == ["changes", "full"])
        #expect(runs.last?.counts.created == 3)
        #expect(try state.runs(kind: "full").count == 1)
    }

    @Test func secondLockOnTheSameStateFileSaysWhoHoldsIt() throws {
        let first = try ProcessLock.acquire(statePath: path, command: "run", timeout: 0)
        #expect(first.lock != nil)
        let second = try ProcessLock.acquire(statePath: path, command: "sync", timeout: 0.2)
        #expect(second.lock == nil)
        #expect(second.holder?.pid == getpid())
        #expect(second.holder?.command == "run")
        #expect(ProcessLock.currentHolder(statePath: path)?.command == "run")
        first.lock?.release()
        #expect(ProcessLock.currentHolder(statePath: path) == nil)
        #expect(try ProcessLock.acquire(statePath: path, command: "sync", timeout: 0).lock != nil)
    }

    @Test func newStateFileIsReadableByItsOwnerOnly() throws {
        let state = try StateStore(path: path)
        try state.setCursor(1)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let walMode = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.posixPermissions] as? Int
        #expect(walMode == 0o600)
    }
}
