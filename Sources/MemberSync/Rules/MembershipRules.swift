/// Sync-rules sections 1 and 2 as a pure function: from a snapshot of MC Trade and today's date to
/// the group and customer record each person should have. No I/O.
public struct MembershipRules: Sendable {
    public let settings: SyncSettings
    /// Today in the agent's configured time zone.
    public let today: CalendarDay
    /// Days after `member_expires_on` during which a membership still counts.
    public let graceDays: Int

    public init(settings: SyncSettings, today: CalendarDay, graceDays: Int) {
        self.settings = settings
        self.today = today
        self.graceDays = max(0, graceDays)
    }

    /// The oldest expiry date that still counts as a member today.
    var earliestValidExpiry: CalendarDay { today.adding(days: -graceDays) }

    /// Live: active and not merged into another profile.
    public func isLive(_ profile: Profile) -> Bool {
        profile.status == "active" && profile.mergedInto == nil
    }

    /// A live profile with `is_member` whose expiry (if any) is not before today minus the grace days.
    /// An expiry date that cannot be read counts as expired: member pricing is for members only.
    public func isMember(_ profile: Profile) -> Bool {
        guard isLive(profile), profile.isMember else { return false }
        // Only NULL means "no expiry" (sync-rules 1); an empty or unreadable date counts as expired.
        guard let expiry = profile.memberExpiresOn else { return true }
        guard let day = CalendarDay(expiry) else { return false }
        return day >= earliestValidExpiry
    }

    /// Evaluates one profile against the snapshot.
    public func evaluate(_ profile: Profile, in snapshot: SourceSnapshot) -> ProfileEvaluation {
        var evaluation = ProfileEvaluation(
            profileID: profile.id,
            groupID: nil,
            rule: nil,
            record: nil,
            problems: [],
            noGroupReason: nil,
            explanationBasis: .organization,
            isMainContactOfMemberOrganization: false,
            isOrganization: profile.kind == .organization
        )
        guard profile.kind != .organization else { return evaluation }
        // Liveness first: a deleted, inactive or merged profile leaves whatever its kind says.
        guard isLive(profile) else {
            evaluation.noGroupReason = .notLive
            evaluation.explanationBasis = profile.mergedInto.map { .mergedInto($0) } ?? .status(profile.status)
            return evaluation
        }
        guard profile.kind == .individual else {
            evaluation.noGroupReason = .unknownKind
            evaluation.explanationBasis = .unknownKind
            return evaluation
        }
        let ties = organizationTies(of: profile, in: snapshot)
        evaluation.isMainContactOfMemberOrganization = !ties.mainContactMemberOrgs.isEmpty
        guard let (groupID, rule) = group(for: profile, ties: ties) else {
            evaluation.noGroupReason = .noGroup
            evaluation.explanationBasis = noGroupBasis(profile, ties: ties)
            return evaluation
        }
        evaluation.groupID = groupID
        evaluation.rule = rule
        evaluation.record = record(for: profile, groupID: groupID, ties: ties, in: snapshot)
        evaluation.problems = problems(of: profile, record: evaluation.record!)
        evaluation.explanationBasis = .grouped
        return evaluation
    }

    /// Evaluates every profile of the snapshot.
    public func evaluateAll(_ snapshot: SourceSnapshot) -> [Int: ProfileEvaluation] {
        var result: [Int: ProfileEvaluation] = [:]
        result.reserveCapacity(snapshot.profiles.count)
        for profile in snapshot.profiles.values {
            result[profile.id] = evaluate(profile, in: snapshot)
        }
        return result
    }

    // MARK: - Section 1

    struct OrganizationTies {
        var primaryMemberOrgs: [Int] = []
        var mainContactMemberOrgs: [Int] = []
        var livePrimaryOrgs: [Int] = []
    }

    func organizationTies(of profile: Profile, in snapshot: SourceSnapshot) -> OrganizationTies {
        var ties = OrganizationTies()
        for relationship in snapshot.relationships(ofIndividual: profile.id) {
            guard let organization = snapshot.profiles[relationship.organizationID],
                organization.kind == .organization
            else { continue }
            let isMemberOrg = isMember(organization)
            if relationship.isPrimary && isMemberOrg { ties.primaryMemberOrgs.append(organization.id) }
            if relationship.isMainContact && isMemberOrg { ties.mainContactMemberOrgs.append(organization.id) }
            if relationship.isPrimary && isLive(organization) { ties.livePrimaryOrgs.append(organization.id) }
        }
        ties.primaryMemberOrgs.sort()
        ties.mainContactMemberOrgs.sort()
        ties.livePrimaryOrgs.sort()
        return ties
    }

    /// The group and the rule that gives it; nil when section 1 gives none. Without a member group the
    /// settings are incomplete and nobody gets a group: the non-member group is only for those whom
    /// rules 1 to 3 leave out, which cannot be told without a member group.
    func group(for profile: Profile, ties: OrganizationTies) -> (Int, GroupRule)? {
        guard let memberGroup = settings.memberGroupID else { return nil }
        if isMember(profile) { return (memberGroup, .ownMembership) }
        if settings.includePrimaryRelated, let org = ties.primaryMemberOrgs.first {
            return (memberGroup, .primaryMemberOrganization(org))
        }
        if settings.includeMainContacts, let org = ties.mainContactMemberOrgs.first {
            return (memberGroup, .mainContactOfMemberOrganization(org))
        }
        if settings.includeIndividualNonmembers, let nonmemberGroup = settings.nonmemberGroupID,
            ties.primaryMemberOrgs.isEmpty, ties.mainContactMemberOrgs.isEmpty
        {
            return (nonmemberGroup, .individualNonmember)
        }
        return nil
    }

    // MARK: - Section 2

    func record(for profile: Profile, groupID: Int, ties: OrganizationTies, in snapshot: SourceSnapshot)
        -> CustomerRecord
    {
        CustomerRecord(
            email: EmailAddress.trimmed(profile.email ?? ""),
            firstName: CustomerRecord.sentName(profile.firstName),
            lastName: CustomerRecord.sentName(profile.lastName),
            company: company(ties: ties, in: snapshot),
            phone: CustomerRecord.sentPhone(profile.phone),
            customerGroupID: groupID
        )
    }

    /// The primary member org's name, else a live primary org's, lowest id with a non-empty name first.
    func company(ties: OrganizationTies, in snapshot: SourceSnapshot) -> String {
        for candidates in [ties.primaryMemberOrgs, ties.livePrimaryOrgs] {
            for id in candidates {
                let name = CustomerRecord.sentCompany(snapshot.profiles[id]?.orgName)
                if !name.isEmpty { return name }
            }
        }
        return ""
    }

    /// What keeps `record`, built from `profile`, from being uploaded as it is.
    func problems(of profile: Profile, record: CustomerRecord) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let email = EmailAddress.trimmed(profile.email ?? "")
        if email.isEmpty {
            problems.append(FieldProblem(code: .missingEmail, field: "email", message: "profile has no email"))
        } else if !EmailAddress.isWellFormed(email) {
            let shown = TextNormalizer.printable(String(String.UnicodeScalarView(email.unicodeScalars.prefix(80))))
            problems.append(
                FieldProblem(code: .invalidEmail, field: "email", message: "email '\(shown)' is not well formed")
            )
        }
        if let problem = nameProblem(sent: record.firstName, source: profile.firstName, field: "first_name") {
            problems.append(problem)
        }
        if let problem = nameProblem(sent: record.lastName, source: profile.lastName, field: "last_name") {
            problems.append(problem)
        }
        return problems
    }

    /// `missing_name` when the name as sent is empty: empty in MC Trade, or cut to nothing because its
    /// first character alone is longer than the limit.
    func nameProblem(sent: String, source: String?, field: String) -> FieldProblem? {
        guard sent.isEmpty else { return nil }
        let name = field == "first_name" ? "first name" : "last name"
        let message =
            TextNormalizer.trimmed(source ?? "").isEmpty
            ? "\(name) is empty"
            : "\(name) is empty once cut to \(CustomerRecord.nameLimit) code points (its first character is longer)"
        return FieldProblem(code: .missingName, field: field, message: message)
    }

    // MARK: - Explanations

    func noGroupBasis(_ profile: Profile, ties: OrganizationTies) -> ExplanationBasis {
        guard settings.memberGroupID != nil else { return .noMemberGroup }
        return .noGroup(
            NoGroupFacts(
                isMember: profile.isMember,
                memberExpiresOn: profile.memberExpiresOn,
                graceDays: graceDays,
                primaryMemberOrganization: ties.primaryMemberOrgs.first,
                mainContactMemberOrganization: ties.mainContactMemberOrgs.first,
                includePrimaryRelated: settings.includePrimaryRelated,
                includeMainContacts: settings.includeMainContacts,
                includeIndividualNonmembers: settings.includeIndividualNonmembers
            )
        )
    }
}
