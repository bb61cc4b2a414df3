import Foundation

extension SyncEngine {
    /// Sends a plan's writes and records every answer in the state as it comes: links only once the
    /// store confirmed them, failures kept in the outbox with their reason. Returns the profiles that
    /// failed. Throws `SyncError.writesStopped` (after recording) when the store refuses the token, and
    /// `CancellationError` (after recording the answers that came) when the pass is stopped: the writes
    /// left are still owed, not failed.
    func execute(_ plan: SyncPlan, groups: [Int], counts: inout RunCounts) async throws -> Set<Int> {
        var failed = Set<Int>()
        var groupsChecked = false
        for update in plan.updates where !update.needsWrite {
            try recordAccepted(
                update,
                customer: StoreCustomer(id: update.customerID, record: update.record),
                counts: &counts
            )
        }
        let writer = StoreWriter(store: store)
        let updates = plan.updates.filter(\.needsWrite)
        var progress = SyncProgress(done: 0, total: updates.count + plan.creates.count)
        options.onProgress?(progress)
        for wave in waves(of: updates) {
            try Task.checkCancellation()
            let outcomes = await sendWave(wave) { await writer.send(updates: $0) }
            // What the store accepted is recorded before a refusal's group check, which may end the pass.
            for (update, outcome) in outcomes where !outcome.isRefusal {
                try await record(update, outcome: outcome, counts: &counts, failed: &failed)
            }
            try await checkGroupsAfterRefusal(outcomes.map(\.1), groups: groups, checked: &groupsChecked)
            for (update, outcome) in outcomes where outcome.isRefusal {
                try await record(update, outcome: outcome, counts: &counts, failed: &failed)
            }
            try stopIfWritesStopped(outcomes.map(\.1))
            try stopIfStoreIsDown(outcomes.map(\.1))
            try Task.checkCancellation()
            progress.done += outcomes.count
            options.onProgress?(progress)
        }
        let inDoubt = plan.creates.isEmpty ? [:] : try state.pendingCreates()
        for wave in waves(of: plan.creates) {
            try Task.checkCancellation()
            try state.transaction {
                try state.markCreatesSent(wave.flatMap { $0 }.map { ($0.profileID, $0.record.email) })
            }
            let outcomes = await sendWave(wave) { await writer.send(creates: $0) }
            for (create, outcome) in outcomes where !outcome.isRefusal {
                let wasInDoubt = inDoubt[create.profileID] != nil
                try await record(create, outcome: outcome, counts: &counts, failed: &failed, wasInDoubt: wasInDoubt)
            }
            try await checkGroupsAfterRefusal(outcomes.map(\.1), groups: groups, checked: &groupsChecked)
            for (create, outcome) in outcomes where outcome.isRefusal {
                let wasInDoubt = inDoubt[create.profileID] != nil
                try await record(create, outcome: outcome, counts: &counts, failed: &failed, wasInDoubt: wasInDoubt)
            }
            try stopIfWritesStopped(outcomes.map(\.1))
            try stopIfStoreIsDown(outcomes.map(\.1))
            try Task.checkCancellation()
            progress.done += outcomes.count
            options.onProgress?(progress)
        }
        return failed
    }

    /// Batches of `batchSize`, grouped in waves of `concurrentWrites` batches sent at once.
    func waves<Item>(of items: [Item]) -> [[[Item]]] {
        let size = max(1, min(10, options.batchSize))
        let batches = stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
        let width = max(1, options.concurrentWrites)
        return stride(from: 0, to: batches.count, by: width).map { Array(batches[$0..<min($0 + width, batches.count)]) }
    }

    func sendWave<Item: Sendable>(
        _ wave: [[Item]],
        _ send: @escaping @Sendable ([Item]) async -> [(Item, WriteOutcome)]
    ) async -> [(Item, WriteOutcome)] {
        await withTaskGroup(of: (Int, [(Item, WriteOutcome)]).self) { group in
            for (index, batch) in wave.enumerated() {
                group.addTask { (index, await send(batch)) }
            }
            var results: [(Int, [(Item, WriteOutcome)])] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// A refusal may mean that a group was deleted in the store since it was last seen: then every write
    /// must stop (nothing is recorded as refused). Asks the store once per pass.
    func checkGroupsAfterRefusal(_ outcomes: [WriteOutcome], groups: [Int], checked: inout Bool) async throws {
        guard !checked, outcomes.contains(where: \.isRefusal) else { return }
        checked = true
        let existing = Set(try await store.customerGroups().map(\.id))
        let missing = groups.filter { !existing.contains($0) }
        try rememberGroups(existing)
        if !missing.isEmpty { throw SyncError.groupsMissing(missing) }
    }

    /// A wave in which every request failed after its retries means the store is down: the rest of the
    /// pass would only wait out the same retries batch after batch. Stop; the work stays owed (outbox,
    /// or the owed full sync) and the service tries again with backoff.
    func stopIfStoreIsDown(_ outcomes: [WriteOutcome]) throws {
        guard !outcomes.isEmpty else { return }
        var lastError: StoreError?
        for outcome in outcomes {
            guard case .failed(let error) = outcome, case .unavailable = error else { return }
            lastError = error
        }
        if let lastError { throw lastError }
    }

    func stopIfWritesStopped(_ outcomes: [WriteOutcome]) throws {
        for case .failed(let error) in outcomes where error.stopsWrites {
            try state.setMeta(MetaKey.writesStopped, error.description)
            throw SyncError.writesStopped(error.description)
        }
    }

    // MARK: - Recording answers

    func record(
        _ update: PlannedUpdate,
        outcome: WriteOutcome,
        counts: inout RunCounts,
        failed: inout Set<Int>
    ) async throws {
        switch outcome {
        case .accepted(let customer):
            try recordAccepted(update, customer: customer, counts: &counts)
        case .refused(let error):
            try recordFailure(profileID: update.profileID, error: error, hold: update.record, failed: &failed)
            counts.failed += 1
        case .failed(let error), .inDoubt(let error):
            try recordFailure(profileID: update.profileID, error: error, hold: nil, failed: &failed)
            counts.failed += 1
        case .abandoned:
            break  // stays in the outbox as it was: the next pass sends it
        case .vanished:
            try state.forgetSent(customerID: update.customerID)
            logger.notice(
                "customer vanished from the store",
                metadata: ["customer.id": "\(update.customerID)", "profile.id": "\(update.profileID ?? 0)"]
            )
            guard let profileID = update.profileID, update.reason != .leave, update.reason != .enforceGroups else {
                return
            }
            try await replaceVanished(profileID: profileID, record: update.record, counts: &counts, failed: &failed)
        }
    }

    func recordAccepted(_ update: PlannedUpdate, customer: StoreCustomer, counts: inout RunCounts) throws {
        var settled: ReportEntry?
        if let profileID = update.profileID, try state.hasPendingCreate(profileID: profileID) {
            logger.notice(
                "create in doubt settled: the customer existed and was adopted",
                metadata: ["profile.id": "\(profileID)", "customer.id": "\(update.customerID)"]
            )
            settled = ReportEntry(
                profileID: profileID,
                code: .createInDoubt,
                message: "the answer to a create was lost; customer \(update.customerID) was found by email and "
                    + "adopted, no second customer was made",
                customerID: update.customerID
            )
        }
        try state.transaction {
            try state.recordSent(update.record, customerID: update.customerID)
            guard let profileID = update.profileID else { return }
            if update.reason != .leave && update.reason != .enforceGroups {
                try state.link(profileID: profileID, customerID: update.customerID)
            }
            // The customer may have shopped before the link: revenue lists its orders by customer.
            if update.reason == .adopt || update.reason == .relink {
                try state.oweOrdersOfLinkedCustomer(update.customerID)
            }
            try state.completeOutbox(profileID: profileID)
            try clearFailureReports(profileID: profileID)
            if let settled {
                try state.clearPendingCreate(profileID: profileID)
                try state.addReport(settled)
            }
        }
        switch update.reason {
        case .adopt: counts.adopted += 1
        case .relink: counts.relinked += 1
        case .leave, .enforceGroups: counts.removed += update.needsWrite ? 1 : 0
        case .sync: counts.updated += 1
        }
    }

    /// Records a create's answer; `wasInDoubt` when an earlier create for the profile lost its answer
    /// and no customer of it was found (the report says it was settled by this create).
    func record(
        _ create: PlannedCreate,
        outcome: WriteOutcome,
        counts: inout RunCounts,
        failed: inout Set<Int>,
        wasInDoubt: Bool = false
    ) async throws {
        switch outcome {
        case .accepted(let customer):
            try state.transaction {
                try state.link(profileID: create.profileID, customerID: customer.id)
                try state.recordSent(create.record, customerID: customer.id)
                try state.clearPendingCreate(profileID: create.profileID)
                try state.completeOutbox(profileID: create.profileID)
                try clearFailureReports(profileID: create.profileID)
                if wasInDoubt { try state.addReport(createdAfterDoubt(create, customerID: customer.id)) }
            }
            if wasInDoubt {
                logger.notice(
                    "create in doubt settled: no customer was found, and it was created",
                    metadata: ["profile.id": "\(create.profileID)", "customer.id": "\(customer.id)"]
                )
            }
            counts.created += 1
        case .refused(let error):
            try state.clearPendingCreate(profileID: create.profileID)
            if try await adoptAfterRefusedCreate(create, counts: &counts, failed: &failed) { return }
            try recordFailure(profileID: create.profileID, error: error, hold: create.record, failed: &failed)
            counts.failed += 1
        case .inDoubt(let error):
            logger.warning(
                "create in doubt; the email is looked up before anything else is sent",
                metadata: ["profile.id": "\(create.profileID)", "error.kind": "\(error.kind)"]
            )
            try recordFailure(profileID: create.profileID, error: error, hold: nil, failed: &failed)
            counts.failed += 1
        case .failed(let error):
            try state.clearPendingCreate(profileID: create.profileID)
            try recordFailure(profileID: create.profileID, error: error, hold: nil, failed: &failed)
            counts.failed += 1
        case .abandoned(let mayHaveLanded):
            // Stays in the outbox; one that was on its way stays in doubt and is looked up first.
            if mayHaveLanded {
                logger.notice(
                    "create in doubt: the pass was stopped before the answer came; the email is looked up first",
                    metadata: ["profile.id": "\(create.profileID)"]
                )
            } else if !wasInDoubt {
                try state.clearPendingCreate(profileID: create.profileID)
            }
        case .vanished:
            break
        }
    }

    func createdAfterDoubt(_ create: PlannedCreate, customerID: Int) -> ReportEntry {
        ReportEntry(
            profileID: create.profileID,
            code: .createInDoubt,
            message: "the answer to a create was lost; no customer made by it was found, so customer \(customerID) "
                + "was created",
            customerID: customerID
        )
    }

    func recordFailure(profileID: Int?, error: StoreError, hold record: CustomerRecord?, failed: inout Set<Int>) throws
    {
        guard let profileID else {
            logger.warning(
                "store refused a group removal",
                metadata: ["error.kind": "\(error.kind)", "error": "\(LogPrivacy.maskingEmails(error.description))"]
            )
            return
        }
        failed.insert(profileID)
        let code: ReasonCode = record == nil ? .storeUnavailable : .storeRejected
        try state.transaction {
            try state.failOutbox(profileID: profileID, error: error.description, holdFingerprint: record?.fingerprint)
            try state.addReport(ReportEntry(profileID: profileID, code: code, message: error.description))
        }
        logger.warning(
            "profile not synced",
            metadata: ["profile.id": "\(profileID)", "reason": "\(code.rawValue)", "error.kind": "\(error.kind)"]
        )
    }

    func clearFailureReports(profileID: Int) throws {
        try state.clearReport(profileID: profileID, code: .storeRejected)
        try state.clearReport(profileID: profileID, code: .storeUnavailable)
    }

    /// Sentences for the pass's output and run history: how this pass settled the creates that were in
    /// doubt when it began (their `create_in_doubt` report rows, written as the answers came), the first
    /// few in full.
    func inDoubtSettlements(_ context: PlanContext) throws -> [String] {
        guard !context.createsInDoubt.isEmpty else { return [] }
        let settled = try state.report().filter {
            $0.code == .createInDoubt && context.createsInDoubt[$0.profileID] != nil
        }
        var sentences = settled.prefix(Self.settlementsShown).map {
            "create in doubt for profile \($0.profileID) settled: \($0.message)"
        }
        if settled.count > Self.settlementsShown {
            sentences.append(
                "\(settled.count - Self.settlementsShown) more creates in doubt settled ('membersync report' lists them)"
            )
        }
        return sentences
    }

    /// Settled creates in doubt named one by one in a pass's output.
    static let settlementsShown = 5

    // MARK: - Settling with a lookup

    /// A create the store refused may be an email the store already has (a shopper who signed up, or a
    /// case the lookup missed): adopt that customer when no other profile holds it.
    func adoptAfterRefusedCreate(_ create: PlannedCreate, counts: inout RunCounts, failed: inout Set<Int>) async throws
        -> Bool
    {
        let found: StoreCustomer?
        do {
            found = try await lookUpUnowned(email: create.record.email, for: create.profileID)
        } catch let error as StoreError {
            // The lookup itself failed: nothing is known about the refusal, so it is not held; the
            // profile is tried again at the next pass.
            try recordFailure(profileID: create.profileID, error: error, hold: nil, failed: &failed)
            counts.failed += 1
            return true
        }
        guard let holder = found else { return false }
        let update = PlannedUpdate(
            customerID: holder.id,
            profileID: create.profileID,
            record: create.record,
            previous: holder.record,
            reason: .adopt
        )
        let outcome =
            update.needsWrite ? await StoreWriter(store: store).send(updates: [update])[0].1 : .accepted(holder)
        try await record(update, outcome: outcome, counts: &counts, failed: &failed)
        return true
    }

    /// A linked customer deleted in the store: adopt a customer with the email, else create a new one.
    func replaceVanished(profileID: Int, record: CustomerRecord, counts: inout RunCounts, failed: inout Set<Int>)
        async throws
    {
        let writer = StoreWriter(store: store)
        do {
            if let holder = try await lookUpUnowned(email: record.email, for: profileID) {
                let update = PlannedUpdate(
                    customerID: holder.id,
                    profileID: profileID,
                    record: record,
                    previous: holder.record,
                    reason: .adopt
                )
                let outcome = update.needsWrite ? await writer.send(updates: [update])[0].1 : .accepted(holder)
                try await self.record(update, outcome: outcome, counts: &counts, failed: &failed)
                return
            }
        } catch let error as StoreError {
            try recordFailure(profileID: profileID, error: error, hold: nil, failed: &failed)
            return
        }
        let create = PlannedCreate(profileID: profileID, record: record)
        try state.transaction { try state.markCreatesSent([(profileID, record.email)]) }
        let outcome = await writer.send(creates: [create])[0].1
        try await self.record(create, outcome: outcome, counts: &counts, failed: &failed)
    }

    /// The store customer with exactly this email (compared trimmed, without case) that no other
    /// profile is linked to.
    func lookUpUnowned(email: String, for profileID: Int) async throws -> StoreCustomer? {
        let key = EmailAddress.comparisonKey(email)
        let found = try await store.customers(withEmails: [EmailAddress.trimmed(email)])
        let links = try state.links()
        let owners = Dictionary(links.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        return found.filter { $0.record.emailKey == key }.sorted { $0.id < $1.id }.first { customer in
            owners[customer.id] == nil || owners[customer.id] == profileID
        }
    }
}
