import Foundation

/// Everything `membersync explain` says about one profile: what the rules decide and why, and what
/// the agent did about it.
struct ProfileExplanation: Sendable {
    /// One organization the person is related to.
    struct OrganizationTie: Sendable {
        var id: Int
        var name: String
        var isMember: Bool
        var isLive: Bool
        /// The organization's own `is_member` flag and expiry, to show why it is not a member.
        var memberFlag: Bool
        var expiresOn: String?
        var relationType: String
        var isPrimary: Bool
        var isMainContact: Bool

        /// `member until 2027-01-01`, `membership expired on 2026-12-01`, `not a member`, `not live`.
        var standing: String {
            guard isLive else { return "not live" }
            if isMember { return "member" + (expiresOn.map { " until \($0)" } ?? "") }
            if memberFlag { return "membership expired on \(expiresOn ?? "?")" }
            return "not a member"
        }
    }

    var profileID: Int
    var profile: Profile?
    var settings: SyncSettings?
    var today: CalendarDay
    var graceDays: Int
    var evaluation: ProfileEvaluation?
    var organizations: [OrganizationTie] = []
    var customerID: Int?
    var lastSent: (record: CustomerRecord, sentAt: String)?
    var outbox: OutboxEntry?
    var createInDoubt: String?
    var reports: [ReportEntry] = []

    /// Evaluates `profileID` in `snapshot` as the engine would today, and reads what the state file
    /// holds about it.
    static func make(
        profileID: Int,
        snapshot: SourceSnapshot,
        state: StateStore,
        graceDays: Int,
        timeZone: TimeZone,
        now: Date = Date()
    ) throws -> ProfileExplanation {
        let today = CalendarDay(date: now, timeZone: timeZone)
        var explanation = ProfileExplanation(
            profileID: profileID,
            profile: snapshot.profiles[profileID],
            settings: snapshot.settings,
            today: today,
            graceDays: graceDays
        )
        if let profile = explanation.profile, let settings = snapshot.settings {
            let rules = MembershipRules(settings: settings, today: today, graceDays: graceDays)
            explanation.evaluation = rules.evaluate(profile, in: snapshot)
            explanation.organizations = snapshot.relationships(ofIndividual: profileID).compactMap { tie in
                guard let organization = snapshot.profiles[tie.organizationID] else { return nil }
                return OrganizationTie(
                    id: organization.id,
                    name: TextNormalizer.normalized(organization.orgName),
                    isMember: rules.isMember(organization),
                    isLive: rules.isLive(organization),
                    memberFlag: organization.isMember,
                    expiresOn: organization.memberExpiresOn,
                    relationType: tie.relationType,
                    isPrimary: tie.isPrimary,
                    isMainContact: tie.isMainContact
                )
            }
        }
        explanation.customerID = try state.links()[profileID]
        if let customer = explanation.customerID { explanation.lastSent = try state.lastSent(customerID: customer) }
        explanation.outbox = try state.outbox().first { $0.profileID == profileID }
        explanation.createInDoubt = try state.pendingCreates()[profileID]
        explanation.reports = try state.report().filter { $0.profileID == profileID }
        return explanation
    }

    /// The one-line answer: in which group, or why none.
    var verdict: String {
        guard let profile else { return "profile \(profileID) is not in MC Trade" }
        guard settings != nil else { return "MC Trade has no BigCommerce settings row: nobody is uploaded" }
        guard let evaluation else { return "not evaluated" }
        guard let group = evaluation.groupID, let rule = evaluation.rule else {
            if profile.kind != .individual { return "NOT UPLOADED: \(evaluation.explanation)" }
            return "NOT IN ANY GROUP: " + evaluation.explanation.replacingOccurrences(of: "not uploaded: ", with: "")
        }
        let name = group == settings?.memberGroupID ? "member group" : "non-member group"
        var text = "belongs in the \(name) (\(group)) because: \(rule)"
        if !evaluation.problems.isEmpty {
            text += "; but it cannot be sent as it is: " + evaluation.problems.map(\.message).joined(separator: "; ")
        }
        return text
    }

    func text() -> String {
        var lines = ["profile \(profileID): \(verdict)"]
        if let profile {
            let name = TextNormalizer.printable(Self.displayName(of: profile))
            let email = profile.email.map(TextNormalizer.printable) ?? "no email"
            lines.append(
                "  MC Trade:     \(profile.kind?.rawValue ?? "unknown kind") '\(name)' <\(email)>, "
                    + "status \(TextNormalizer.printable(profile.status))"
                    + "\(profile.mergedInto.map { ", merged into \($0)" } ?? "")"
            )
            lines.append(
                "  membership:   is_member \(profile.isMember ? 1 : 0), expires \(profile.memberExpiresOn ?? "never"); "
                    + "today \(today) (grace \(graceDays) days)"
            )
        }
        if let settings {
            lines.append(
                "  settings:     member group \(settings.memberGroupID.map(String.init) ?? "none"), non-member group "
                    + "\(settings.nonmemberGroupID.map(String.init) ?? "none"), include_primary_related "
                    + "\(settings.includePrimaryRelated ? "on" : "off"), include_main_contacts "
                    + "\(settings.includeMainContacts ? "on" : "off"), include_individual_nonmembers "
                    + "\(settings.includeIndividualNonmembers ? "on" : "off")"
            )
        }
        if organizations.isEmpty && profile?.kind == .individual {
            lines.append("  organizations: none")
        }
        for tie in organizations {
            var roles = [tie.relationType]
            if tie.isPrimary { roles.append("primary") }
            if tie.isMainContact { roles.append("main contact") }
            let standing = tie.standing
            lines.append("  organization: \(tie.id) '\(tie.name)' (\(standing)): \(roles.joined(separator: ", "))")
        }
        if evaluation?.groupID == nil {
            for tie in organizations where (tie.isPrimary || tie.isMainContact) && !tie.isMember {
                lines.append(
                    "  note:         organization \(tie.id) does not count now (\(tie.standing)); renewing it in MC Trade "
                        + "would bring this person back\(tie.isMainContact ? "" : " (with include_primary_related on)")"
                )
            }
        }
        if let evaluation, let record = evaluation.record {
            lines.append("  would send:   \(Self.describe(record))")
        }
        lines.append("  store:        " + (customerID.map { "linked to customer \($0)" } ?? "not linked to a customer"))
        if let lastSent {
            lines.append("  last sent:    \(lastSent.sentAt): \(Self.describe(lastSent.record))")
            if let wanted = evaluation?.record, wanted != lastSent.record {
                let fields = wanted.differingFields(from: lastSent.record).joined(separator: ", ")
                lines.append(
                    "  differs in:   \(fields) (the next pass sends it, unless a report row below says why not)"
                )
            }
        }
        lines.append("  outbox:       \(outboxText)")
        if let email = createInDoubt {
            lines.append("  create in doubt for <\(email)>: the next pass looks the email up before sending again")
        }
        for entry in reports {
            let field = entry.field.map { " [\($0)]" } ?? ""
            lines.append("  report:       \(entry.code.rawValue)\(field): \(entry.message)")
        }
        if reports.isEmpty { lines.append("  report:       no rows") }
        return lines.joined(separator: "\n")
    }

    var outboxText: String {
        guard let outbox else { return "nothing waiting" }
        if outbox.isHeld {
            return "HELD after \(outbox.attempts) attempts: \(outbox.lastError ?? "refused") "
                + "(sent again when the profile changes, or 'membersync retry \(profileID)')"
        }
        if let error = outbox.lastError { return "failed \(outbox.attempts) times, retried every pass: \(error)" }
        return "waiting for the next pass"
    }

    /// An organization's `org_name`; a person's first and last name.
    static func displayName(of profile: Profile) -> String {
        if profile.kind == .organization { return profile.orgName ?? "" }
        return [profile.firstName, profile.lastName].compactMap { $0 }.joined(separator: " ")
    }

    static func describe(_ record: CustomerRecord) -> String {
        "<\(record.email)> '\(record.firstName) \(record.lastName)', company '\(record.company)', "
            + "phone '\(record.phone)', group \(record.customerGroupID)"
    }

    func json() -> String {
        var object: [String: Any] = ["profile_id": profileID, "verdict": verdict, "today": today.description]
        object["group_id"] = evaluation?.groupID
        object["rule"] = evaluation?.rule?.description
        object["explanation"] = evaluation?.explanation
        object["customer_id"] = customerID
        object["organizations"] = organizations.map {
            [
                "id": $0.id, "name": $0.name, "is_member": $0.isMember, "relation_type": $0.relationType,
                "is_primary": $0.isPrimary, "is_main_contact": $0.isMainContact,
            ] as [String: Any]
        }
        if let lastSent {
            object["last_sent"] = ["at": lastSent.sentAt, "group_id": lastSent.record.customerGroupID]
        }
        object["outbox"] = outbox.map { ["attempts": $0.attempts, "held": $0.isHeld, "error": $0.lastError as Any] }
        object["report"] = reports.map { ["code": $0.code.rawValue, "message": $0.message] }
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
