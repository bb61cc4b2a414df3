/// Plain values read from MC Trade's tables (`fixtures/mctrade-schema.sql`). The source reader fills them
/// leniently: a column holding the wrong type or NULL where the schema says NOT NULL becomes nil or a
/// default here, and the rules report the profile instead of failing the run.

/// A row of `profiles`: a person (`individual`) or an organization.
public struct Profile: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable {
        case individual
        case organization
    }

    public var id: Int
    /// nil when the row holds a kind the schema does not know; such a profile is never uploaded.
    public var kind: Kind?
    /// `active`, `inactive` or `deleted` (raw text, so that unknown values are kept and not live).
    public var status: String
    public var mergedInto: Int?
    public var isMember: Bool
    public var membershipLevel: String?
    /// `YYYY-MM-DD` as stored; nil for no expiry. Text the rules cannot parse counts as expired.
    public var memberExpiresOn: String?
    public var firstName: String?
    public var lastName: String?
    public var orgName: String?
    public var email: String?
    public var phone: String?
    public var updatedAt: String?

    public init(
        id: Int,
        kind: Kind?,
        status: String = "active",
        mergedInto: Int? = nil,
        isMember: Bool = false,
        membershipLevel: String? = nil,
        memberExpiresOn: String? = nil,
        firstName: String? = nil,
        lastName: String? = nil,
        orgName: String? = nil,
        email: String? = nil,
        phone: String? = nil,
        updatedAt: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.mergedInto = mergedInto
        self.isMember = isMember
        self.membershipLevel = membershipLevel
        self.memberExpiresOn = memberExpiresOn
        self.firstName = firstName
        self.lastName = lastName
        self.orgName = orgName
        self.email = email
        self.phone = phone
        self.updatedAt = updatedAt
    }
}

/// A row of `relationships`: an individual's tie to an organization.
public struct Relationship: Sendable, Equatable, Hashable {
    public var individualID: Int
    public var organizationID: Int
    public var relationType: String
    public var isPrimary: Bool
    public var isMainContact: Bool

    public init(
        individualID: Int,
        organizationID: Int,
        relationType: String = "Employee",
        isPrimary: Bool = false,
        isMainContact: Bool = false
    ) {
        self.individualID = individualID
        self.organizationID = organizationID
        self.relationType = relationType
        self.isPrimary = isPrimary
        self.isMainContact = isMainContact
    }
}

/// The one row of `bigcommerce_settings` (Admin > Bigcommerce Settings > Profile Upload).
public struct SyncSettings: Sendable, Equatable, Hashable {
    public var memberGroupID: Int?
    public var nonmemberGroupID: Int?
    public var includeIndividualNonmembers: Bool
    public var includeMainContacts: Bool
    public var includePrimaryRelated: Bool
    /// Local time of the daily full sync, `HH:MM`.
    public var autoSyncTime: String
    public var updatedAt: String?

    public init(
        memberGroupID: Int?,
        nonmemberGroupID: Int? = nil,
        includeIndividualNonmembers: Bool = false,
        includeMainContacts: Bool = true,
        includePrimaryRelated: Bool = false,
        autoSyncTime: String = "05:00",
        updatedAt: String? = nil
    ) {
        self.memberGroupID = memberGroupID
        self.nonmemberGroupID = nonmemberGroupID
        self.includeIndividualNonmembers = includeIndividualNonmembers
        self.includeMainContacts = includeMainContacts
        self.includePrimaryRelated = includePrimaryRelated
        self.autoSyncTime = autoSyncTime
        self.updatedAt = updatedAt
    }
}

/// A row of `profile_changes`: something about a profile, a relationship or the settings changed.
public struct ProfileChange: Sendable, Equatable, Hashable {
    public enum Entity: String, Sendable {
        case profile
        case relationship
        case settings
    }

    public var changeID: Int64
    /// nil for settings changes.
    public var profileID: Int?
    public var entity: Entity
    /// `insert`, `update` or `delete`.
    public var operation: String
    public var changedAt: String?

    public init(changeID: Int64, profileID: Int?, entity: Entity, operation: String, changedAt: String? = nil) {
        self.changeID = changeID
        self.profileID = profileID
        self.entity = entity
        self.operation = operation
        self.changedAt = changedAt
    }
}
