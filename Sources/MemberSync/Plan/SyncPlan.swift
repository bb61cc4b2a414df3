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

    public var writeCount: Int { creates.count + updates.filter(\.needsWrite).count }

    /// The groups the plan was made for: a removal is judged against them.
    public var memberGroupID: Int?
    public var nonmemberGroupID: Int?
    /// Customers linked to a profile when the plan was made.
    public var linkedCustomers: Set<Int> = []

    /// Writes that take a customer out of its group, whatever the reason: out of the member group (to
    /// the non-member group or to group 0), or out of the non-member group to a group the agent does
    /// not manage. A member who lapses into the non-member group loses member pricing as surely as one
    /// who leaves. The dry run lists these; the safety rails count `linkedGroupRemovals`.
    public var groupRemovals: [PlannedUpdate] {
        updates.filter { update in
            guard update.needsWrite, let from = update.previous?.customerGroupID else { return false }
            let to = update.record.customerGroupID
            if from == memberGroupID { return to != from }
            return from == nonmemberGroupID && to != memberGroupID && to != nonmemberGroupID
        }
    }

    /// The group removals of customers linked to a profile: what the safety rails count (a stranger
    /// moved out under `enforce_groups` is not one of the association's members).
    public var linkedGroupRemovals: [PlannedUpdate] {
        groupRemovals.filter { linkedCustomers.contains($0.customerID) }
    }
}
