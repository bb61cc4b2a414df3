import Foundation
import SQLiteDB

/// One customer as the sandbox stores it, including what the API never shows (password, welcome email).
struct CustomerRow: Sendable {
    var id: Int
    var email: String
    var firstName: String
    var lastName: String
    var company = ""
    var phone = ""
    var notes = ""
    var taxExemptCategory = ""
    var customerGroupID = 0
    var dateCreated = 0
    var dateModified = 0
    var forcePasswordReset = false
    var hasPassword = false
    var triggerAccountCreatedNotification = false
    var originChannelID = 1
    var registrationIPAddress = ""
    var channelIDs: [Int]?

    init(id: Int = 0, email: String, firstName: String, lastName: String) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
    }

    init(row: Row) {
        self.init(
            id: row.int("id") ?? 0,
            email: row.string("email") ?? "",
            firstName: row.string("first_name") ?? "",
            lastName: row.string("last_name") ?? ""
        )
        company = row.string("company") ?? ""
        phone = row.string("phone") ?? ""
        notes = row.string("notes") ?? ""
        taxExemptCategory = row.string("tax_exempt_category") ?? ""
        customerGroupID = row.int("customer_group_id") ?? 0
        dateCreated = row.int("date_created") ?? 0
        dateModified = row.int("date_modified") ?? 0
        forcePasswordReset = row.int("force_password_reset") == 1
        hasPassword = row.int("has_password") == 1
        triggerAccountCreatedNotification = row.int("trigger_account_created_notification") == 1
        originChannelID = row.int("origin_channel_id") ?? 1
        registrationIPAddress = row.string("registration_ip_address") ?? ""
        channelIDs = row.string("channel_ids").map { $0.split(separator: ",").compactMap { Int($0) } }
    }

    /// The customer as `GET /v3/customers` shows it.
    var apiJSON: [String: Any] {
        [
            "id": id, "email": email, "first_name": firstName, "last_name": lastName,
            "company": company, "phone": phone, "notes": notes, "tax_exempt_category": taxExemptCategory,
            "customer_group_id": customerGroupID,
            "date_created": SandboxDate.iso8601(dateCreated), "date_modified": SandboxDate.iso8601(dateModified),
            "registration_ip_address": registrationIPAddress, "origin_channel_id": originChannelID,
            "channel_ids": channelIDs.map { $0 as Any } ?? NSNull(),
            "authentication": ["force_password_reset": forcePasswordReset],
            "accepts_product_review_abandoned_cart_emails": false,
            "address_count": 0, "attribute_count": 0,
        ]
    }

    /// The customer as the admin dump shows it: the API view plus what the API hides.
    var dumpJSON: [String: Any] {
        var json = apiJSON
        json["has_password"] = hasPassword
        json["force_password_reset"] = forcePasswordReset
        json["trigger_account_created_notification"] = triggerAccountCreatedNotification
        return json
    }
}

/// One customer group.
struct GroupRow: Sendable {
    var id: Int
    var name: String
    var isDefault: Bool
    var dateCreated: Int
    var dateModified: Int

    init(row: Row) {
        id = row.int("id") ?? 0
        name = row.string("name") ?? ""
        isDefault = row.int("is_default") == 1
        dateCreated = row.int("date_created") ?? 0
        dateModified = row.int("date_modified") ?? 0
    }

    /// The group as `GET /v2/customer_groups` shows it.
    var apiJSON: [String: Any] {
        [
            "id": id, "name": name, "is_default": isDefault, "is_group_for_guests": false,
            "category_access": ["type": "all"], "discount_rules": [Any](),
            "date_created": SandboxDate.rfc2822(dateCreated), "date_modified": SandboxDate.rfc2822(dateModified),
        ]
    }
}

/// One order; money is held in ten-thousandths so that it prints with exactly four decimals.
struct OrderRow: Sendable {
    static let statusNames = [
        "Incomplete", "Pending", "Shipped", "Partially Shipped", "Refunded", "Cancelled", "Declined",
        "Awaiting Payment", "Awaiting Pickup", "Awaiting Shipment", "Completed", "Awaiting Fulfillment",
        "Manual Verification Required", "Disputed", "Partially Refunded",
    ]

    var id: Int
    var customerID: Int
    var statusID: Int
    var dateCreated: Int
    var dateModified: Int
    var totalIncTax: Int
    var totalExTax: Int
    var currencyCode: String
    var isDeleted: Bool

    init(row: Row) {
        id = row.int("id") ?? 0
        customerID = row.int("customer_id") ?? 0
        statusID = row.int("status_id") ?? 0
        dateCreated = row.int("date_created") ?? 0
        dateModified = row.int("date_modified") ?? 0
        totalIncTax = row.int("total_inc_tax") ?? 0
        totalExTax = row.int("total_ex_tax") ?? 0
        currencyCode = row.string("currency_code") ?? "USD"
        isDeleted = row.int("is_deleted") == 1
    }

    /// `12.5` → `"12.5000"`.
    static func money(_ tenThousandths: Int) -> String {
        let sign = tenThousandths < 0 ? "-" : ""
        let magnitude = abs(tenThousandths)
        let fraction = String(magnitude % 10_000)
        return "\(sign)\(magnitude / 10_000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }

    /// Parses a number or decimal string into ten-thousandths.
    static func parseMoney(_ value: Any?) -> Int? {
        if let number = value as? NSNumber, !(value is Bool) { return Int((number.doubleValue * 10_000).rounded()) }
        guard let text = value as? String, let decimal = Decimal(string: text) else { return nil }
        return NSDecimalNumber(decimal: decimal * 10_000).rounding(accordingToBehavior: nil).intValue
    }

    /// The order as `GET /v2/orders` shows it.
    var apiJSON: [String: Any] {
        let status = statusID < Self.statusNames.count ? Self.statusNames[statusID] : "Unknown"
        let tax = totalIncTax - totalExTax
        return [
            "id": id, "customer_id": customerID, "status_id": statusID, "status": status,
            "date_created": SandboxDate.rfc2822(dateCreated), "date_modified": SandboxDate.rfc2822(dateModified),
            "subtotal_ex_tax": Self.money(totalExTax), "subtotal_inc_tax": Self.money(totalIncTax),
            "total_ex_tax": Self.money(totalExTax), "total_inc_tax": Self.money(totalIncTax),
            "total_tax": Self.money(tax), "refunded_amount": Self.money(0), "discount_amount": Self.money(0),
            "items_total": 1, "currency_code": currencyCode, "default_currency_code": currencyCode,
            "is_deleted": isDeleted, "channel_id": 1, "payment_status": "captured", "order_source": "www",
        ]
    }
}
