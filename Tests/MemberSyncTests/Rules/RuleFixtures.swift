import MemberSync

/// Builders for MC Trade rows and rule evaluations, shared by the rules and planner tests.
enum RuleFixtures {
    /// The day the tests run on.
    static let today = CalendarDay(year: 2026, month: 6, day: 15)

    /// The cases' settings: member group 4, non-member group 3, main contacts on.
    static func settings(
        memberGroupID: Int? = 4,
        nonmemberGroupID: Int? = 3,
        includeIndividualNonmembers: Bool = false,
        includeMainContacts: Bool = true,
        includePrimaryRelated: Bool = false
    ) -> SyncSettings {
        SyncSettings(
            memberGroupID: memberGroupID,
            nonmemberGroupID: nonmemberGroupID,
            includeIndividualNonmembers: includeIndividualNonmembers,
            includeMainContacts: includeMainContacts,
            includePrimaryRelated: includePrimaryRelated
        )
    }

    /// Stands for "an email made from the profile id" in `person(_:)`, so that nil can mean NULL.
    static let idEmail = "<id>"

    /// A live individual with names and (unless given) a well-formed email made from its id.
    static func person(
        _ id: Int,
        member: Bool = false,
        expires: String? = nil,
        status: String = "active",
        mergedInto: Int? = nil,
        first: String? = "Ada",
        last: String? = "Kovacs",
        email: String? = idEmail,
        phone: String? = nil
    ) -> Profile {
        Profile(
            id: id,
            kind: .individual,
            status: status,
            mergedInto: mergedInto,
            isMember: member,
            memberExpiresOn: expires,
            firstName: first,
            lastName: last,
            email: email == idEmail ? "person\(id)@example.test" : email,
            phone: phone
        )
    }

    /// A live organization.
    static func organization(
        _ id: Int,
        member: Bool = true,
        expires: String? = nil,
        status: String = "active",
        mergedInto: Int? = nil,
        name: String? = nil
    ) -> Profile {
        Profile(
            id: id,
            kind: .organization,
            status: status,
            mergedInto: mergedInto,
            isMember: member,
            memberExpiresOn: expires,
            orgName: name ?? "Org \(id)",
            email: "office\(id)@example.test"
        )
    }

    static func tie(_ individual: Int, _ organization: Int, primary: Bool = false, mainContact: Bool = false)
        -> Relationship
    {
        Relationship(
            individualID: individual,
            organizationID: organization,
            isPrimary: primary,
            isMainContact: mainContact
        )
    }

    static func snapshot(
        _ profiles: [Profile],
        _ relationships: [Relationship] = [],
        settings: SyncSettings = settings()
    ) -> SourceSnapshot {
        SourceSnapshot(
            profiles: Dictionary(uniqueKeysWithValues: profiles.map { ($0.id, $0) }),
            relationships: relationships,
            settings: settings
        )
    }

    static func rules(_ settings: SyncSettings = settings(), graceDays: Int = 0) -> MembershipRules {
        MembershipRules(settings: settings, today: today, graceDays: graceDays)
    }

    /// The evaluation of profile `id` in a snapshot of `profiles` and `relationships`.
    static func evaluate(
        _ id: Int,
        _ profiles: [Profile],
        _ relationships: [Relationship] = [],
        settings: SyncSettings = settings(),
        graceDays: Int = 0
    ) -> ProfileEvaluation {
        let snapshot = snapshot(profiles, relationships, settings: settings)
        return rules(settings, graceDays: graceDays).evaluate(snapshot.profiles[id]!, in: snapshot)
    }

    /// The record section 2 gives a member with these fields.
    static func record(
        ofMember profile: Profile,
        _ relationships: [Relationship] = [],
        extra: [Profile] = []
    ) -> CustomerRecord? {
        evaluate(profile.id, [profile] + extra, relationships).record
    }

    /// `today` moved by `days`, as MC Trade text.
    static func day(_ days: Int) -> String {
        today.adding(days: days).description
    }
}
