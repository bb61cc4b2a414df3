import Foundation

extension SyncEngine {
    /// Evaluates every profile, lists every store customer, and repairs drift. Owed full syncs (first
    /// start, gap, settings change, a crash mid-run) stay owed until one finishes.
    public func runFullSync(dryRun: Bool = false, force: Bool = false) async throws -> PassResult {
        var result = PassResult(kind: .full, outcome: .ok)
        result.isDryRun = dryRun
        let started = ContinuousClock.now
        let requestsBefore = await requestTotal()
        let read = try source.read(after: Int64.max, changeLimit: 0) { _ in true }
        let snapshot = read.snapshot!
        let (settings, memberGroup) = try completeSettings(snapshot.settings)
        try await verifyGroups(settings, refresh: true, dryRun: dryRun)
        let customers = try await listAllCustomers()
        let evaluations = rules(for: settings).evaluateAll(snapshot)
        let context = try planContext(settings, memberGroup: memberGroup)
        let scope = Set(snapshot.profiles.keys).union(context.links.keys)
        let view = StoreView(customers: customers, isComplete: true)
        let plan = SyncPlanner(evaluations: evaluations, context: context, store: view).plan(scope: scope)
        result.plan = plan
        result.counts.evaluated = snapshot.profiles.count
        result.counts.unchanged = plan.unchanged
        result.counts.notUploaded = Set(plan.reports.filter { !$0.code.isFailure }.map(\.profileID)).count
        if let refusal = safetyRefusal(plan, snapshot: snapshot, context: context, view: view), !force {
            result.outcome = .refused
            result.messages.append(refusal)
            if !dryRun { try recordRefusal(refusal, counts: result.counts) }
            return result
        }
        guard !dryRun else { return result }
        try begin(read: read, customers: customers, context: context)
        let runID = try state.startRun(kind: "full")
        try state.replaceReport(for: nil, with: plan.reports)
        var counts = result.counts
        let failed: Set<Int>
        do {
            failed = try await execute(plan, groups: groupsInUse(settings), counts: &counts)
        } catch {
            counts.requests = await requestTotal() - requestsBefore
            try state.finishRun(runID, result: PassResult.Outcome.failed.rawValue, counts: counts, message: "\(error)")
            throw error
        }
        try state.transaction {
            let planned = Set(plan.creates.map(\.profileID) + plan.updates.compactMap(\.profileID) + plan.held)
            for entry in try state.outbox() where !planned.contains(entry.profileID) && !entry.isHeld {
                try state.completeOutbox(profileID: entry.profileID)
            }
        }
        result.followUp = try enqueueProfilesWaitingForFreedEmails(plan, evaluations: evaluations, failed: failed)
        counts.requests = await requestTotal() - requestsBefore
        result.counts = counts
        result.outcome = failed.isEmpty ? .ok : .partial
        try finish(runID: runID, result: result)
        logPass(result, duration: ContinuousClock.now - started)
        return result
    }

    /// Every store customer, page by page (250 a page).
    func listAllCustomers() async throws -> [StoreCustomer] {
        var customers: [StoreCustomer] = []
        var cursor: String?
        repeat {
            let page = try await store.listCustomers(after: cursor, groupIDs: nil, limit: 250)
            customers.append(contentsOf: page.customers)
            cursor = page.nextCursor
        } while cursor != nil
        return customers
    }

    /// A reason not to write: MC Trade yielded nobody while links exist, or too many linked customers
    /// would leave their group at once (a broken read looks exactly like everyone leaving).
    func safetyRefusal(_ plan: SyncPlan, snapshot: SourceSnapshot, context: PlanContext, view: StoreView) -> String? {
        if snapshot.profiles.isEmpty && !context.links.isEmpty {
            return "MC Trade yielded no profiles while \(context.links.count) profiles are linked to store "
                + "customers; refusing to move them all out of their groups (use --force if this is intended)"
        }
        let linkedCustomers = Set(context.links.values)
        let linkedInManagedGroups = view.customersByID.values.filter {
            linkedCustomers.contains($0.id) && context.managedGroups.contains($0.record.customerGroupID)
        }.count
        let removals = plan.groupRemovals.filter { linkedCustomers.contains($0.customerID) }.count
        guard linkedInManagedGroups > 0 else { return nil }
        let share = Double(removals) / Double(linkedInManagedGroups)
        guard share > options.maxGroupRemovalShare else { return nil }
        let percent = Int((share * 100).rounded())
        let limit = Int((options.maxGroupRemovalShare * 100).rounded())
        return "this full sync would move \(removals) of \(linkedInManagedGroups) linked customers (\(percent) %) "
            + "out of the member and non-member groups, more than the \(limit) % allowed; nothing was written "
            + "(check MC Trade's data and settings, then run 'membersync sync --full --force' if it is right)"
    }

    /// Marks the full sync as owed until it finishes, moves the cursor to the snapshot's end (the full
    /// sync covers every change read so far) and refreshes the last known records from the listing.
    func begin(read: SourceRead, customers: [StoreCustomer], context: PlanContext) throws {
        let byID = Dictionary(customers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        try state.transaction {
            try state.setMeta(MetaKey.fullSyncNeeded, try state.meta(MetaKey.fullSyncNeeded) ?? "interrupted full sync")
            try state.setMeta(MetaKey.lastFullSyncStarted, ISO8601.string(from: now()))
            let highest = max(read.bounds.highest ?? 0, read.bounds.sequence ?? 0)
            try state.setCursor(highest)
            for customerID in context.links.values {
                guard let customer = byID[customerID] else {
                    try state.forgetSent(customerID: customerID)
                    continue
                }
                if context.lastSent[customerID].map({ $0 == customer.record && $0.email == customer.record.email })
                    != true
                {
                    try state.recordSent(customer.record, customerID: customerID)
                }
            }
        }
    }

    func finish(runID: Int64, result: PassResult) throws {
        let at = ISO8601.string(from: now())
        try state.transaction {
            try state.finishRun(runID, result: result.outcome.rawValue, counts: result.counts, message: nil)
            try state.setMeta(MetaKey.fullSyncNeeded, nil)
            try state.setMeta(MetaKey.fullSyncRequested, nil)
            try state.setMeta(MetaKey.writesStopped, nil)
            try state.setMeta(MetaKey.passRefused, nil)
            try state.setMeta(MetaKey.lastFullSyncFinished, at)
            try state.setMeta(MetaKey.lastFullSyncResult, result.outcome.rawValue)
            if result.outcome == .ok { try state.setMeta(MetaKey.lastSuccessfulFullSync, at) }
            try state.setMeta(MetaKey.lastPassAt, at)
        }
    }

    func recordRefusal(_ message: String, counts: RunCounts) throws {
        let runID = try state.startRun(kind: "full")
        try state.finishRun(runID, result: PassResult.Outcome.refused.rawValue, counts: counts, message: message)
        try state.setMeta(MetaKey.lastFullSyncResult, PassResult.Outcome.refused.rawValue)
        try state.setMeta(MetaKey.passRefused, message)
        logger.error("full sync refused", metadata: ["reason": "\(message)"])
    }
}
