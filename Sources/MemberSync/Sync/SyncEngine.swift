import Foundation

/// The result of one pass (a change pass or a full sync).
public struct PassResult: Sendable {
    public enum Kind: String, Sendable {
        case changes
        case full
    }

    public enum Outcome: String, Sendable {
        /// Everything in scope was settled (or there was nothing to do).
        case ok
        /// Some profiles failed; the rest landed. Exit code 2.
        case partial
        /// Nothing could be done (settings incomplete, writes stopped, store unreachable). Exit code 1.
        case failed
        /// A full sync refused to write (a safety rail); `--force` overrides. Exit code 1.
        case refused
    }

    public var kind: Kind
    public var outcome: Outcome
    public var counts = RunCounts()
    /// The plan (kept for dry runs and for printing).
    public var plan: SyncPlan?
    /// Plain sentences for the operator: why it failed, what was refused, what was settled.
    public var messages: [String] = []
    public var isDryRun = false
    /// Profiles put back in the outbox because an email they wait for was freed in this pass; the next
    /// change pass (at once, for `sync`) settles them.
    public var followUp: Set<Int> = []

    public init(kind: Kind, outcome: Outcome) {
        self.kind = kind
        self.outcome = outcome
    }

    /// The messages as kept in the run history; nil when there are none.
    var runMessage: String? { messages.isEmpty ? nil : messages.joined(separator: "; ") }
}

/// Why a pass could not go on. Carried to the operator as a sentence.
public enum SyncError: Error, Sendable, CustomStringConvertible, LocalizedError {
    case settingsIncomplete(String)
    case groupsMissing([Int])
    case writesStopped(String)

    public var description: String {
        switch self {
        case .settingsIncomplete(let why):
            return "MC Trade's BigCommerce settings are incomplete: \(why); nothing was written"
        case .groupsMissing(let ids):
            let list = ids.map(String.init).joined(separator: ", ")
            return "customer group(s) \(list) named in MC Trade's settings do not exist in the store; "
                + "nothing was written (run 'membersync groups' to see the store's groups)"
        case .writesStopped(let why):
            return "writes to the store are stopped: \(why)"
        }
    }

    public var errorDescription: String? { description }
}

/// Brings the store in line with MC Trade: the change path (`runChangePass`) and the full sync
/// (`runFullSync`). Owns the state file; the store client is shared.
public actor SyncEngine {
    /// Settings of the engine that come from the configuration.
    public struct Options: Sendable {
        public var graceDays = 0
        public var timeZone = TimeZone.current
        public var enforceGroups = true
        /// The largest share of linked customers in a managed group that a full sync may move out
        /// without `--force`.
        public var maxGroupRemovalShare = 0.2
        /// Customers per create or update request (the store takes at most 10).
        public var batchSize = 10
        /// Update or create requests in flight at once (the store takes at most 3 updates).
        public var concurrentWrites = 3
        /// Change-log rows read per pass.
        public var changeLimit = 5_000
        /// Told how far a pass's writes have come (after each wave of batches).
        public var onProgress: (@Sendable (SyncProgress) -> Void)?

        public init() {}
    }

    let source: MCTradeSource
    let state: StateStore
    let store: any CustomerStore
    let options: Options
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        source: MCTradeSource,
        state: sending StateStore,
        store: any CustomerStore,
        options: Options = Options(),
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.source = source
        self.state = state
        self.store = store
        self.options = options
        self.logger = logger
        self.now = now
    }

    /// What `membersync sync` does: a full sync when one is owed, else the pending changes; repeated
    /// until the change log is drained.
    public func runPending(dryRun: Bool = false, force: Bool = false) async throws -> PassResult {
        var result: PassResult
        if let reason = try fullSyncOwed() {
            logger.info("full sync owed", metadata: ["reason": "\(reason)"])
            result = try await runFullSync(dryRun: dryRun, force: force)
        } else {
            result = try await runChangePass(dryRun: dryRun, force: force)
        }
        if !result.followUp.isEmpty && result.outcome != .refused {
            let next = try await runChangePass(dryRun: dryRun, force: force)
            result.counts = result.counts.adding(next.counts)
            result.outcome = PassResult.Outcome.worse(result.outcome, next.outcome)
        }
        if !dryRun { notePassSucceeded() }
        return result
    }

    /// Why a full sync is owed before changes can be followed, if it is.
    public func fullSyncOwed() throws -> String? {
        if let reason = try state.meta(MetaKey.fullSyncNeeded) { return reason }
        if try state.meta(MetaKey.cursor) == nil { return "first start" }
        return nil
    }

    /// Marks that a full sync is owed (kept across restarts until one finishes).
    public func requireFullSync(reason: String) throws {
        try state.setMeta(MetaKey.fullSyncNeeded, reason)
    }

    // MARK: - Shared steps

    func rules(for settings: SyncSettings) -> MembershipRules {
        MembershipRules(
            settings: settings,
            today: CalendarDay(date: now(), timeZone: options.timeZone),
            graceDays: options.graceDays
        )
    }

    /// Reads MC Trade like `MCTradeSource.read`, evaluating every profile as it is read instead of
    /// keeping it: the snapshot returned holds the organizations, relationships and settings. With
    /// incomplete settings nothing is evaluated (the caller's `completeSettings` says why).
    func readEvaluating(after cursor: Int64, changeLimit: Int, includeSnapshot: ([ProfileChange]) -> Bool) throws
        -> (read: SourceRead, evaluations: ProfileEvaluations)
    {
        var evaluations: [ProfileEvaluation] = []
        var rules: MembershipRules?
        var settingsChecked = false
        let read = try source.read(after: cursor, changeLimit: changeLimit, includeSnapshot: includeSnapshot) {
            profile,
            snapshot in
            if !settingsChecked {
                settingsChecked = true
                rules = (try? completeSettings(snapshot.settings)).map { self.rules(for: $0.0) }
            }
            guard let rules else { return }
            evaluations.append(rules.evaluate(profile, in: snapshot))
        }
        return (read, ProfileEvaluations(evaluations))
    }

    /// Odd MC Trade rows that were read anyway (unknown kinds, duplicate relationship rows): how many, and
    /// the first few by profile id. Profiles they keep from being uploaded also get report rows.
    func logReadProblems(_ problems: [Int: [String]], level: Logger.Level) {
        guard !problems.isEmpty, logger.isEnabled(level) else { return }
        let sample = problems.keys.sorted().prefix(Self.readProblemSample).map { id in
            "profile \(id): " + problems[id]!.joined(separator: ", ")
        }
        logger.log(
            level: level,
            "MC Trade rows read with problems",
            metadata: [
                "profiles": "\(problems.count)", "problems": "\(problems.values.map(\.count).reduce(0, +))",
                "first": "\(sample.joined(separator: "; "))",
            ]
        )
    }

    /// Profiles named in the log line about odd MC Trade rows.
    static let readProblemSample = 10

    /// Checks sync-rules' "incomplete settings" conditions that need no store request.
    func completeSettings(_ settings: SyncSettings?) throws -> (SyncSettings, memberGroup: Int) {
        guard let settings else {
            throw SyncError.settingsIncomplete("the bigcommerce_settings row is missing")
        }
        guard let memberGroup = settings.memberGroupID else {
            throw SyncError.settingsIncomplete("member_group_id is not set")
        }
        if settings.includeIndividualNonmembers && settings.nonmemberGroupID == nil {
            throw SyncError.settingsIncomplete("include_individual_nonmembers is on but nonmember_group_id is not set")
        }
        return (settings, memberGroup)
    }

    /// The groups the settings use: the member group, and the non-member group when non-members are on.
    func groupsInUse(_ settings: SyncSettings) -> [Int] {
        var groups = [settings.memberGroupID].compactMap { $0 }
        if settings.includeIndividualNonmembers, let nonmember = settings.nonmemberGroupID { groups.append(nonmember) }
        return groups
    }

    /// Makes sure the groups the settings use exist in the store; asks the store only when the last
    /// answer did not already show them, is older than `groupListMaxAge` (a group deleted in the store
    /// is then caught before a wave of writes is refused), or when `refresh`.
    func verifyGroups(_ settings: SyncSettings, refresh: Bool, dryRun: Bool = false) async throws {
        let needed = groupsInUse(settings)
        let known = Set((try state.meta(MetaKey.verifiedGroups) ?? "").split(separator: ",").compactMap { Int($0) })
        let stale = try groupListIsStale()
        if !refresh && !stale && needed.allSatisfy(known.contains) { return }
        let groups = try await store.customerGroups()
        let ids = Set(groups.map(\.id))
        if !dryRun { try rememberGroups(ids) }
        let missing = needed.filter { !ids.contains($0) }
        if !missing.isEmpty { throw SyncError.groupsMissing(missing) }
    }

    /// True when the group list was read from the store longer than `groupListMaxAge` ago (or never).
    func groupListIsStale() throws -> Bool {
        guard let text = try state.meta(MetaKey.verifiedGroupsAt), let at = ISO8601.date(from: text) else {
            return true
        }
        let age = now().timeIntervalSince(at)
        return age < 0 || age > Self.groupListMaxAge
    }

    func rememberGroups(_ ids: Set<Int>) throws {
        try state.transaction {
            try state.setMeta(MetaKey.verifiedGroups, ids.sorted().map(String.init).joined(separator: ","))
            try state.setMeta(MetaKey.verifiedGroupsAt, ISO8601.string(from: now()))
        }
    }

    /// How long a change pass trusts the store's group list: at most one groups request per 5 minutes.
    static let groupListMaxAge: TimeInterval = 300

    /// The links, held records, creates in doubt and (unless `includeLastSent` is false, for a planner given a complete
    /// listing, which never consults them) the records last sent.
    func planContext(_ settings: SyncSettings, memberGroup: Int, includeLastSent: Bool = true) throws -> PlanContext {
        var held: [Int: String] = [:]
        for entry in try state.outbox() where entry.isHeld {
            if let fingerprint = entry.heldFingerprint { held[entry.profileID] = fingerprint }
        }
        var context = PlanContext(
            memberGroupID: memberGroup,
            nonmemberGroupID: settings.nonmemberGroupID,
            enforceGroups: options.enforceGroups,
            links: try state.links(),
            lastSent: includeLastSent ? try state.lastSentRecords() : [:],
            heldFingerprints: held
        )
        context.createsInDoubt = try state.pendingCreates()
        return context
    }

    /// Remembers why the last pass failed, for `status`: writes stopped (401/403) or degraded (store or
    /// MC Trade unavailable). Cleared by the next pass that finishes: the service's, a one-shot `sync`
    /// (`runPending`) or any full sync that ran to its end. A pass cut short by a stop request is no
    /// failure and is not noted.
    public func notePassFailure(_ error: any Error) {
        if let storeError = error as? StoreError, storeError.stopsWrites {
            try? state.setMeta(MetaKey.writesStopped, storeError.description)
        }
        try? state.setMeta(MetaKey.degraded, "\(error)")
    }

    /// Clears the failure noted by `notePassFailure`.
    public func notePassSucceeded() {
        try? state.setMeta(MetaKey.degraded, nil)
    }

    /// Requests sent so far, without the revenue poller's order listings, which share the client.
    func requestTotal() async -> Int {
        let counts = await store.requestCounts()
        return counts.total - (counts.byKind[StoreRequestKind.orders.rawValue] ?? 0)
    }
}
