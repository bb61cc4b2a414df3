/// Why a customer is written.
public enum UpdateReason: String, Sendable, Codable {
    /// The profile changed, or the store drifted from it.
    case sync
    /// An unlinked profile takes over a store customer with its email that no profile holds.
    case adopt
    /// The link moves from a profile that left to this one (same email).
    case relink
    /// The profile left: its customer goes to group 0, other fields untouched.
    case leave
    /// A stranger in the member or non-member group goes to group 0 (`enforce_groups`).
    case enforceGroups = "enforce_groups"
}

/// A new customer for an unlinked profile.
public struct PlannedCreate: Sendable, Hashable {
    public var profileID: Int
    public var record: CustomerRecord
}

/// A write to an existing customer, or a link to record once the store confirmed the customer.
public struct PlannedUpdate: Sendable, Hashable {
    public var customerID: Int
    /// The profile this customer is (or becomes) linked to; nil for a stranger.
    public var profileID: Int?
    public var record: CustomerRecord
    /// What the store held (or last accepted) before; nil when unknown.
    public var previous: CustomerRecord?
    public var reason: UpdateReason
    /// The profile whose link moves to `profileID` (relink only).
    public var relinkedFrom: Int?

    /// False when the store already holds `record` and only the link is new.
    public var needsWrite: Bool { previous != record }
}

/// A report row: a profile not uploaded, partly uploaded, or failed, and why.
public struct ReportEntry: Sendable, Hashable {
    public var profileID: Int
    public var code: ReasonCode
    public var field: String?
    public var message: String
    public var relatedProfileID: Int?
    public var customerID: Int?

    public init(
        profileID: Int,
        code: ReasonCode,
        field: String? = nil,
        message: String,
        relatedProfileID: Int? = nil,
        customerID: Int? = nil
    ) {
        self.profileID = profileID
        self.code = code
        self.field = field
        self.message = message
        self.relatedProfileID = relatedProfileID
        self.customerID = customerID
    }
}

/// What a pass will do: creates, updates (including links and group removals), and report rows for the
/// profiles it looked at. A dry run prints it and stops.
public struct SyncPlan: Sendable {
    public var creates: [PlannedCreate] = []
    public var updates: [PlannedUpdate] = []
    public var reports: [ReportEntry] = []
    /// Profiles the plan looked at (their old report rows are replaced by `reports`).
    public var scope: Set<Int> = []
    /// Profiles whose customer already matches.
    public var unchanged = 0
    /// Profiles skipped because the store refused their unchanged record before.
    public var held: [Int] = []

    public init() {}

    /// Writes that move a linked customer out of the member or non-member group.
    public var groupRemovals: [PlannedUpdate] {
        updates.filter { ($0.reason == .leave || $0.reason == .enforceGroups) && $0.needsWrite }
    }

    public var writeCount: Int { creates.count + updates.filter(\.needsWrite).count }

    /// Writes that take a customer out of its group, whatever the reason: out of the member group (to
    /// the non-member group or to group 0), or out of the non-member group to group 0. A member who
    /// lapses into the non-member group loses member pricing as surely as one who leaves, so the
    /// safety rails count both.
    public func groupDepartures(in context: PlanContext) -> [PlannedUpdate] {
        updates.filter { update in
            guard update.needsWrite, let from = update.previous?.customerGroupID else { return false }
            let to = update.record.customerGroupID
            if from == context.memberGroupID { return to != from }
            return from == context.nonmemberGroupID && !context.managedGroups.contains(to)
        }
    }
}
