import Foundation

extension SyncEngine {
    /// Evaluates every profile, lists every store customer, and repairs drift. Owed full syncs (first
    /// start, gap, settings change, a crash mid-run) stay owed until one finishes.
    public func runFullSync(dryRun: Bool = false, force: Bool = false) async throws -> PassResult {
        var result = PassResult(kind: .full, outcome: .ok)
        result.isDryRun = dryRun
        let started = ContinuousClock.now
        let requestsBefore = await requestTotal()
        var evaluated = try readAndEvaluate()
        FreedMemory.release()  // the rows read and dropped, before the listing fills the heap again
        let settings = evaluated.settings
        try await verifyGroups(settings, refresh: true, dryRun: dryRun)
        var view = try await listAllCustomers()
        let context = try planContext(settings, memberGroup: evaluated.memberGroup, includeLastSent: false)
        let scope = Set(evaluated.evaluations.profileIDs).union(context.links.keys)
        let plan = SyncPlanner(evaluations: evaluated.evaluations, context: context, store: view).plan(scope: scope)
        let profileCount = evaluated.evaluations.count
        let waiting = profilesWaitingForEmails(plan, evaluations: evaluated.evaluations)
        evaluated.evaluations = ProfileEvaluations([])  // the plan holds what the writes need
        result.plan = plan
        result.counts.evaluated = profileCount
        result.counts.unchanged = plan.unchanged
        result.counts.notUploaded = Set(plan.reports.filter { !$0.code.isFailure }.map(\.profileID)).count
        if let refusal = safetyRefusal(plan, profileCount: profileCount, context: context, view: view),
            !force
        {
            result.outcome = .refused
            result.messages.append(refusal)
            result.counts.requests = await requestTotal() - requestsBefore
            if !dryRun { try recordRefusal(refusal, counts: result.counts) }
            return result
        }
        guard !dryRun else { return result }
        try begin(bounds: evaluated.bounds, view: view, context: context)
        view = StoreView(isComplete: true)  // not needed by the writes
        let runID = try state.startRun(kind: "full")
        try state.replaceReport(for: nil, with: plan.reports)
        var counts = result.counts
        let failed: Set<Int>
        do {
            failed = try await execute(plan, groups: groupsInUse(settings), counts: &counts)
        } catch {
            counts.requests = await requestTotal() - requestsBefore
            try finishCutRun(runID, error: error, counts: counts)
            throw error
        }
        try state.transaction {
            let planned = Set(plan.creates.map(\.profileID) + plan.updates.compactMap(\.profileID) + plan.held)
            for entry in try state.outbox() where !planned.contains(entry.profileID) && !entry.isHeld {
                try state.completeOutbox(profileID: entry.profileID)
            }
        }
        result.followUp = try enqueueProfilesWaitingForFreedEmails(plan, waiting: waiting, failed: failed)
        counts.requests = await requestTotal() - requestsBefore
        result.counts = counts
        result.outcome = failed.isEmpty ? .ok : .partial
        result.messages += try inDoubtSettlements(context)
        try finish(runID: runID, result: result)
        logPass(result, duration: ContinuousClock.now - started)
        return result
    }

    /// MC Trade's side of a full sync: every profile evaluated as it is read, none of them kept.
    func readAndEvaluate() throws -> EvaluatedSource {
        let (read, evaluations) = try readEvaluating(after: Int64.max, changeLimit: 0) { _ in true }
        logReadProblems(read.snapshot?.readProblems ?? [:], level: .warning)
        let (settings, memberGroup) = try completeSettings(read.snapshot!.settings)
        return EvaluatedSource(
            bounds: read.bounds,
            settings: settings,
            memberGroup: memberGroup,
            evaluations: evaluations
        )
    }

    /// Every store customer, page by page (250 a page), indexed as they come.
    func listAllCustomers() async throws -> StoreView {
        var view = StoreView(isComplete: true)
        var cursor: String?
        repeat {
            let page = try await store.listCustomers(after: cursor, groupIDs: nil, limit: 250)
            for var customer in page.customers {
                customer.dateModified = nil
                view.insert(customer)
            }
            cursor = page.nextCursor
        } while cursor != nil
        return view
    }

    /// A reason not to write: MC Trade yielded nobody while links exist, or too many linked customers
    /// would leave their group at once (a broken read looks exactly like everyone leaving). Members who
    /// would lapse into the non-member group count: they lose member pricing.
    func safetyRefusal(_ plan: SyncPlan, profileCount: Int, context: PlanContext, view: StoreView) -> String? {
        if profileCount == 0 && !context.links.isEmpty {
            return "MC Trade yielded no profiles while \(context.links.count) profiles are linked to store "
                + "customers; refusing to move them all out of their groups (use --force if this is intended)"
        }
        let linkedCustomers = Set(context.links.values)
        let linkedInManagedGroups = view.customersByID.values.filter {
            linkedCustomers.contains($0.id) && context.managedGroups.contains($0.record.customerGroupID)
        }.count
        let removals = plan.linkedGroupRemovals.count
        guard linkedInManagedGroups > 0 else { return nil }
        let share = Double(removals) / Double(linkedInManagedGroups)
        guard share > options.maxGroupRemovalShare else { return nil }
        let percent = Int((share * 100).rounded())
        let limit = Int((options.maxGroupRemovalShare * 100).rounded())
        return "this full sync would move \(removals) of \(linkedInManagedGroups) linked customers (\(percent) %) "
            + "out of their group (member to non-member or none, non-member to none), more than the \(limit) % "
            + "allowed; nothing was written "
            + "(check MC Trade's data and settings, then run 'membersync sync --full --force' if it is right)"
    }

    /// Marks the full sync as owed until it finishes, moves the cursor to the snapshot's end (the full
    /// sync covers every change read so far) and refreshes the last known records from the listing.
    func begin(bounds: ChangeLogBounds, view: StoreView, context: PlanContext) throws {
        try state.transaction {
            try state.setMeta(MetaKey.fullSyncNeeded, try state.meta(MetaKey.fullSyncNeeded) ?? "interrupted full sync")
            try state.setMeta(MetaKey.lastFullSyncStarted, ISO8601.string(from: now()))
            let cursor = max(bounds.highest ?? 0, bounds.sequence ?? 0)
            try state.setCursor(cursor, changedAt: cursor == bounds.highest ? bounds.highestChangedAt : nil)
            // Customers whose last known record is exactly what the listing shows (email case included).
            var current = Set<Int>()
            try state.forEachLastSent { customerID, record in
                guard let listed = view.customersByID[customerID]?.record else { return }
                if record == listed && record.email == listed.email { current.insert(customerID) }
            }
            for customerID in context.links.values {
                guard let customer = view.customersByID[customerID] else {
                    try state.forgetSent(customerID: customerID)
                    continue
                }
                if !current.contains(customerID) { try state.recordSent(customer.record, customerID: customerID) }
            }
        }
    }

    func finish(runID: Int64, result: PassResult) throws {
        let at = ISO8601.string(from: now())
        try state.transaction {
            try state.finishRun(
                runID,
                result: result.outcome.rawValue,
                counts: result.counts,
                message: result.runMessage
            )
            try state.setMeta(MetaKey.fullSyncNeeded, nil)
            try state.setMeta(MetaKey.fullSyncRequested, nil)
            try state.setMeta(MetaKey.writesStopped, nil)
            try state.setMeta(MetaKey.passRefused, nil)
            try state.setMeta(MetaKey.degraded, nil)
            try state.setMeta(MetaKey.changePathRemovals, nil)
            try state.setMeta(MetaKey.lastFullSyncFinished, at)
            try state.setMeta(MetaKey.lastFullSyncResult, result.outcome.rawValue)
            if result.outcome == .ok { try state.setMeta(MetaKey.lastSuccessfulFullSync, at) }
            try state.setMeta(MetaKey.lastPassAt, at)
        }
    }

    /// Finishes the run of a pass whose writes ended early: `stopped` when a stop request (SIGTERM,
    /// SIGINT) cut it short, which is no failure (what was not answered stays owed), else `failed`.
    // TODO: a pass abandoned at the end of the stop grace (a request that ignored cancellation) leaves its
    // run unfinished in the history; the next start could finish such runs as `stopped`.
    func finishCutRun(_ runID: Int64, error: any Error, counts: RunCounts) throws {
        if error is CancellationError {
            try state.finishRun(
                runID,
                result: Self.stoppedRunResult,
                counts: counts,
                message: "stopped by a stop request; the writes not answered stay owed to the next pass"
            )
        } else {
            try state.finishRun(runID, result: PassResult.Outcome.failed.rawValue, counts: counts, message: "\(error)")
        }
    }

    /// The result in the run history of a pass cut short by a stop request.
    static let stoppedRunResult = "stopped"

    func recordRefusal(_ message: String, counts: RunCounts) throws {
        let runID = try state.startRun(kind: "full")
        try state.finishRun(runID, result: PassResult.Outcome.refused.rawValue, counts: counts, message: message)
        try state.setMeta(MetaKey.lastFullSyncResult, PassResult.Outcome.refused.rawValue)
        try state.setMeta(MetaKey.passRefused, message)
        // Today's scheduled run and an operator's request are answered (by this refusal); a full sync
        // owed for correctness (gap, settings) stays owed and is tried again after a back-off.
        try state.setMeta(MetaKey.lastFullSyncStarted, ISO8601.string(from: now()))
        try state.setMeta(MetaKey.fullSyncRequested, nil)
        logger.error("full sync refused", metadata: ["reason": "\(message)"])
    }
}

/// MC Trade's side of a full sync, without the snapshot it was evaluated from.
struct EvaluatedSource {
    var bounds: ChangeLogBounds
    var settings: SyncSettings
    var memberGroup: Int
    /// Every profile's evaluation.
    var evaluations: ProfileEvaluations
}
