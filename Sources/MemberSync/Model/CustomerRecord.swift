/// The six store fields the agent owns (sync-rules section 2), normalised the way they are sent:
/// trimmed, Unicode NFC, cut to their length limits. Two records are equal exactly when sending one
/// over the other would change nothing, except that emails compare without regard to case.
public struct CustomerRecord: Sendable, Hashable, Codable {
    public var email: String
    public var firstName: String
    public var lastName: String
    public var company: String
    public var phone: String
    public var customerGroupID: Int

    public init(
        email: String,
        firstName: String,
        lastName: String,
        company: String,
        phone: String,
        customerGroupID: Int
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.company = company
        self.phone = phone
        self.customerGroupID = customerGroupID
    }

    /// The email as compared: trimmed and lower-cased.
    public var emailKey: String { EmailAddress.comparisonKey(email) }

    public static func == (lhs: CustomerRecord, rhs: CustomerRecord) -> Bool {
        lhs.emailKey == rhs.emailKey && lhs.firstName == rhs.firstName && lhs.lastName == rhs.lastName
            && lhs.company == rhs.company && lhs.phone == rhs.phone && lhs.customerGroupID == rhs.customerGroupID
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(emailKey)
        hasher.combine(firstName)
        hasher.combine(lastName)
        hasher.combine(company)
        hasher.combine(phone)
        hasher.combine(customerGroupID)
    }

    /// Names of the owned fields whose values differ from `other` (emails compared without case).
    public func differingFields(from other: CustomerRecord) -> [String] {
        var fields: [String] = []
        if emailKey != other.emailKey { fields.append("email") }
        if firstName != other.firstName { fields.append("first_name") }
        if lastName != other.lastName { fields.append("last_name") }
        if company != other.company { fields.append("company") }
        if phone != other.phone { fields.append("phone") }
        if customerGroupID != other.customerGroupID { fields.append("customer_group_id") }
        return fields
    }
}

/// A customer as the store holds it: its id and the owned fields (normalised for comparison).
public struct StoreCustomer: Sendable, Hashable {
    public var id: Int
    public var record: CustomerRecord
    /// ISO 8601, as the store gives it.
    public var dateModified: String?

    public init(id: Int, record: CustomerRecord, dateModified: String? = nil) {
        self.id = id
        self.record = record
        self.dateModified = dateModified
    }
}

/// A customer group in the store (`/v2/customer_groups`).
public struct CustomerGroup: Sendable, Hashable {
    public var id: Int
    public var name: String

    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }
}
