import MemberSync

/// MC Trade rows, links and store customers for one planner run, with the cases' settings.
struct PlanScenario {
    var profiles: [Profile]
    var relationships: [Relationship] = []
    var settings = RuleFixtures.settings()
    var graceDays = 0
    /// Profile id → customer id.
    var links: [Int: Int] = [:]
    var customers: [StoreCustomer] = []
    var isComplete = true
    var enforceGroups = true
    var lastSent: [Int: CustomerRecord] = [:]

    var snapshot: SourceSnapshot {
        RuleFixtures.snapshot(profiles, relationships, settings: settings)
    }

    var evaluations: [Int: ProfileEvaluation] {
        RuleFixtures.rules(settings, graceDays: graceDays).evaluateAll(snapshot)
    }

    var context: PlanContext {
        PlanContext(
            memberGroupID: settings.memberGroupID!,
            nonmemberGroupID: settings.nonmemberGroupID,
            enforceGroups: enforceGroups,
            links: links,
            lastSent: lastSent
        )
    }

    var planner: SyncPlanner {
        SyncPlanner(
            evaluations: evaluations,
            context: context,
            store: StoreView(customers: customers, isComplete: isComplete)
        )
    }

    /// The plan for `scope`, by default every profile and every linked profile (a full sync's scope).
    func plan(scope: Set<Int>? = nil) -> SyncPlan {
        planner.plan(scope: scope ?? Set(profiles.map(\.id)).union(links.keys))
    }

    /// The record the rules give profile `id`.
    func wanted(_ id: Int) -> CustomerRecord {
        evaluations[id]!.record!
    }

    /// Links profile `id` to customer `customerID`, which holds exactly what the rules want for it.
    mutating func link(_ id: Int, to customerID: Int) {
        link(id, to: customerID, holding: wanted(id))
    }

    /// Links profile `id` to customer `customerID`, which holds `record`.
    mutating func link(_ id: Int, to customerID: Int, holding record: CustomerRecord) {
        links[id] = customerID
        customers.append(StoreCustomer(id: customerID, record: record))
        lastSent[customerID] = record
    }

    /// A store customer that no profile is linked to.
    static func stranger(
        _ id: Int,
        email: String,
        group: Int = 0,
        first: String = "Shopper",
        last: String = "Someone"
    ) -> StoreCustomer {
        StoreCustomer(
            id: id,
            record: CustomerRecord(
                email: email,
                firstName: first,
                lastName: last,
                company: "",
                phone: "",
                customerGroupID: group
            )
        )
    }
}

extension SyncPlan {
    /// The updates of customer `customerID`.
    func updates(of customerID: Int) -> [PlannedUpdate] {
        updates.filter { $0.customerID == customerID }
    }

    /// Report codes for profile `id`, in order.
    func codes(of id: Int) -> [ReasonCode] {
        reports.filter { $0.profileID == id }.map(\.code)
    }

    func report(of id: Int, _ code: ReasonCode) -> ReportEntry? {
        reports.first { $0.profileID == id && $0.code == code }
    }

    var writes: [PlannedUpdate] { updates.filter(\.needsWrite) }
}

extension CustomerRecord {
    /// This record with some fields changed.
    func with(
        email: String? = nil,
        firstName: String? = nil,
        lastName: String? = nil,
        company: String? = nil,
        phone: String? = nil,
        group: Int? = nil
    ) -> CustomerRecord {
        var copy = self
        if let email { copy.email = email }
        if let firstName { copy.firstName = firstName }
        if let lastName { copy.lastName = lastName }
        if let company { copy.company = company }
        if let phone { copy.phone = phone }
        if let group { copy.customerGroupID = group }
        return copy
    }
}
