import Foundation

/// The JSON shapes of the customers, customer-groups and orders endpoints, read leniently: a missing
/// or mistyped optional field becomes empty rather than failing the page.
enum BigCommerceWire {
    /// One item of a `POST`/`PUT /v3/customers` array: all six owned fields, always.
    struct CustomerPayload: Encodable {
        struct Authentication: Encodable {
            var forcePasswordReset: Bool

            enum CodingKeys: String, CodingKey {
                case forcePasswordReset = "force_password_reset"
            }
        }

        var id: Int?
        var email: String
        var firstName: String
        var lastName: String
        var company: String
        var phone: String
        var customerGroupID: Int
        var authentication: Authentication?
        var triggerAccountCreatedNotification: Bool?

        enum CodingKeys: String, CodingKey {
            case id, email, company, phone, authentication
            case firstName = "first_name"
            case lastName = "last_name"
            case customerGroupID = "customer_group_id"
            case triggerAccountCreatedNotification = "trigger_account_created_notification"
        }

        /// A create: no id, a forced password reset and no welcome email.
        static func create(_ record: CustomerRecord) -> CustomerPayload {
            var payload = CustomerPayload(record, id: nil)
            payload.authentication = Authentication(forcePasswordReset: true)
            payload.triggerAccountCreatedNotification = false
            return payload
        }

        init(_ record: CustomerRecord, id: Int?) {
            self.id = id
            email = record.email
            firstName = record.firstName
            lastName = record.lastName
            company = record.company
            phone = record.phone
            customerGroupID = record.customerGroupID
        }
    }

    /// A customer as `/v3/customers` returns it.
    struct Customer: Decodable {
        var id: Int
        var email: String?
        var firstName: String?
        var lastName: String?
        var company: String?
        var phone: String?
        var customerGroupID: Int?
        var dateModified: String?

        enum CodingKeys: String, CodingKey {
            case id, email, company, phone
            case firstName = "first_name"
            case lastName = "last_name"
            case customerGroupID = "customer_group_id"
            case dateModified = "date_modified"
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int.self, forKey: .id)
            email = container.lenientString(.email)
            firstName = container.lenientString(.firstName)
            lastName = container.lenientString(.lastName)
            company = container.lenientString(.company)
            phone = container.lenientString(.phone)
            customerGroupID = container.lenientInt(.customerGroupID)
            dateModified = container.lenientString(.dateModified)
        }

        /// The customer with the store's own values (texts in NFC, nothing trimmed or cut), so that a
        /// value edited in the store, or too long for the rules, differs from the record the rules want.
        var storeCustomer: StoreCustomer {
            let record = CustomerRecord(
                email: email ?? "",
                firstName: TextNormalizer.composed(firstName ?? ""),
                lastName: TextNormalizer.composed(lastName ?? ""),
                company: TextNormalizer.composed(company ?? ""),
                phone: TextNormalizer.composed(phone ?? ""),
                customerGroupID: customerGroupID ?? 0
            )
            return StoreCustomer(id: id, record: record, dateModified: dateModified)
        }
    }

    /// `{"data": [...], "meta": {...}}` of `/v3/customers`.
    struct CustomerCollection: Decodable {
        struct Meta: Decodable {
            var cursorPagination: CursorPagination?

            enum CodingKeys: String, CodingKey {
                case cursorPagination = "cursor_pagination"
            }
        }

        struct CursorPagination: Decodable {
            struct Links: Decodable {
                var next: String?
            }

            var endCursor: String?
            var links: Links?

            enum CodingKeys: String, CodingKey {
                case links
                case endCursor = "end_cursor"
            }
        }

        var data: [Customer]
        var meta: Meta?

        /// The cursor of the next page, or nil on the last: `after=` of `links.next`, else `end_cursor`
        /// when the page was full and no links were given.
        func nextCursor(pageLimit: Int) -> String? {
            guard let cursor = meta?.cursorPagination else { return nil }
            if let links = cursor.links {
                guard let next = links.next, !next.isEmpty else { return nil }
                return Self.afterParameter(in: next) ?? cursor.endCursor
            }
            return data.count >= pageLimit ? cursor.endCursor : nil
        }

        private static func afterParameter(in link: String) -> String? {
            let query = link.split(separator: "?", maxSplits: 1).last.map(String.init) ?? link
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == "after" {
                    return String(parts[1]).removingPercentEncoding ?? String(parts[1])
                }
            }
            return nil
        }
    }

    /// An item of `/v2/customer_groups`.
    struct Group: Decodable {
        var id: Int
        var name: String?

        enum CodingKeys: String, CodingKey {
            case id, name
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int.self, forKey: .id)
            name = container.lenientString(.name)
        }
    }

    /// An item of `/v2/orders`.
    struct Order: Decodable {
        var id: Int
        var customerID: Int?
        var statusID: Int?
        var status: String?
        var totalIncTax: String?
        var currencyCode: String?
        var dateCreated: String?
        var dateModified: String?

        enum CodingKeys: String, CodingKey {
            case id, status
            case customerID = "customer_id"
            case statusID = "status_id"
            case totalIncTax = "total_inc_tax"
            case currencyCode = "currency_code"
            case dateCreated = "date_created"
            case dateModified = "date_modified"
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int.self, forKey: .id)
            customerID = container.lenientInt(.customerID)
            statusID = container.lenientInt(.statusID)
            status = container.lenientString(.status)
            totalIncTax = container.lenientString(.totalIncTax)
            currencyCode = container.lenientString(.currencyCode)
            dateCreated = container.lenientString(.dateCreated)
            dateModified = container.lenientString(.dateModified)
        }

        /// The order with its dates in ISO 8601 UTC; nil when a date cannot be read.
        var storeOrder: StoreOrder? {
            guard let created = RFC2822Date.iso8601(fromRFC2822: dateCreated ?? ""),
                let modified = RFC2822Date.iso8601(fromRFC2822: dateModified ?? "")
            else { return nil }
            return StoreOrder(
                id: id,
                customerID: customerID ?? 0,
                statusID: statusID ?? 0,
                status: status ?? "",
                totalIncTax: totalIncTax ?? "0",
                currencyCode: currencyCode ?? "",
                dateCreated: created,
                dateModified: modified
            )
        }
    }
}

extension KeyedDecodingContainer {
    /// The value as text: strings as given, numbers written out exactly (`"12.5000"` stays a string;
    /// `12.5` becomes `"12.5"`), nil for null, absent or anything else.
    fileprivate func lenientString(_ key: Key) -> String? {
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        if let number = try? decodeIfPresent(Int.self, forKey: key) { return String(number) }
        if let number = try? decodeIfPresent(Decimal.self, forKey: key) { return "\(number)" }
        return nil
    }

    /// The value as a whole number: numbers, or digits in a string; nil for anything else.
    fileprivate func lenientInt(_ key: Key) -> Int? {
        if let number = try? decodeIfPresent(Int.self, forKey: key) { return number }
        if let text = try? decodeIfPresent(String.self, forKey: key) { return Int(text) }
        return nil
    }
}
