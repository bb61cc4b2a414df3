/// Which rule of sync-rules section 1 put a person in a group.
public enum GroupRule: Sendable, Hashable, CustomStringConvertible {
    /// Rule 1: the person is a member.
    case ownMembership
    /// Rule 2: a primary relationship to this member organization (with `include_primary_related`).
    case primaryMemberOrganization(Int)
    /// Rule 3: main contact of this member organization (with `include_main_contacts`).
    case mainContactOfMemberOrganization(Int)
    /// Not a member and tied to no member organization, with `include_individual_nonmembers`.
    case individualNonmember

    public var description: String {
        switch self {
        case .ownMembership: return "is a member"
        case .primaryMemberOrganization(let id): return "primary relationship to member organization \(id)"
        case .mainContactOfMemberOrganization(let id): return "main contact of member organization \(id)"
        case .individualNonmember: return "individual non-member (include_individual_nonmembers is on)"
        }
    }
}

/// A field of a profile that cannot be sent as it is.
public struct FieldProblem: Sendable, Hashable {
    public var code: ReasonCode
    /// The store field: `email`, `first_name` or `last_name`.
    public var field: String
    public var message: String
}

/// What the rules say about one profile.
public struct ProfileEvaluation: Sendable {
    public var profileID: Int
    /// The store group section 1 gives the person, or nil when not uploaded for that reason.
    public var groupID: Int?
    public var rule: GroupRule?
    /// The record as the rules want it (when `groupID` is set). Fields named in `problems` hold values
    /// that cannot be sent; the planner keeps the store's old value for them on a linked customer.
    public var record: CustomerRecord?
    public var problems: [FieldProblem]
    /// Why section 1 gives no group: `notLive`, `noGroup` or `unknownKind` (nil for organizations, which
    /// are never people).
    public var noGroupReason: ReasonCode?
    /// What `explanation` is built from (the text itself is built only when asked for).
    var explanationBasis: ExplanationBasis
    /// Main contact of a member organization, whatever the settings (a tie-break for duplicate emails).
    public var isMainContactOfMemberOrganization: Bool
    public var isOrganization: Bool

    /// Plain words for `explain` and the report: the decision and what decided it.
    public var explanation: String {
        switch explanationBasis {
        case .organization: return "organizations are never uploaded: every store customer is a person"
        case .unknownKind:
            return "not uploaded: kind is neither 'individual' nor 'organization', so this may not be a person; "
                + "a linked customer is left as it is until kind is fixed in MC Trade"
        case .mergedInto(let survivor): return "not live: merged into profile \(survivor)"
        case .status(let status): return "not live: status is '\(status)'"
        case .noMemberGroup: return "not uploaded: the settings are incomplete: no member group is chosen"
        case .noGroup(let facts): return facts.explanation
        case .grouped:
            guard let groupID, let rule else { return "" }
            return "group \(groupID): \(rule)"
        }
    }

    /// In a group, with a well-formed email and both names.
    public var isUploadable: Bool { groupID != nil && problems.isEmpty }

    /// True when the profile's linked customer must be left as it is even without a group: the rules
    /// cannot tell whether the profile is a person (`unknownKind`).
    public var keepsLinkedCustomer: Bool { noGroupReason == .unknownKind }

    /// The comparison key of the email the rules want, when it is well formed.
    public var wantedEmailKey: String? {
        guard let record, !problems.contains(where: { $0.field == "email" }) else { return nil }
        return record.emailKey
    }
}
