import Foundation
import MCTradeDemo
import SQLiteDB
import Testing

@testable import MemberSync

/// The engine's safety rails and its reactions to a change log that moved under it.
@Suite struct SyncEngineSafetyTests {
    func harnessWithMembers(_ count: Int, nonmembers: Bool = false) async throws -> EngineHarness {
        let harness = try EngineHarness(includeNonmembers: nonmembers)
        for id in 1...count { try harness.member(id, "First\(id)", "Last", email: "p\(id)@example.test") }
        try await harness.sync()
        return harness
    }

    @Test func fullSyncRefusesToEmptyTheGroupsWhenMCTradeYieldsNobody() async throws {
        let harness = try await harnessWithMembers(5)
        try harness.mctrade.execute("DELETE FROM relationships; DELETE FROM profiles")
        let result = try await harness.fullSync()
        #expect(result.outcome == .refused)
        #expect(result.messages.joined().contains("no profiles"))
        #expect(harness.store.customers.allSatisfy { $0.record.customerGroupID == 4 })

        let forced = try await harness.fullSync(force: true)
        #expect(forced.outcome == .ok)
        #expect(harness.store.customers.allSatisfy { $0.record.customerGroupID == 0 })
    }

    /// With non-members on, a lapsed member moves to the non-member group instead of group 0: member
    /// pricing is lost all the same, and the rail counts it.
    @Test(arguments: [false, true])
    func fullSyncRefusesToMoveMoreThanTheAllowedShareOutOfTheirGroup(nonmembers: Bool) async throws {
        let harness = try await harnessWithMembers(10, nonmembers: nonmembers)
        for id in 1...3 { try harness.mctrade.updateProfile(id: id, set: ["is_member": 0]) }
        let result = try await harness.fullSync()
        #expect(result.outcome == .refused)
        #expect(result.messages.joined().contains("3 of 10"))
        #expect(harness.store.customers.filter { $0.record.customerGroupID == 4 }.count == 10)

        try harness.mctrade.updateProfile(id: 3, set: ["is_member": 1])
        let allowed = try await harness.fullSync()
        #expect(allowed.outcome == .ok)
        #expect(harness.store.customers.filter { $0.record.customerGroupID == 4 }.count == 8)
        #expect(harness.store.customers.filter { $0.record.customerGroupID == 3 }.count == (nonmembers ? 2 : 0))
    }

    @Test func fullSyncRailCountsNonMembersWhoWouldLoseTheirGroup() async throws {
        let harness = try EngineHarness(includeNonmembers: true)
        for id in 1...10 {
            try harness.mctrade.insertIndividual(
                id: id,
                firstName: "First\(id)",
                lastName: "Last",
                email: "p\(id)@example.test",
                isMember: false
            )
        }
        try await harness.sync()
        #expect(harness.store.customers.filter { $0.record.customerGroupID == 3 }.count == 10)
        for id in 1...3 { try harness.mctrade.updateProfile(id: id, set: ["status": "inactive"]) }
        let result = try await harness.fullSync()
        #expect(result.outcome == .refused)
        #expect(result.messages.joined().contains("3 of 10"))
        #expect(harness.store.customers.filter { $0.record.customerGroupID == 3 }.count == 10)
    }

    @Test func changeLogPurgedPastTheCursorTriggersAFullSync() async throws {
        let harness = try await harnessWithMembers(2)
        try harness.mctrade.updateProfile(id: 1, set: ["phone": "1"])
        try harness.mctrade.updateProfile(id: 2, set: ["phone": "2"])
        _ = try harness.mctrade.purgeChanges(through: try harness.mctrade.maxChangeID())
        try harness.mctrade.updateProfile(id: 1, set: ["last_name": "Later"])
        let result = try await harness.sync()
        #expect(result.kind == .full)
        #expect(harness.store.customer(withEmail: "p2@example.test")?.record.phone == "2")
        #expect(harness.store.customer(withEmail: "p1@example.test")?.record.lastName == "Later")
    }

    @Test func mcTradeRestoredFromAnOlderCopyTriggersAFullSync() async throws {
        let harness = try EngineHarness()
        try harness.member(1, "Ada", "One", email: "ada@example.test")
        let backup = harness.directory.appendingPathComponent("backup.sqlite").path
        try harness.mctrade.execute("VACUUM INTO '\(backup)'")
        try harness.member(2, "Bob", "Two", email: "bob@example.test")
        try harness.mctrade.updateProfile(id: 2, set: ["phone": "3"])
        try await harness.sync()
        #expect(harness.store.customers.count == 2)

        try FileManager.default.removeItem(atPath: harness.mctrade.path)
        try? FileManager.default.removeItem(atPath: harness.mctrade.path + "-wal")
        try? FileManager.default.removeItem(atPath: harness.mctrade.path + "-shm")
        try FileManager.default.copyItem(atPath: backup, toPath: harness.mctrade.path)
        let result = try await harness.sync()
        #expect(result.kind == .full)
        // Bob is missing from the restored copy: one of two linked customers would leave, past the rail.
        #expect(result.outcome == .refused)
        #expect(harness.store.customer(withEmail: "bob@example.test")?.record.customerGroupID == 4)
        #expect(try await harness.fullSync(force: true).outcome == .ok)
        #expect(harness.store.customer(withEmail: "bob@example.test")?.record.customerGroupID == 0)
    }

    @Test func missingMCTradeFileIsAnErrorNotEveryoneLeaving() async throws {
        let harness = try await harnessWithMembers(3)
        let moved = harness.mctrade.path + ".away"
        try FileManager.default.moveItem(atPath: harness.mctrade.path, toPath: moved)
        await #expect(throws: SourceError.self) { try await harness.sync() }
        await #expect(throws: SourceError.self) { try await harness.fullSync() }
        #expect(harness.store.customers.allSatisfy { $0.record.customerGroupID == 4 })
        try FileManager.default.moveItem(atPath: moved, toPath: harness.mctrade.path)
        #expect(try await harness.sync().outcome == .ok)
    }

    @Test func cursorAndOutboxMoveTogetherAndWorkSurvivesAFailedPass() async throws {
        let harness = try await harnessWithMembers(2)
        harness.store.state.withLock {
            $0.writeFailure = .unavailable(endpoint: "PUT /v3/customers", attempts: 5, lastError: "status 503")
        }
        try harness.mctrade.updateProfile(id: 1, set: ["last_name": "Changed"])
        await #expect(throws: StoreError.self) { try await harness.sync() }
        let state = try harness.state()
        #expect(try state.cursor() == Int64(try harness.mctrade.maxChangeID()))
        #expect(try state.outbox().map(\.profileID) == [1])

        harness.store.state.withLock { $0.writeFailure = nil }
        #expect(try await harness.sync().outcome == .ok)
        #expect(harness.store.customer(withEmail: "p1@example.test")?.record.lastName == "Changed")
        #expect(try harness.state().outbox().isEmpty)
    }

    @Test func unauthorizedStopsWritesAndKeepsTheWork() async throws {
        let harness = try await harnessWithMembers(2)
        harness.store.state.withLock { $0.writeFailure = .unauthorized(endpoint: "PUT /v3/customers") }
        try harness.mctrade.updateProfile(id: 2, set: ["last_name": "Changed"])
        await #expect(throws: SyncError.self) { try await harness.sync() }
        #expect(try harness.state().meta(MetaKey.writesStopped)?.contains("token") == true)
        #expect(try harness.state().outbox().map(\.profileID) == [2])

        harness.store.state.withLock { $0.writeFailure = nil }
        #expect(try await harness.sync().outcome == .ok)
        #expect(try harness.state().meta(MetaKey.writesStopped) == nil)
    }

    @Test func groupDeletedInTheStoreStopsAllWrites() async throws {
        let harness = try await harnessWithMembers(2)
        harness.store.state.withLock { $0.groups.removeAll { $0.id == 4 } }
        harness.store.state.withLock {
            $0.writeFailure = .rejected(endpoint: "PUT /v3/customers", status: 422, title: "group", errors: [:])
        }
        try harness.mctrade.updateProfile(id: 1, set: ["last_name": "Changed"])
        await #expect(throws: SyncError.self) { try await harness.sync() }
        #expect(try harness.state().outbox().allSatisfy { !$0.isHeld })
        await #expect(throws: SyncError.self) { try await harness.fullSync() }
    }

    /// A change pass trusts the group list for 5 minutes (no groups request per pass), then asks the
    /// store again before writing: a group deleted since is caught before anything is sent.
    @Test func changePassReadsTheGroupListAgainOnceItIsFiveMinutesOld() async throws {
        let harness = try await harnessWithMembers(2)
        let fullSyncAt = Date()
        func groupRequests() -> Int { harness.store.log.filter { $0 == "GET groups" }.count }
        let afterFullSync = groupRequests()

        try harness.mctrade.updateProfile(id: 1, set: ["last_name": "Soon"])
        #expect(try await harness.engine(now: fullSyncAt.addingTimeInterval(60)).runPending().outcome == .ok)
        #expect(groupRequests() == afterFullSync, "a fresh group list is trusted")

        harness.store.state.withLock { $0.groups.removeAll { $0.id == 4 } }
        try harness.mctrade.updateProfile(id: 2, set: ["last_name": "Later"])
        let later = try harness.engine(now: fullSyncAt.addingTimeInterval(6 * 60))
        await #expect(throws: SyncError.self) { try await later.runPending() }
        #expect(groupRequests() == afterFullSync + 1)
        #expect(harness.store.customer(withEmail: "p2@example.test")?.record.lastName == "Last", "nothing was sent")
        #expect(try harness.state().outbox().map(\.profileID) == [2], "the change waits")
    }

    @Test func mcTradeLockedByAWriterIsWaitedOutNotReadAsEmpty() async throws {
        let harness = try await harnessWithMembers(3)
        try harness.mctrade.execute("PRAGMA journal_mode = DELETE")
        let writer = try Database(path: harness.mctrade.path)
        try writer.execute("BEGIN EXCLUSIVE")
        try writer.execute("UPDATE profiles SET last_name = 'Locked' WHERE profile_id = 1")
        let engine = SyncEngine(
            source: MCTradeSource(path: harness.mctrade.path, busyTimeoutMilliseconds: 200),
            state: try harness.state(),
            store: harness.store,
            options: harness.options,
            logger: Logger(label: "test", handler: harness.logs)
        )
        await #expect(throws: SourceError.self) { try await engine.runFullSync() }
        await #expect(throws: SourceError.self) { try await engine.runChangePass() }
        #expect(harness.store.customers.allSatisfy { $0.record.customerGroupID == 4 })

        try writer.execute("COMMIT")
        #expect(try await engine.runChangePass().outcome == .ok)
        #expect(harness.store.customer(withEmail: "p1@example.test")?.record.lastName == "Locked")
    }

    @Test(arguments: [false, true])
    func changePassRefusesABulkEditThatWouldStripManyMembersOfTheirGroup(nonmembers: Bool) async throws {
        let harness = try await harnessWithMembers(40, nonmembers: nonmembers)
        try harness.mctrade.execute("UPDATE profiles SET is_member = 0 WHERE profile_id <= 20")
        let refused = try await harness.sync()
        #expect(refused.outcome == .refused)
        #expect(refused.messages.joined().contains("20 of 40"))
        #expect(harness.store.customers.allSatisfy { $0.record.customerGroupID == 4 })
        #expect(try harness.state().outbox().count == 20, "the changes wait in the outbox")
        #expect(try harness.state().meta(MetaKey.passRefused) != nil)

        let forced = try await harness.engine().runPending(force: true)
        #expect(forced.outcome == .ok)
        #expect(harness.store.customers.filter { $0.record.customerGroupID == 4 }.count == 20)
        #expect(harness.store.customers.filter { $0.record.customerGroupID == 3 }.count == (nonmembers ? 20 : 0))
        #expect(try harness.state().meta(MetaKey.passRefused) == nil)
    }

    @Test func changePassLetsAFewLeaversThroughWhateverTheShare() async throws {
        let harness = try await harnessWithMembers(3)
        try harness.mctrade.updateProfile(id: 1, set: ["is_member": 0])
        #expect(try await harness.sync().outcome == .ok)
        #expect(harness.store.customer(withEmail: "p1@example.test")?.record.customerGroupID == 0)
    }

    @Test(arguments: [false, true])
    func changePassRailCountsRemovalsSavedOneRowAtATime(nonmembers: Bool) async throws {
        let harness = try await harnessWithMembers(40, nonmembers: nonmembers)
        var refusedAfter: Int?
        for id in 1...15 {
            try harness.mctrade.updateProfile(id: id, set: ["is_member": 0])
            if try await harness.sync().outcome == .refused {
                refusedAfter = id
                break
            }
        }
        #expect(refusedAfter == 10, "the tenth leaver of 40 passes the 20 % share when counted together")
        #expect(harness.store.customers.filter { $0.record.customerGroupID == 4 }.count == 31)
        let counted = try harness.state().meta(MetaKey.changePathRemovals)
        #expect(counted == (nonmembers ? "9,0" : "9,9"), "9 moved out, to the non-member group or to none")

        try await harness.fullSync(force: true)
        #expect(try harness.state().meta(MetaKey.changePathRemovals) == nil, "a full sync starts the count again")
    }

    @Test func mcTradeRestoredAndEditedSinceIsCaughtByTheChangeAtTheCursor() async throws {
        let harness = try await harnessWithMembers(10)
        let backup = harness.directory.appendingPathComponent("backup.sqlite").path
        try harness.mctrade.execute("VACUUM INTO '\(backup)'")
        for id in 1...3 { try harness.mctrade.updateProfile(id: id, set: ["phone": "111"]) }
        try await harness.sync()

        try FileManager.default.removeItem(atPath: harness.mctrade.path)
        try? FileManager.default.removeItem(atPath: harness.mctrade.path + "-wal")
        try? FileManager.default.removeItem(atPath: harness.mctrade.path + "-shm")
        try FileManager.default.copyItem(atPath: backup, toPath: harness.mctrade.path)
        let restored = try MCTradeDatabase(path: harness.mctrade.path)
        for id in 4...8 { try restored.updateProfile(id: id, set: ["phone": "222"]) }
        let result = try await harness.sync()
        #expect(result.kind == .full, "ids were reused by other changes: only a full sync can tell what changed")
        #expect(harness.store.customer(withEmail: "p1@example.test")?.record.phone == "")
        #expect(harness.store.customer(withEmail: "p4@example.test")?.record.phone == "222")
    }
}
