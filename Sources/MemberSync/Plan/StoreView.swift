/// What the planner knows of the store: customers it has seen (from a full listing or from lookups),
/// indexed by id and by email key.
public struct StoreView: Sendable {
    public private(set) var customersByID: [Int: StoreCustomer] = [:]
    public private(set) var customerIDsByEmailKey: [String: [Int]] = [:]
    /// True when built from a listing of every customer: a linked customer absent from it was deleted.
    public var isComplete: Bool

    public init(customers: [StoreCustomer] = [], isComplete: Bool) {
        self.isComplete = isComplete
        for customer in customers { insert(customer) }
    }

    public mutating func insert(_ customer: StoreCustomer) {
        if let old = customersByID[customer.id] {
            customerIDsByEmailKey[old.record.emailKey]?.removeAll { $0 == customer.id }
        }
        customersByID[customer.id] = customer
        let key = EmailAddress.sharingStorage(customer.record.emailKey, with: customer.record.email)
        customerIDsByEmailKey[key, default: []].append(customer.id)
    }

    /// Customers holding this email key, lowest id first.
    public func customers(withEmailKey key: String) -> [StoreCustomer] {
        (customerIDsByEmailKey[key] ?? []).sorted().compactMap { customersByID[$0] }
    }
}

/// The planner's inputs other than the evaluations.
public struct PlanContext: Sendable {
    public var memberGroupID: Int
    public var nonmemberGroupID: Int?
    public var enforceGroups: Bool
    /// Profile id → customer id.
    public var links: [Int: Int]
    /// Customer id → the record the store last accepted from us.
    public var lastSent: [Int: CustomerRecord]
    /// Profile id → fingerprint of a record the store refused (not sent again while unchanged).
    public var heldFingerprints: [Int: String]
    /// Profile id → the email of a create sent for it whose answer was lost (the customer may exist).
    public var createsInDoubt: [Int: String] = [:]

    public init(
        memberGroupID: Int,
        nonmemberGroupID: Int?,
        enforceGroups: Bool,
        links: [Int: Int],
        lastSent: [Int: CustomerRecord],
        heldFingerprints: [Int: String] = [:]
    ) {
        self.memberGroupID = memberGroupID
        self.nonmemberGroupID = nonmemberGroupID
        self.enforceGroups = enforceGroups
        self.links = links
        self.lastSent = lastSent
        self.heldFingerprints = heldFingerprints
    }

    /// The groups whose membership the agent controls.
    public var managedGroups: Set<Int> {
        var groups: Set<Int> = [memberGroupID]
        if let nonmemberGroupID { groups.insert(nonmemberGroupID) }
        return groups
    }
}

extension EmailAddress {
    /// The comparison key, as the email itself when they are equal (most emails are typed lower-case),
    /// so that an index keyed by it shares the email's storage instead of holding a second copy.
    static func sharingStorage(_ key: String, with email: String) -> String {
        key == email ? email : key
    }
}

extension CustomerRecord {
    /// A stable text of the six fields, to remember a refused record by.
    public var fingerprint: String {
        [emailKey, firstName, lastName, company, phone, String(customerGroupID)].joined(separator: "\u{1F}")
    }
}
