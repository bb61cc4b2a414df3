import Foundation
import MCTradeDemo

@testable import MemberSync

/// A real MC Trade file and state file in a temp directory, an in-memory store, and a way to make
/// engines on them (a new engine per pass, like a new process each time).
final class EngineHarness {
    let directory: URL
    let mctrade: MCTradeDatabase
    let store = InMemoryStore()
    let logs = InMemoryLogHandler()
    var statePath: String { directory.appendingPathComponent("state.sqlite").path }
    var options = SyncEngine.Options()

    init(memberGroup: Int? = 4, nonmemberGroup: Int? = 3, includeNonmembers: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        mctrade = try MCTradeDatabase.create(at: directory.appendingPathComponent("mctrade.sqlite").path)
        try mctrade.setSettings(
            memberGroupID: memberGroup,
            nonmemberGroupID: nonmemberGroup,
            includeIndividualNonmembers: includeNonmembers
        )
        options.timeZone = TimeZone(identifier: "UTC")!
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func engine(now: Date = Date()) throws -> SyncEngine {
        SyncEngine(
            source: MCTradeSource(path: mctrade.path),
            state: try StateStore(path: statePath),
            store: store,
            options: options,
            logger: Logger(label: "test", level: .debug, handler: logs),
            now: { now }
        )
    }

    /// An engine on this harness's files that talks to `store` (a slow, stuck or failing double).
    func engine(on store: any CustomerStore, options: SyncEngine.Options? = nil) throws -> SyncEngine {
        SyncEngine(
            source: MCTradeSource(path: mctrade.path),
            state: try StateStore(path: statePath),
            store: store,
            options: options ?? self.options,
            logger: Logger(label: "test", handler: logs)
        )
    }

    /// `membersync sync`: the owed full sync or the pending changes.
    @discardableResult
    func sync() async throws -> PassResult {
        try await engine().runPending()
    }

    @discardableResult
    func fullSync(force: Bool = false) async throws -> PassResult {
        try await engine().runFullSync(force: force)
    }

    func state() throws -> StateStore { try StateStore(path: statePath) }

    func report() throws -> [ReportEntry] { try state().report() }

    func member(_ id: Int, _ first: String, _ last: String, email: String?, expires: String? = nil) throws {
        try mctrade.insertIndividual(
            id: id,
            firstName: first,
            lastName: last,
            email: email,
            isMember: true,
            memberExpiresOn: expires
        )
    }

    static func day(_ offset: Int) -> String {
        CalendarDay(date: Date(), timeZone: TimeZone(identifier: "UTC")!).adding(days: offset).description
    }
}
