/// The six store fields the agent owns (sync-rules section 2). Built from MC Trade, a record holds the
/// values as they are sent (trimmed, Unicode NFC, cut to their limits: see `sentName(_:)`); read from
/// the store, it holds the store's own values in NFC, uncut and untrimmed, so that drift is seen. Two
/// records are equal exactly when sending one over the other would change nothing: texts compare by
/// canonical equivalence (equal after NFC), emails by `emailKey`.
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

extension CustomerRecord {
    /// Longest first or last name, company and phone the store takes, in code points (section 2).
    static let nameLimit = 100
    static let companyLimit = 255
    static let phoneLimit = 50

    /// A first or last name as section 2 sends it: trimmed, NFC, at most 100 (may come out empty).
    static func sentName(_ text: String?) -> String {
        TextNormalizer.normalized(text, limit: nameLimit)
    }

    /// An organization name as section 2 sends it as `company`: trimmed, NFC, at most 255.
    static func sentCompany(_ text: String?) -> String {
        TextNormalizer.normalized(text, limit: companyLimit)
    }

    /// A phone as section 2 sends it: trimmed, NFC; empty when longer than 50 (a cut number is wrong).
    static func sentPhone(_ text: String?) -> String {
        let phone = TextNormalizer.normalized(text)
        return phone.unicodeScalars.count > phoneLimit ? "" : phone
    }

    /// A store customer's record as an update can carry it back unchanged: the store's own values,
    /// except that a value longer than the store takes on a write (a name over 100, a company over
    /// 255, a phone over 50, which only another channel can have put there) is given as section 2
    /// would send it; carried back as it is, it would get the whole update refused.
    func writable() -> CustomerRecord {
        var record = self
        if firstName.unicodeScalars.count > Self.nameLimit { record.firstName = Self.sentName(firstName) }
        if lastName.unicodeScalars.count > Self.nameLimit { record.lastName = Self.sentName(lastName) }
        if company.unicodeScalars.count > Self.companyLimit { record.company = Self.sentCompany(company) }
        if phone.unicodeScalars.count > Self.phoneLimit { record.phone = Self.sentPhone(phone) }
        return record
    }

    /// A store customer's record as a leave sends it (section 4): group 0, every other field kept as
    /// the store holds it (`writable()`), because all six go in every update and a leave changes only
    /// the group. A refused leave would leave a non-member with member pricing.
    func leavingGroups() -> CustomerRecord {
        var record = writable()
        record.customerGroupID = 0
        return record
    }
}

/// A customer as the store holds it: its id and the owned fields (the store's values, in NFC).
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
