/// The facts behind a profile's explanation, kept instead of its text: evaluating every profile on
/// every pass then builds no strings, and `explain` or a report row builds the one it shows.
enum ExplanationBasis: Sendable {
    /// An organization: never a store customer.
    case organization
    /// A kind the schema does not know: not known to be a person.
    case unknownKind
    /// Not live: merged into this profile.
    case mergedInto(Int)
    /// Not live: this status.
    case status(String)
    /// No group because no member group is chosen.
    case noMemberGroup
    /// No group: why, in the words of `NoGroupFacts`.
    indirect case noGroup(NoGroupFacts)
    /// In the evaluation's group by its rule.
    case grouped
}

/// Why section 1 gives a live individual no group, with a member group chosen.
struct NoGroupFacts: Sendable {
    var isMember: Bool
    var memberExpiresOn: String?
    var graceDays: Int
    /// The lowest primary member organization and main-contact member organization, if any.
    var primaryMemberOrganization: Int?
    var mainContactMemberOrganization: Int?
    var includePrimaryRelated: Bool
    var includeMainContacts: Bool
    var includeIndividualNonmembers: Bool

    /// `not uploaded: ` and the reasons, separated by semicolons.
    var explanation: String {
        var reasons: [String] = []
        if isMember, let memberExpiresOn, CalendarDay(memberExpiresOn) == nil {
            let shown = TextNormalizer.printable(memberExpiresOn)
            reasons.append("member_expires_on '\(shown)' is not a YYYY-MM-DD date, so it counts as expired")
        } else if isMember {
            reasons.append("membership expired on \(memberExpiresOn ?? "?") (grace \(graceDays) days)")
        } else {
            reasons.append("not a member")
        }
        if let primaryMemberOrganization, !includePrimaryRelated {
            reasons.append(
                "primary member organization \(primaryMemberOrganization) but include_primary_related is off"
            )
        }
        if let mainContactMemberOrganization, !includeMainContacts {
            reasons.append(
                "main contact of \(mainContactMemberOrganization) but include_main_contacts is off"
            )
        }
        if primaryMemberOrganization == nil && mainContactMemberOrganization == nil {
            reasons.append(
                includeIndividualNonmembers
                    ? "no non-member group is chosen" : "no primary or main-contact member organization"
            )
            if !includeIndividualNonmembers { reasons.append("include_individual_nonmembers is off") }
        } else if includeIndividualNonmembers {
            reasons.append("tied to a member organization, so not an individual non-member")
        }
        return "not uploaded: " + reasons.joined(separator: "; ")
    }
}
