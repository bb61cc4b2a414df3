import SQLiteDB

extension MCTradeSource {
    static let profileColumns = """
        SELECT profile_id, kind, status, merged_into, is_member, membership_level, member_expires_on,
               first_name, last_name, org_name, email, phone, updated_at
        FROM profiles
        """

    /// Reads profiles, relationships and settings, turning odd values into defaults and noting them.
    func readSnapshot(_ database: Database) throws -> SourceSnapshot {
        var problems: [Int: [String]] = [:]
        var profiles: [Int: Profile] = [:]
        try database.forEachRow(Self.profileColumns) { row in
            guard let id = row.int(0) else { return }
            profiles[id] = profile(from: row, id: id, problems: &problems)
        }
        let relationships = try readRelationships(database, problems: &problems)
        return SourceSnapshot(
            profiles: profiles,
            relationships: relationships,
            settings: try readSettings(database),
            readProblems: problems
        )
    }

    /// Reads the organizations, relationships and settings into a snapshot, then hands every profile
    /// (organizations too) to `visit` with that snapshot, one row at a time, keeping none of the others.
    func readSnapshot(_ database: Database, visiting visit: (Profile, SourceSnapshot) -> Void) throws
        -> SourceSnapshot
    {
        var organizations: [Int: Profile] = [:]
        // Any kind that is not text may still read as `organization`; the kind is decided below as always.
        try database.forEachRow(Self.profileColumns + " WHERE kind = 'organization' OR typeof(kind) != 'text'") {
            row in
            var ignored: [Int: [String]] = [:]
            guard let id = row.int(0) else { return }
            let profile = profile(from: row, id: id, problems: &ignored)
            if profile.kind == .organization { organizations[id] = profile }
        }
        var problems: [Int: [String]] = [:]
        let relationships = try readRelationships(database, problems: &problems)
        var snapshot = SourceSnapshot(
            profiles: organizations,
            relationships: relationships,
            settings: try readSettings(database)
        )
        try database.forEachRow(Self.profileColumns) { row in
            guard let id = row.int(0) else { return }
            visit(profile(from: row, id: id, problems: &problems), snapshot)
        }
        snapshot.readProblems = problems
        return snapshot
    }

    /// Every relationship row; duplicate rows of one (individual, organization) pair, which a table
    /// without its primary key may hold, are combined whatever their order: a flag is set when any of
    /// them sets it.
    func readRelationships(_ database: Database, problems: inout [Int: [String]]) throws -> [Relationship] {
        var relationships: [Relationship] = []
        var indexes: [RelationshipPair: Int] = [:]
        try database.forEachRow(
            "SELECT individual_id, organization_id, relation_type, is_primary, is_main_contact FROM relationships"
        ) { row in
            guard let individual = row.int(0), let organization = row.int(1) else { return }
            let relationship = Relationship(
                individualID: individual,
                organizationID: organization,
                relationType: row.string(2) ?? "",
                isPrimary: row.int(3) == 1,
                isMainContact: row.int(4) == 1
            )
            let pair = RelationshipPair(individual: individual, organization: organization)
            guard let index = indexes[pair] else {
                indexes[pair] = relationships.count
                relationships.append(relationship)
                return
            }
            relationships[index].combine(with: relationship)
            problems[individual, default: []].append("duplicate relationship rows to \(organization), combined")
        }
        return relationships
    }

    func profile(from row: Row, id: Int, problems: inout [Int: [String]]) -> Profile {
        let kindText = row.string(1)
        let kind = kindText.flatMap(Profile.Kind.init(rawValue:))
        if kind == nil {
            let shown = TextNormalizer.printable(
                String(String.UnicodeScalarView((kindText ?? "NULL").unicodeScalars.prefix(40)))
            )
            problems[id, default: []].append("kind '\(shown)' is not known")
        }
        // A merged_into that is not a profile id still says the profile was merged.
        let mergedValue = row[3]
        let mergedInto = mergedValue.isNull ? nil : (mergedValue.int ?? -1)
        return Profile(
            id: id,
            kind: kind,
            status: row.string(2) ?? "",
            mergedInto: mergedInto,
            isMember: row.int(4) == 1,
            membershipLevel: row.string(5),
            memberExpiresOn: row.string(6),
            firstName: row.string(7),
            lastName: row.string(8),
            orgName: row.string(9),
            email: row.string(10),
            phone: row.string(11),
            updatedAt: row.string(12)
        )
    }

    func readSettings(_ database: Database) throws -> SyncSettings? {
        guard
            let row = try database.query(
                """
                SELECT member_group_id, nonmember_group_id, include_individual_nonmembers, include_main_contacts,
                       include_primary_related, auto_sync_time, updated_at
                FROM bigcommerce_settings ORDER BY id LIMIT 1
                """
            ).first
        else { return nil }
        return SyncSettings(
            memberGroupID: row.int(0),
            nonmemberGroupID: row.int(1),
            includeIndividualNonmembers: row.int(2) == 1,
            includeMainContacts: row[3].isNull ? true : row.int(3) == 1,
            includePrimaryRelated: row.int(4) == 1,
            autoSyncTime: row.string(5) ?? "05:00",
            updatedAt: row.string(6)
        )
    }
}

/// An (individual, organization) pair, to find duplicate relationship rows without an array per row.
struct RelationshipPair: Hashable {
    var individual: Int
    var organization: Int
}

extension Relationship {
    /// Takes in a duplicate row of the same pair: flags set by either, the smaller non-empty type (so
    /// that the result does not depend on the rows' order).
    mutating func combine(with other: Relationship) {
        isPrimary = isPrimary || other.isPrimary
        isMainContact = isMainContact || other.isMainContact
        relationType = [relationType, other.relationType].filter { !$0.isEmpty }.min() ?? ""
    }
}
