import Foundation

/// Everything a sandbox store holds, as `GET /__sandbox/dump` returns it.
public struct SandboxDump: Codable, Sendable {
    public var groups: [Group]
    public var customers: [Customer]
    public var orders: [Order]

    /// A customer group.
    public struct Group: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String
        public var isDefault: Bool

        enum CodingKeys: String, CodingKey {
            case id, name
            case isDefault = "is_default"
        }
    }

    /// A customer, including what the store API never shows.
    public struct Customer: Codable, Sendable, Equatable {
        public var id: Int
        public var email: String
        public var firstName: String
        public var lastName: String
        public var company: String
        public var phone: String
        public var notes: String
        public var customerGroupID: Int
        /// ISO 8601, e.g. `2020-02-06T17:46:33Z`.
        public var dateCreated: String
        public var dateModified: String
        public var hasPassword: Bool
        public var forcePasswordReset: Bool
        /// Whether a welcome email went out when it was created.
        public var triggerAccountCreatedNotification: Bool
        public var channelIDs: [Int]?
        public var originChannelID: Int

        enum CodingKeys: String, CodingKey {
            case id, email, company, phone, notes
            case firstName = "first_name"
            case lastName = "last_name"
            case customerGroupID = "customer_group_id"
            case dateCreated = "date_created"
            case dateModified = "date_modified"
            case hasPassword = "has_password"
            case forcePasswordReset = "force_password_reset"
            case triggerAccountCreatedNotification = "trigger_account_created_notification"
            case channelIDs = "channel_ids"
            case originChannelID = "origin_channel_id"
        }
    }

    /// An order; money is a 4-decimal string, dates are RFC 2822.
    public struct Order: Codable, Sendable, Equatable {
        public var id: Int
        public var customerID: Int
        public var statusID: Int
        public var status: String
        public var totalIncTax: String
        public var totalExTax: String
        public var currencyCode: String
        public var dateCreated: String
        public var dateModified: String
        public var isDeleted: Bool

        enum CodingKeys: String, CodingKey {
            case id, status
            case customerID = "customer_id"
            case statusID = "status_id"
            case totalIncTax = "total_inc_tax"
            case totalExTax = "total_ex_tax"
            case currencyCode = "currency_code"
            case dateCreated = "date_created"
            case dateModified = "date_modified"
            case isDeleted = "is_deleted"
        }
    }

    /// The customer with that email, compared without case.
    public func customer(email: String) -> Customer? {
        customers.first { $0.email.lowercased() == email.lowercased() }
    }
}

/// One store request from `GET /__sandbox/requests`.
public struct LoggedRequest: Codable, Sendable, Equatable {
    public var seq: Int
    public var method: String
    /// Full path, e.g. `/stores/sandbox/v3/customers`.
    public var path: String
    /// Raw query string without `?`.
    public var query: String
    public var status: Int
    /// Items in the request body (POST/PUT), in the answer (GET), or ids (DELETE).
    public var items: Int
    /// Milliseconds since the Unix epoch.
    public var startedMilliseconds: Int64
    public var finishedMilliseconds: Int64
    /// The request was applied but its answer was never sent (`drop_response` fault).
    public var dropped: Bool

    enum CodingKeys: String, CodingKey {
        case seq, method, path, query, status, items, dropped
        case startedMilliseconds = "started_ms"
        case finishedMilliseconds = "finished_ms"
    }
}

/// The quota state from `GET /__sandbox/quota`.
public struct SandboxQuota: Codable, Sendable, Equatable {
    public var quota: Int
    public var windowMilliseconds: Int
    public var left: Int
    public var resetMilliseconds: Int

    enum CodingKeys: String, CodingKey {
        case quota, left
        case windowMilliseconds = "window_ms"
        case resetMilliseconds = "reset_ms"
    }
}

/// A customer to seed through the admin API, as a shopper signing up or an admin would create it.
public struct SandboxCustomerSeed: Codable, Sendable {
    public var email: String
    public var firstName: String
    public var lastName: String
    public var company: String?
    public var phone: String?
    public var customerGroupID: Int?
    public var notes: String?
    public var password: String?

    public init(
        email: String,
        firstName: String,
        lastName: String,
        company: String? = nil,
        phone: String? = nil,
        customerGroupID: Int? = nil,
        notes: String? = nil,
        password: String? = nil
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.company = company
        self.phone = phone
        self.customerGroupID = customerGroupID
        self.notes = notes
        self.password = password
    }

    enum CodingKeys: String, CodingKey {
        case email, company, phone, notes, password
        case firstName = "first_name"
        case lastName = "last_name"
        case customerGroupID = "customer_group_id"
    }
}
