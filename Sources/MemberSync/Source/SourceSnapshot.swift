/// Everything the rules look at, read from MC Trade in one read transaction.
public struct SourceSnapshot: Sendable {
    public var profiles: [Int: Profile]
    public var settings: SyncSettings?
    /// Relationships by individual id, in the order read.
    public private(set) var relationshipsByIndividual: [Int: [Relationship]]
    /// Individual ids related to each organization id.
    public private(set) var individualsByOrganization: [Int: [Int]]
    /// Problems met while reading rows (bad types, duplicates), by profile id.
    public var readProblems: [Int: [String]]

    public init(
        profiles: [Int: Profile],
        relationships: [Relationship],
        settings: SyncSettings?,
        readProblems: [Int: [String]] = [:]
    ) {
        self.profiles = profiles
        self.settings = settings
        self.readProblems = readProblems
        var byIndividual: [Int: [Relationship]] = [:]
        var byOrganization: [Int: [Int]] = [:]
        for relationship in relationships {
            byIndividual[relationship.individualID, default: []].append(relationship)
            byOrganization[relationship.organizationID, default: []].append(relationship.individualID)
        }
        self.relationshipsByIndividual = byIndividual
        self.individualsByOrganization = byOrganization
    }

    public func relationships(ofIndividual id: Int) -> [Relationship] {
        relationshipsByIndividual[id] ?? []
    }

    public func individuals(relatedTo organizationID: Int) -> [Int] {
        individualsByOrganization[organizationID] ?? []
    }

    /// Ids of every individual profile, ascending.
    public var individualIDs: [Int] {
        profiles.values.filter { $0.kind == .individual }.map(\.id).sorted()
    }
}
