import BCSandbox
import Foundation
import MemberSync
import SQLiteDB

/// What the store must hold for an MC Trade file, computed independently of the agent's rules code
/// (straight SQL over the tables, following sync-rules sections 1-2 word by word), and a check of a
/// sandbox dump against it.
struct StoreOracle {
    struct Expected: Equatable {
        var profileID: Int
        var email: String
        var firstName: String
        var lastName: String
        var company: String
        var phone: String
        var group: Int
    }

    /// The customers that must exist, by email key, for a store the agent filled from scratch (duplicate
    /// emails settled by: member group first, then main contact of a member org, then lowest id).
    static func expectedCustomers(mctradePath: String, graceDays: Int = 0) throws -> [String: Expected] {
        try claimants(mctradePath: mctradePath, graceDays: graceDays).compactMapValues(\.first)
    }

    /// Every profile that wants each email, best-ranked first. After a history of changes a linked
    /// profile keeps its customer over a better-ranked newcomer (sync-rules section 3), so for a store
    /// with history any of them may rightly hold the customer.
    static func claimants(mctradePath: String, graceDays: Int = 0) throws -> [String: [Expected]] {
        let database = try Database(path: mctradePath, mode: .readOnly)
        let settings = try database.query("SELECT * FROM bigcommerce_settings WHERE id = 1").first!
        let memberGroup = settings.int("member_group_id")!
        let nonmemberGroup = settings.int("nonmember_group_id")
        let includeNonmembers = settings.int("include_individual_nonmembers") == 1
        let includeMainContacts = settings.int("include_main_contacts") == 1
        let includePrimary = settings.int("include_primary_related") == 1
        let earliest = CalendarDayText.day(offset: -graceDays)
        let memberCondition = """
            (%@.status = 'active' AND %@.merged_into IS NULL AND %@.is_member = 1
             AND (%@.member_expires_on IS NULL OR %@.member_expires_on >= '\(earliest)'))
            """
        func member(_ alias: String) -> String { memberCondition.replacingOccurrences(of: "%@", with: alias) }
        let people = try database.query(
            """
            SELECT p.profile_id, p.email, p.first_name, p.last_name, p.phone,
              \(member("p")) AS is_member,
              EXISTS (SELECT 1 FROM relationships r JOIN profiles o ON o.profile_id = r.organization_id
                      WHERE r.individual_id = p.profile_id AND r.is_primary = 1 AND o.kind = 'organization'
                        AND \(member("o"))) AS has_primary_member_org,
              EXISTS (SELECT 1 FROM relationships r JOIN profiles o ON o.profile_id = r.organization_id
                      WHERE r.individual_id = p.profile_id AND r.is_main_contact = 1 AND o.kind = 'organization'
                        AND \(member("o"))) AS is_main_contact,
              (SELECT o.org_name FROM relationships r JOIN profiles o ON o.profile_id = r.organization_id
                WHERE r.individual_id = p.profile_id AND r.is_primary = 1 AND o.kind = 'organization'
                  AND \(member("o")) AND trim(coalesce(o.org_name, '')) <> '' ORDER BY o.profile_id LIMIT 1)
                AS member_company,
              (SELECT o.org_name FROM relationships r JOIN profiles o ON o.profile_id = r.organization_id
                WHERE r.individual_id = p.profile_id AND r.is_primary = 1 AND o.kind = 'organization'
                  AND o.status = 'active' AND o.merged_into IS NULL AND trim(coalesce(o.org_name, '')) <> ''
                ORDER BY o.profile_id LIMIT 1) AS live_company
            FROM profiles p
            WHERE p.kind = 'individual' AND p.status = 'active' AND p.merged_into IS NULL
            ORDER BY p.profile_id
            """
        )
        var candidates: [(rank: (Int, Int, Int), expected: Expected)] = []
        for row in people {
            let isMember = row.int("is_member") == 1
            let hasPrimary = row.int("has_primary_member_org") == 1
            let isMainContact = row.int("is_main_contact") == 1
            let group: Int?
            if isMember || (includePrimary && hasPrimary) || (includeMainContacts && isMainContact) {
                group = memberGroup
            } else if includeNonmembers && !hasPrimary && !isMainContact {
                group = nonmemberGroup
            } else {
                group = nil
            }
            guard let group else { continue }
            let email = TextNormalizer.trimmed(row.string("email") ?? "")
            let first = TextNormalizer.normalized(row.string("first_name"), limit: 100)
            let last = TextNormalizer.normalized(row.string("last_name"), limit: 100)
            guard EmailAddress.isWellFormed(email), !first.isEmpty, !last.isEmpty else { continue }
            let phone = TextNormalizer.normalized(row.string("phone"))
            let company = TextNormalizer.normalized(
                row.string("member_company") ?? row.string("live_company"),
                limit: 255
            )
            let id = row.int("profile_id")!
            candidates.append(
                (
                    (group == memberGroup ? 0 : 1, isMainContact ? 0 : 1, id),
                    Expected(
                        profileID: id,
                        email: email,
                        firstName: first,
                        lastName: last,
                        company: company,
                        phone: phone.unicodeScalars.count > 50 ? "" : phone,
                        group: group
                    )
                )
            )
        }
        var claimants: [String: [Expected]] = [:]
        for candidate in candidates.sorted(by: { $0.rank < $1.rank }) {
            claimants[email(candidate.expected.email), default: []].append(candidate.expected)
        }
        return claimants
    }

    static func email(_ text: String) -> String { TextNormalizer.trimmed(text).lowercased() }

    /// Each individual's email in MC Trade now, trimmed and lower-cased, by profile id.
    static func emailsHeld(mctradePath: String) throws -> [Int: Set<String>] {
        let database = try Database(path: mctradePath, mode: .readOnly)
        var held: [Int: Set<String>] = [:]
        for row in try database.query("SELECT profile_id, email FROM profiles WHERE kind = 'individual'") {
            guard let id = row.int("profile_id"), let text = row.string("email") else { continue }
            held[id, default: []].insert(email(text))
        }
        return held
    }

    /// Persons with more than one customer. A customer stands for the profile that ever held its email
    /// (`emailsHeld`: every email each profile had, lower-cased); customers whose email several
    /// profiles held are left out (the store's unique emails already keep those to one customer), and a
    /// customer whose email no profile ever held is reported too. Unlike `differences`, this looks at
    /// customers outside the managed groups: a second customer of a person who left sits in group 0.
    static func personsWithSeveralCustomers(store: SandboxDump, emailsHeld: [Int: Set<String>]) -> [String] {
        var holders: [String: [Int]] = [:]
        for (id, emails) in emailsHeld {
            for key in emails { holders[key, default: []].append(id) }
        }
        var problems: [String] = []
        var customersOfProfile: [Int: [SandboxDump.Customer]] = [:]
        for customer in store.customers {
            guard let profiles = holders[email(customer.email)] else {
                problems.append("customer \(customer.id) (\(customer.email)) has an email no profile ever held")
                continue
            }
            if profiles.count == 1 { customersOfProfile[profiles[0], default: []].append(customer) }
        }
        for (id, customers) in customersOfProfile.sorted(by: { $0.key < $1.key }) where customers.count > 1 {
            let list = customers.map { "\($0.id) <\($0.email)> group \($0.customerGroupID)" }
            problems.append("profile \(id) has \(customers.count) customers: \(list.joined(separator: ", "))")
        }
        return problems
    }

    /// Differences between the store and the expectation; empty when the store is exactly right.
    static func differences(
        store: SandboxDump,
        expected: [String: Expected],
        managedGroups: Set<Int>,
        alternatives: [String: [Expected]] = [:]
    ) -> [String] {
        var problems: [String] = []
        var byEmail: [String: [SandboxDump.Customer]] = [:]
        for customer in store.customers { byEmail[email(customer.email), default: []].append(customer) }
        for (key, customers) in byEmail where customers.count > 1 {
            problems.append("email \(key) has \(customers.count) customers")
        }
        for (key, want) in expected {
            guard let customer = byEmail[key]?.first else {
                problems.append("profile \(want.profileID) (\(key)) has no customer")
                continue
            }
            let candidates = alternatives[key] ?? [want]
            let matches = candidates.contains { candidate in
                let have = Expected(
                    profileID: candidate.profileID,
                    email: candidate.email,
                    firstName: customer.firstName.precomposedStringWithCanonicalMapping,
                    lastName: customer.lastName.precomposedStringWithCanonicalMapping,
                    company: customer.company.precomposedStringWithCanonicalMapping,
                    phone: customer.phone,
                    group: customer.customerGroupID
                )
                return have == candidate
            }
            if !matches {
                problems.append(
                    "email \(key): store has \(customer.firstName) \(customer.lastName), \(customer.company), "
                        + "\(customer.phone), group \(customer.customerGroupID); want one of \(candidates)"
                )
            }
        }
        for customer in store.customers where managedGroups.contains(customer.customerGroupID) {
            if expected[email(customer.email)] == nil {
                problems.append(
                    "customer \(customer.id) (\(customer.email)) is in group \(customer.customerGroupID) but no profile wants it"
                )
            }
        }
        return problems
    }
}
