import Foundation

extension SyncEngine {
    /// Reads the change log after the cursor, records the work it causes in the outbox together with
    /// the new cursor (one state transaction), then settles the outbox against the store.
    public func runChangePass(dryRun: Bool = false, force: Bool = false) async throws -> PassResult {
        let cursor = try state.cursor()
        let waiting = try state.outbox().filter { !$0.isHeld }.map(\.profileID)
        let (read, evaluations) = try readEvaluating(after: cursor, changeLimit: options.changeLimit) { changes in
            !changes.isEmpty || !waiting.isEmpty
        }
        if let gap = changeLogGap(read.bounds, cursor: cursor) {
            logger.warning("change log gap; running a full sync", metadata: ["reason": "\(gap)"])
            if !dryRun { try requireFullSync(reason: gap) }
            return try await runFullSync(dryRun: dryRun, force: force)
        }
        guard let snapshot = read.snapshot else {
            return PassResult(kind: .changes, outcome: .ok)
        }
        // Warned about by every full sync; repeated here only for debugging.
        logReadProblems(snapshot.readProblems, level: .debug)
        let (settings, memberGroup) = try completeSettings(snapshot.settings)
        if read.changes.contains(where: { $0.entity == .settings }) {
            logger.info("settings changed; running a full sync")
            if !dryRun { try requireFullSync(reason: "settings changed") }
            return try await runFullSync(dryRun: dryRun, force: force)
        }
        let affected = affectedProfiles(by: read.changes, in: snapshot)
        if !dryRun, let last = read.changes.last?.changeID {
            try state.transaction {
                try state.enqueue(profileIDs: affected, changeID: last)
                try state.setCursor(last, changedAt: read.changes.last?.changedAt)
            }
        }
        let scope = affected.union(waiting)
        var result = try await settle(
            scope: scope,
            evaluations: evaluations,
            settings: settings,
            memberGroup: memberGroup,
            dryRun: dryRun,
            force: force
        )
        if !dryRun && read.changes.count == options.changeLimit {
            // More changes wait beyond this pass's limit.
            let next = try await runChangePass(dryRun: false, force: force)
            result.counts = result.counts.adding(next.counts)
            result.outcome = PassResult.Outcome.worse(result.outcome, next.outcome)
        }
        return result
    }

    /// A reason for a full sync when the log lost rows the agent had not read, or went back in time.
    func changeLogGap(_ bounds: ChangeLogBounds, cursor: Int64) -> String? {
        guard cursor > 0 else { return nil }
        if let read = try? state.meta(MetaKey.cursorChangedAt), let found = bounds.changedAtCursor, read != found {
            return
                "the change at the cursor (\(cursor)) is not the one read: MC Trade restored from a backup and edited since?"
        }
        if let lowest = bounds.lowest, lowest > cursor + 1 {
            return "change log purged past the cursor (oldest change \(lowest), cursor \(cursor))"
        }
        if let highest = bounds.highest, highest < cursor {
            return
                "change log is behind the cursor (newest change \(highest), cursor \(cursor)): MC Trade restored from a backup?"
        }
        if bounds.highest == nil, let sequence = bounds.sequence, sequence < cursor {
            return "change log is empty and behind the cursor: MC Trade restored from a backup?"
        }
        if bounds.highest == nil && bounds.sequence == nil {
            return "change log is empty and was never written (cursor \(cursor)): MC Trade's file replaced?"
        }
        if bounds.highest == nil, let sequence = bounds.sequence, sequence > cursor {
            return "change log purged past the cursor (log empty, last id \(sequence), cursor \(cursor))"
        }
        return nil
    }

    /// The individuals a set of changes may affect: the changed profiles themselves, and everyone
    /// related to a changed organization. The snapshot needs only the organizations.
    func affectedProfiles(by changes: [ProfileChange], in snapshot: SourceSnapshot) -> Set<Int> {
        var affected = Set<Int>()
        for change in changes {
            guard let id = change.profileID else { continue }
            // Also for a deleted organization, whose relationship rows may outlive it.
            affected.formUnion(snapshot.individuals(relatedTo: id))
            if snapshot.profiles[id]?.kind != .organization { affected.insert(id) }
        }
        return affected
    }

    /// Plans and writes the outbox's profiles, looking up in the store only what the plan needs.
    func settle(
        scope requested: Set<Int>,
        evaluations: ProfileEvaluations,
        settings: SyncSettings,
        memberGroup: Int,
        dryRun: Bool,
        force: Bool
    ) async throws -> PassResult {
        var result = PassResult(kind: .changes, outcome: .ok)
        result.isDryRun = dryRun
        let started = ContinuousClock.now
        let requestsBefore = await requestTotal()
        let context = try planContext(settings, memberGroup: memberGroup)
        let scope = widenedScope(requested, evaluations: evaluations, context: context)
        let view = try await lookups(for: scope, evaluations: evaluations, context: context)
        let plan = SyncPlanner(evaluations: evaluations, context: context, store: view).plan(scope: scope)
        result.plan = plan
        result.counts.evaluated = scope.count
        result.counts.unchanged = plan.unchanged
        result.counts.notUploaded = Set(plan.reports.map(\.profileID)).count
        if let refusal = changePathRefusal(plan, context: context), !force {
            result.outcome = .refused
            result.messages.append(refusal)
            if !dryRun { try recordChangePassRefusal(refusal, counts: result.counts) }
            return result
        }
        guard !dryRun else { return result }
        if plan.writeCount > 0 || !plan.updates.isEmpty { try await verifyGroups(settings, refresh: false) }
        let runID = try state.startRun(kind: "changes")
        try state.transaction {
            try state.replaceReport(for: scope, with: plan.reports)
            let planned = Set(plan.creates.map(\.profileID) + plan.updates.compactMap(\.profileID) + plan.held)
            for id in scope where !planned.contains(id) { try state.completeOutbox(profileID: id) }
        }
        var counts = result.counts
        let failed: Set<Int>
        do {
            failed = try await execute(plan, groups: groupsInUse(settings), counts: &counts)
        } catch {
            counts.requests = await requestTotal() - requestsBefore
            // Removals that landed before the pass was cut count toward the rail too.
            try countChangePathRemovals(plan, context: context, approved: force)
            try finishCutRun(runID, error: error, counts: counts)
            throw error
        }
        try countChangePathRemovals(plan, context: context, approved: force)
        result.followUp = try enqueueProfilesWaitingForFreedEmails(
            plan,
            waiting: profilesWaitingForEmails(plan, evaluations: evaluations),
            failed: failed
        )
        try state.setMeta(MetaKey.writesStopped, nil)
        counts.requests = await requestTotal() - requestsBefore
        result.counts = counts
        result.outcome = failed.isEmpty ? .ok : .partial
        result.messages += try inDoubtSettlements(context)
        try state.finishRun(runID, result: result.outcome.rawValue, counts: counts, message: result.runMessage)
        try state.setMeta(MetaKey.lastPassAt, ISO8601.string(from: now()))
        try state.setMeta(MetaKey.passRefused, nil)
        logPass(result, duration: ContinuousClock.now - started)
        return result
    }

    /// The emails that profiles of this plan wait for (reported `email_conflict` or `duplicate_email`),
    /// by comparison key. Taken before the evaluations are let go.
    func profilesWaitingForEmails(_ plan: SyncPlan, evaluations: ProfileEvaluations) -> [String: Set<Int>] {
        var waiting: [String: Set<Int>] = [:]
        for entry in plan.reports where entry.code == .emailConflict || entry.code == .duplicateEmail {
            if let key = evaluations[entry.profileID]?.wantedEmailKey {
                waiting[key, default: []].insert(entry.profileID)
            }
        }
        return waiting
    }

    /// Profiles waiting for an email that this pass freed (its holder moved to another email): put
    /// back in the outbox, so that the next pass gives them the email instead of leaving it to the
    /// next full sync. Returns them.
    func enqueueProfilesWaitingForFreedEmails(
        _ plan: SyncPlan,
        waiting: [String: Set<Int>],
        failed: Set<Int>
    ) throws -> Set<Int> {
        guard !waiting.isEmpty else { return [] }
        var released = Set<Int>()
        for update in plan.updates where update.needsWrite {
            guard let previous = update.previous, previous.emailKey != update.record.emailKey else { continue }
            if let profile = update.profileID, failed.contains(profile) { continue }
            released.formUnion(waiting[previous.emailKey] ?? [])
        }
        if !released.isEmpty { try state.enqueue(profileIDs: released, changeID: nil) }
        return released
    }

    /// The full sync's removal rail, applied to a change pass: a bulk edit or a broken import in MC Trade
    /// must not strip member pricing from many people before anyone looks. Below `changePathRemovalFloor`
    /// removals a pass always goes on, so that a small association's everyday leavers are not held up.
    /// A member moved to the non-member group counts as a removal: they lose member pricing.
    func changePathRefusal(_ plan: SyncPlan, context: PlanContext) -> String? {
        let planned = plan.linkedGroupRemovals.count
        guard planned > 0 else { return nil }
        // Counted together with the removals of earlier change passes since the last full sync.
        let earlier = (try? changePathDepartures()) ?? ChangePathDepartures()
        let removals = planned + earlier.count
        guard removals >= Self.changePathRemovalFloor else { return nil }
        let inManagedGroups = context.links.values.filter {
            context.lastSent[$0].map { context.managedGroups.contains($0.customerGroupID) } ?? false
        }.count
        guard inManagedGroups > 0 else { return nil }
        // As many as were in the groups at the last full sync: those still there, and those moved out since.
        let linkedAtFullSync = inManagedGroups + earlier.outOfManagedGroups
        let share = Double(removals) / Double(linkedAtFullSync)
        guard share > options.maxGroupRemovalShare else { return nil }
        let percent = Int((share * 100).rounded())
        let limit = Int((options.maxGroupRemovalShare * 100).rounded())
        return "these changes would move \(removals) of \(linkedAtFullSync) linked customers (\(percent) %, "
            + "\(earlier.count) of them by earlier passes since the last full sync) out of "
            + "their group (member to non-member or none, non-member to none), more than the \(limit) % allowed; "
            + "nothing was written and the changes wait (check MC Trade's data, then run 'membersync sync --force' "
            + "if it is right)"
    }

    /// Adds this pass's group removals that the store confirmed (the last record it accepted for the
    /// customer is the one the removal sent; not those that failed, or that a stop cut off) to those
    /// counted since the last full sync; a pass the operator forced starts the count again (they said
    /// the removals were right).
    func countChangePathRemovals(_ plan: SyncPlan, context: PlanContext, approved: Bool) throws {
        let landed = try plan.linkedGroupRemovals.filter {
            try state.lastSent(customerID: $0.customerID)?.record == $0.record
        }
        var departures = try changePathDepartures()
        departures.count += landed.count
        departures.outOfManagedGroups +=
            landed.filter { !context.managedGroups.contains($0.record.customerGroupID) }.count
        try state.setMeta(MetaKey.changePathRemovals, approved ? nil : departures.metaValue)
    }

    func changePathDepartures() throws -> ChangePathDepartures {
        ChangePathDepartures(metaValue: try state.meta(MetaKey.changePathRemovals))
    }

    /// Fewest removals in one change pass that the removal rail looks at.
    static let changePathRemovalFloor = 10

    func recordChangePassRefusal(_ message: String, counts: RunCounts) throws {
        let runID = try state.startRun(kind: "changes")
        try state.finishRun(runID, result: PassResult.Outcome.refused.rawValue, counts: counts, message: message)
        try state.setMeta(MetaKey.passRefused, message)
        logger.error("change pass refused", metadata: ["reason": "\(message)"])
    }

    /// Adds the profiles competing for the same emails as the requested ones (the wanted email, and
    /// the email their customer had), so that a freed or contested email is settled in this pass.
    func widenedScope(_ scope: Set<Int>, evaluations: ProfileEvaluations, context: PlanContext) -> Set<Int> {
        var keys = Set<String>()
        for id in scope {
            if let key = evaluations[id]?.wantedEmailKey { keys.insert(key) }
            if let customer = context.links[id], let sent = context.lastSent[customer] { keys.insert(sent.emailKey) }
        }
        guard !keys.isEmpty else { return scope }
        var widened = scope
        // Every profile with a group that wants one of these emails (linked ones with a bad name included).
        for evaluation in evaluations.values where evaluation.groupID != nil {
            if let key = evaluation.wantedEmailKey, keys.contains(key) { widened.insert(evaluation.profileID) }
        }
        return widened
    }

    /// Looks up in the store the emails and customers the plan for `scope` depends on.
    func lookups(for scope: Set<Int>, evaluations: ProfileEvaluations, context: PlanContext) async throws
        -> StoreView
    {
        var emails = Set<String>()
        var ids = Set<Int>()
        for id in scope {
            let customer = context.links[id]
            let sent = customer.flatMap { context.lastSent[$0] }
            // A leave carries the store's own values of the other fields, which may have changed since.
            let leaves =
                evaluations[id]?.groupID == nil && evaluations[id]?.keepsLinkedCustomer != true
                && sent.map { context.managedGroups.contains($0.customerGroupID) } == true
            if let customer, sent == nil || leaves { ids.insert(customer) }
            // A profile still linked may have a create in doubt too: its customer vanished and was created again.
            // TODO: a profile in doubt that no longer gets a group keeps its pending row (and this lookup)
            // until a full sync moves the customer its create made out of the group as a stranger; the
            // row could be settled here as soon as the lookup shows the customer.
            if let inDoubt = context.createsInDoubt[id] {
                // The email the lost create sent, which may differ from the profile's email by now.
                emails.insert(EmailAddress.trimmed(inDoubt))
                emails.insert(EmailAddress.trimmed(inDoubt).lowercased())
            }
            guard let evaluation = evaluations[id], evaluation.groupID != nil, let record = evaluation.record,
                evaluation.wantedEmailKey != nil
            else {
                continue
            }
            if sent == nil || sent!.emailKey != record.emailKey {
                emails.insert(record.email)
                emails.insert(record.email.lowercased())
            }
        }
        var view = StoreView(isComplete: false)
        for chunk in Array(emails).sorted().chunked(into: 50) {
            for customer in try await store.customers(withEmails: chunk) { view.insert(customer) }
        }
        for chunk in Array(ids).sorted().chunked(into: 50) {
            for customer in try await store.customers(withIDs: chunk) { view.insert(customer) }
        }
        return view
    }

    /// The summary line of a pass: counts, requests and duration, no personal data.
    func logPass(_ result: PassResult, duration: Duration) {
        let counts = result.counts
        logger.info(
            "pass finished",
            metadata: [
                "pass.kind": "\(result.kind.rawValue)", "pass.outcome": "\(result.outcome.rawValue)",
                "created": "\(counts.created)", "updated": "\(counts.updated)", "adopted": "\(counts.adopted)",
                "relinked": "\(counts.relinked)", "removed": "\(counts.removed)", "unchanged": "\(counts.unchanged)",
                "failed": "\(counts.failed)", "not_uploaded": "\(counts.notUploaded)",
                "requests": "\(counts.requests)", "duration.ms": "\(duration.milliseconds)",
            ]
        )
    }
}

extension Array {
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

extension RunCounts {
    func adding(_ other: RunCounts) -> RunCounts {
        var sum = self
        sum.evaluated += other.evaluated
        sum.created += other.created
        sum.updated += other.updated
        sum.adopted += other.adopted
        sum.relinked += other.relinked
        sum.removed += other.removed
        sum.unchanged += other.unchanged
        sum.failed += other.failed
        sum.notUploaded += other.notUploaded
        sum.requests += other.requests
        return sum
    }
}

extension PassResult.Outcome {
    static func worse(_ lhs: Self, _ rhs: Self) -> Self {
        let order: [Self] = [.ok, .partial, .refused, .failed]
        return order.firstIndex(of: lhs)! >= order.firstIndex(of: rhs)! ? lhs : rhs
    }
}

/// The group removals that change passes made since the last full sync, as kept in the state file
/// ("count,out": `out` of them left the member and non-member groups altogether; a lone number, as
/// older versions wrote it, counts removals to group 0 only).
struct ChangePathDepartures {
    var count = 0
    var outOfManagedGroups = 0

    init() {}

    init(metaValue: String?) {
        let parts = (metaValue ?? "").split(separator: ",").map { Int($0) ?? 0 }
        count = parts.first ?? 0
        outOfManagedGroups = parts.count > 1 ? parts[1] : count
    }

    var metaValue: String { "\(count),\(outOfManagedGroups)" }
}
