/// Sync-rules sections 3 and 4: from the rules' evaluations, the links, and what is known of the store,
/// the writes that make the store match. Pure: no I/O.
///
/// The evaluations cover every profile (so that duplicate emails are settled the same way whatever the
/// scope); only profiles in `scope` are acted on. A full sync passes every profile as scope and a
/// complete store view, which also enables removing strangers from the managed groups.
public struct SyncPlanner: Sendable {
    public let evaluations: ProfileEvaluations
    public let context: PlanContext
    public let store: StoreView
    let customerOwners: [Int: Int]
    /// Email key → the profiles that want it and whose email may be written.
    private(set) var claims: [String: [Int]]

    public init(evaluations: [Int: ProfileEvaluation], context: PlanContext, store: StoreView) {
        self.init(evaluations: ProfileEvaluations(evaluations), context: context, store: store)
    }

    public init(evaluations: ProfileEvaluations, context: PlanContext, store: StoreView) {
        self.evaluations = evaluations
        self.context = context
        self.store = store
        var owners: [Int: Int] = [:]
        for (profile, customer) in context.links { owners[customer] = profile }
        self.customerOwners = owners
        self.claims = [:]
        for evaluation in evaluations.values where isClaimant(evaluation) {
            guard let key = evaluation.wantedEmailKey, let email = evaluation.record?.email else { continue }
            claims[EmailAddress.sharingStorage(key, with: email), default: []].append(evaluation.profileID)
        }
    }

    /// True when the profile's wanted email may be written: it is uploadable, or it is linked to a
    /// customer that still exists (a linked profile with a bad name still gets its new email).
    func isClaimant(_ evaluation: ProfileEvaluation) -> Bool {
        if evaluation.isUploadable { return true }
        guard evaluation.groupID != nil, let customerID = context.links[evaluation.profileID] else { return false }
        return currentRecord(of: customerID) != nil
    }

    /// The plan for the profiles in `scope`.
    public func plan(scope: Set<Int>) -> SyncPlan {
        var builder = PlanBuilder(scope: scope, context: context)
        let ordered = scope.sorted()
        for id in ordered where evaluations[id]?.groupID != nil {
            planGrouped(evaluations[id]!, into: &builder)
        }
        for id in ordered where evaluations[id]?.groupID == nil {
            planUngrouped(profileID: id, into: &builder)
        }
        if store.isComplete && context.enforceGroups { planStrangers(into: &builder) }
        return builder.plan
    }

    // MARK: - Profiles that section 1 gives a group

    func planGrouped(_ evaluation: ProfileEvaluation, into builder: inout PlanBuilder) {
        let id = evaluation.profileID
        if let customerID = context.links[id], let current = currentRecord(of: customerID) {
            planLinked(evaluation, customerID: customerID, current: current, into: &builder)
            return
        }
        // Unlinked, or linked to a customer that no longer exists in the store.
        for problem in evaluation.problems {
            builder.report(
                ReportEntry(profileID: id, code: problem.code, field: problem.field, message: problem.message)
            )
        }
        guard evaluation.isUploadable, let record = evaluation.record, let key = evaluation.wantedEmailKey else {
            return
        }
        if let winner = emailWinner(key), winner != id {
            builder.report(
                ReportEntry(
                    profileID: id,
                    code: .duplicateEmail,
                    field: "email",
                    message: "email is also wanted by profile \(winner), which gets the customer",
                    relatedProfileID: winner
                )
            )
            return
        }
        if isHeld(id, record: record) {
            builder.plan.held.append(id)
            return
        }
        planUnlinked(profileID: id, record: record, key: key, into: &builder)
    }

    func planLinked(
        _ evaluation: ProfileEvaluation,
        customerID: Int,
        current: CustomerRecord,
        into builder: inout PlanBuilder
    ) {
        let id = evaluation.profileID
        guard var wanted = evaluation.record else { return }
        for problem in evaluation.problems {
            builder.report(
                ReportEntry(
                    profileID: id,
                    code: problem.code,
                    field: problem.field,
                    message: problem.message + "; the store keeps the last value",
                    customerID: customerID
                )
            )
            keepCurrentValue(of: problem.field, from: current, in: &wanted)
        }
        let key = wanted.emailKey
        if key != current.emailKey, let entry = emailRefusal(id, key: key, customerID: customerID) {
            builder.report(entry)
            wanted.email = current.email
        }
        let isUnchanged = wanted == current
        if !isUnchanged {
            // A kept name too long for a write is sent as the rules cut one, or the store refuses the update.
            let writable = current.writable()
            for problem in evaluation.problems { keepCurrentValue(of: problem.field, from: writable, in: &wanted) }
        }
        if isHeld(id, record: wanted) {
            builder.plan.held.append(id)
            return
        }
        if isUnchanged {
            builder.plan.unchanged += 1
            return
        }
        builder.update(
            PlannedUpdate(customerID: customerID, profileID: id, record: wanted, previous: current, reason: .sync)
        )
    }

    func planUnlinked(profileID id: Int, record: CustomerRecord, key: String, into builder: inout PlanBuilder) {
        if let created = customerCreatedInDoubt(for: id, wantedKey: key, builder: builder) {
            builder.update(
                PlannedUpdate(
                    customerID: created.id,
                    profileID: id,
                    record: record,
                    previous: created.record,
                    reason: .adopt
                )
            )
            return
        }
        guard let holder = store.customers(withEmailKey: key).first else {
            builder.plan.creates.append(PlannedCreate(profileID: id, record: record))
            return
        }
        let owner = customerOwners[holder.id]
        if let owner, owner != id, let holding = evaluations[owner],
            holding.groupID != nil || holding.keepsLinkedCustomer
        {
            builder.report(
                ReportEntry(
                    profileID: id,
                    code: .emailConflict,
                    field: "email",
                    message: "email is held by store customer \(holder.id), linked to profile \(owner)",
                    relatedProfileID: owner,
                    customerID: holder.id
                )
            )
            return
        }
        let relinkedFrom = (owner != nil && owner != id) ? owner : nil
        if let relinkedFrom {
            builder.report(
                ReportEntry(
                    profileID: id,
                    code: .relinked,
                    message: "took over customer \(holder.id) from profile \(relinkedFrom), which left",
                    relatedProfileID: relinkedFrom,
                    customerID: holder.id
                )
            )
        }
        builder.update(
            PlannedUpdate(
                customerID: holder.id,
                profileID: id,
                record: record,
                previous: holder.record,
                reason: relinkedFrom == nil ? .adopt : .relink,
                relinkedFrom: relinkedFrom
            )
        )
    }

    /// The customer that a create in doubt made under the email it sent, when the profile's email has
    /// changed since: adopted (and given the new email) instead of orphaned beside a second customer.
    /// Only an exact match of the email sent that no other profile holds or wants, and only while the
    /// new email is free (else the usual adoption or conflict applies).
    func customerCreatedInDoubt(for id: Int, wantedKey: String, builder: PlanBuilder) -> StoreCustomer? {
        guard let sent = context.createsInDoubt[id] else { return nil }
        let sentKey = EmailAddress.comparisonKey(sent)
        guard sentKey != wantedKey, store.customers(withEmailKey: wantedKey).isEmpty,
            (claims[sentKey] ?? []).allSatisfy({ $0 == id })
        else { return nil }
        return store.customers(withEmailKey: sentKey).first { customer in
            (customerOwners[customer.id] ?? id) == id && !builder.isClaimed(customer.id)
        }
    }

    /// Why a linked profile cannot move its customer to its new email: another store customer holds it
    /// (`email_conflict`), or another profile wins it (`duplicate_email`); nil when it can.
    func emailRefusal(_ id: Int, key: String, customerID: Int) -> ReportEntry? {
        if let holder = emailHolder(key, besides: customerID) {
            return ReportEntry(
                profileID: id,
                code: .emailConflict,
                field: "email",
                message: "new email is held by store customer \(holder); the store keeps the old email",
                relatedProfileID: customerOwners[holder],
                customerID: customerID
            )
        }
        guard let winner = emailWinner(key), winner != id else { return nil }
        return ReportEntry(
            profileID: id,
            code: .duplicateEmail,
            field: "email",
            message: "new email is also wanted by profile \(winner), which gets it; the store keeps the old email",
            relatedProfileID: winner,
            customerID: customerID
        )
    }

    // MARK: - Profiles that section 1 gives no group

    func planUngrouped(profileID id: Int, into builder: inout PlanBuilder) {
        let evaluation = evaluations[id]
        if let evaluation, !evaluation.isOrganization, let reason = evaluation.noGroupReason {
            let field = reason == .unknownKind ? "kind" : nil
            builder.report(ReportEntry(profileID: id, code: reason, field: field, message: evaluation.explanation))
        }
        guard evaluation?.keepsLinkedCustomer != true, let customerID = context.links[id],
            !builder.isClaimed(customerID),
            let current = currentRecord(of: customerID),
            context.managedGroups.contains(current.customerGroupID)
        else { return }
        builder.update(
            PlannedUpdate(
                customerID: customerID,
                profileID: id,
                record: current.leavingGroups(),
                previous: current,
                reason: .leave
            )
        )
    }

    /// Customers in a managed group whose profile (if any) section 1 gives no group: a full sync only.
    func planStrangers(into builder: inout PlanBuilder) {
        for customerID in store.customersByID.keys.sorted() {
            let customer = store.customersByID[customerID]!
            guard context.managedGroups.contains(customer.record.customerGroupID), !builder.isClaimed(customer.id)
            else { continue }
            if let owner = customerOwners[customer.id], let evaluation = evaluations[owner],
                evaluation.groupID != nil || evaluation.keepsLinkedCustomer
            {
                continue
            }
            builder.update(
                PlannedUpdate(
                    customerID: customer.id,
                    profileID: customerOwners[customer.id],
                    record: customer.record.leavingGroups(),
                    previous: customer.record,
                    reason: customerOwners[customer.id] == nil ? .enforceGroups : .leave
                )
            )
        }
    }

    // MARK: - Helpers

    /// The store's record of a customer: from the view when it holds it, else what the store last
    /// accepted; nil when the view is complete and the customer is gone.
    func currentRecord(of customerID: Int) -> CustomerRecord? {
        if let customer = store.customersByID[customerID] { return customer.record }
        if store.isComplete { return nil }
        return context.lastSent[customerID]
    }

    /// The profile that gets the customer for an email key: a linked claimant first (the one whose
    /// customer holds the email, else the lowest id), then member group over non-member group, then
    /// main contacts of member organizations, then the lowest id.
    func emailWinner(_ key: String) -> Int? {
        guard let claimants = claims[key], !claimants.isEmpty else { return nil }
        let linked = claimants.filter { context.links[$0] != nil && currentRecord(of: context.links[$0]!) != nil }
        if !linked.isEmpty {
            let holding = linked.filter { currentRecord(of: context.links[$0]!)?.emailKey == key }
            return (holding.isEmpty ? linked : holding).min()
        }
        return claimants.min { rank($0) < rank($1) }
    }

    func rank(_ id: Int) -> (Int, Int, Int) {
        let evaluation = evaluations[id]!
        return (
            evaluation.groupID == context.memberGroupID ? 0 : 1,
            evaluation.isMainContactOfMemberOrganization ? 0 : 1,
            id
        )
    }

    /// A customer other than `customerID` that holds the email key, if known.
    func emailHolder(_ key: String, besides customerID: Int) -> Int? {
        if let holder = store.customers(withEmailKey: key).first(where: { $0.id != customerID }) {
            return holder.id
        }
        guard !store.isComplete else { return nil }
        // Without a full listing, a linked customer we last gave this email still holds it.
        return context.lastSent.first { $0.key != customerID && $0.value.emailKey == key }?.key
    }

    func isHeld(_ id: Int, record: CustomerRecord) -> Bool {
        context.heldFingerprints[id] == record.fingerprint
    }

    func keepCurrentValue(of field: String, from current: CustomerRecord, in record: inout CustomerRecord) {
        switch field {
        case "email": record.email = current.email
        case "first_name": record.firstName = current.firstName
        case "last_name": record.lastName = current.lastName
        default: break
        }
    }
}

/// Collects a plan, making sure that a customer is written at most once.
struct PlanBuilder {
    var plan = SyncPlan()
    private var claimedCustomers: Set<Int> = []

    init(scope: Set<Int>, context: PlanContext) {
        plan.scope = scope
        plan.memberGroupID = context.memberGroupID
        plan.nonmemberGroupID = context.nonmemberGroupID
        plan.linkedCustomers = Set(context.links.values)
    }

    func isClaimed(_ customerID: Int) -> Bool { claimedCustomers.contains(customerID) }

    mutating func update(_ update: PlannedUpdate) {
        guard claimedCustomers.insert(update.customerID).inserted else { return }
        plan.updates.append(update)
        if !update.needsWrite && update.reason == .sync { plan.unchanged += 1 }
    }

    mutating func report(_ entry: ReportEntry) {
        plan.reports.append(entry)
    }
}
