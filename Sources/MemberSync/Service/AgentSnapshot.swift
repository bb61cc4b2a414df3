import Foundation

/// What the state file and MC Trade's change log say about the agent right now: the numbers behind
/// `membersync status` and the metrics file. Reads only.
public struct AgentSnapshot: Sendable {
    /// The last change id taken into the outbox.
    public var cursor: Int64
    /// The newest change id MC Trade handed out; nil when MC Trade could not be read.
    public var newestChange: Int64?
    /// Why MC Trade could not be read, when it could not.
    public var sourceError: String?
    /// Profiles waiting to be sent (not failed).
    public var pending: Int
    /// Profiles whose last attempt failed (including those held after a refusal).
    public var failed: Int
    /// Failed profiles held until they change or `membersync retry`.
    public var held: Int
    /// Creates whose answer never arrived.
    public var createsInDoubt: Int
    public var linked: Int
    /// The latest full sync in the run history (finished or not).
    public var lastFullSync: RunRecord?
    public var lastSuccessfulFullSync: Date?
    /// The reason writes are stopped (401/403), when they are.
    public var writesStopped: String?
    /// Why a safety rail holds the writes back (a refused pass), when it does.
    public var passRefused: String?
    /// Why the last pass failed while the service keeps trying (store or MC Trade unavailable).
    public var degraded: String?
    /// Why a full sync is owed, when one is.
    public var fullSyncOwed: String?
    /// Who asked the service for a full sync, while the request waits.
    public var fullSyncRequested: String?
    /// Linked customers by the group the store last accepted for them.
    public var customersByGroup: [Int: Int]
    /// The newest finished revenue pass, and when the newest successful one finished.
    public var lastRevenuePass: RevenueRunRecord? = nil
    public var lastSuccessfulRevenuePass: Date? = nil

    /// Changes in MC Trade's log not yet taken into the outbox (0 when MC Trade is unreadable).
    public var lag: Int64 { max(0, (newestChange ?? cursor) - cursor) }

    /// Reads the state file and the bounds of MC Trade's change log.
    public static func read(state: StateStore, source: MCTradeSource) throws -> AgentSnapshot {
        let cursor = try state.cursor()
        var newest: Int64?
        var sourceError: String?
        do {
            let bounds = try source.read(after: cursor, changeLimit: 0) { _ in false }.bounds
            newest = max(bounds.highest ?? 0, bounds.sequence ?? 0)
        } catch {
            sourceError = "\(error)"
        }
        let outbox = try state.outbox()
        return AgentSnapshot(
            cursor: cursor,
            newestChange: newest,
            sourceError: sourceError,
            pending: outbox.filter { !$0.isHeld && $0.lastError == nil }.count,
            failed: outbox.filter { $0.lastError != nil || $0.isHeld }.count,
            held: outbox.filter(\.isHeld).count,
            createsInDoubt: try state.pendingCreates().count,
            linked: try state.linkCount(),
            lastFullSync: try state.runs(kind: "full", limit: 1).first,
            lastSuccessfulFullSync: try state.meta(MetaKey.lastSuccessfulFullSync).flatMap(ISO8601.date(from:)),
            writesStopped: try state.meta(MetaKey.writesStopped),
            passRefused: try state.meta(MetaKey.passRefused),
            degraded: try state.meta(MetaKey.degraded),
            fullSyncOwed: try state.meta(MetaKey.fullSyncNeeded)
                ?? (try state.meta(MetaKey.cursor) == nil
                    ? "first start" : nil),
            fullSyncRequested: try state.meta(MetaKey.fullSyncRequested),
            customersByGroup: try customersByGroup(state),
            lastRevenuePass: try state.lastRevenueRun(),
            lastSuccessfulRevenuePass: try state.lastSuccessfulRevenuePass()
        )
    }

    /// Linked customers counted by the group of the record the store last accepted for them.
    static func customersByGroup(_ state: StateStore) throws -> [Int: Int] {
        let sent = try state.lastSentRecords()
        var counts: [Int: Int] = [:]
        for customerID in try state.links().values {
            guard let record = sent[customerID] else { continue }
            counts[record.customerGroupID, default: 0] += 1
        }
        return counts
    }
}
