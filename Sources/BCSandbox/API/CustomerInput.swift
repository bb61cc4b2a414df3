import Foundation

/// The fields one item of a customer create or update batch carries, checked against the documented limits.
struct CustomerInput {
    enum Operation { case create, update }

    var id: Int?
    var email: String?
    var firstName: String?
    var lastName: String?
    var company: String?
    var phone: String?
    var notes: String?
    var taxExemptCategory: String?
    var customerGroupID: Int?
    var forcePasswordReset: Bool?
    var setsPassword = false
    var triggersWelcomeEmail: Bool?
    var originChannelID: Int?
    /// Present when the item carries `channel_ids`; the inner nil is an explicit `null`.
    var channelIDs: [Int]??

    /// Problems found, keyed by field name.
    var errors: [(field: String, message: String)] = []

    private static let readOnlyOnUpdate = [
        "date_created", "date_modified", "registration_ip_address", "origin_channel_id",
    ]
    private static let readOnlyOnCreate = ["id", "date_created", "date_modified"]

    init(json value: Any, operation: Operation, rejectsReadOnlyFields: Bool) {
        guard let json = value as? [String: Any] else {
            errors.append(("item", "each item must be a JSON object"))
            return
        }
        if rejectsReadOnlyFields {
            let readOnly = operation == .create ? Self.readOnlyOnCreate : Self.readOnlyOnUpdate
            for field in readOnly where json[field] != nil { errors.append((field, "\(field) is read-only")) }
        }
        if operation == .update {
            id = json["id"] as? Int
            if id == nil { errors.append(("id", "id is required and must be an integer")) }
        }
        readStrings(json, operation: operation)
        readOthers(json, operation: operation)
        if operation == .create { readSubresources(json) }
    }

    private mutating func readStrings(_ json: [String: Any], operation: Operation) {
        let emailLimit = operation == .create ? 250 : 255
        email = string(json, "email", required: operation == .create, length: 3...emailLimit)
        if let email, !Self.looksLikeEmail(email) {
            errors.append(("email", "email \"\(email)\" is not a valid email address"))
        }
        firstName = string(json, "first_name", required: operation == .create, length: 1...100)
        lastName = string(json, "last_name", required: operation == .create, length: 1...100)
        company = string(json, "company", required: false, length: 0...255)
        phone = string(json, "phone", required: false, length: 0...50)
        notes = string(json, "notes", required: false, length: 0...Int.max)
        taxExemptCategory = string(json, "tax_exempt_category", required: false, length: 0...255)
    }

    private mutating func readOthers(_ json: [String: Any], operation: Operation) {
        if let value = json["customer_group_id"] {
            customerGroupID = value as? Int
            if customerGroupID == nil || customerGroupID! < 0 {
                errors.append(("customer_group_id", "customer_group_id must be a non-negative integer"))
            }
        }
        if let value = json["authentication"] {
            guard let authentication = value as? [String: Any] else {
                errors.append(("authentication", "authentication must be an object"))
                return
            }
            forcePasswordReset = authentication["force_password_reset"] as? Bool
            setsPassword = authentication["new_password"] is String
        }
        if operation == .create {
            triggersWelcomeEmail = json["trigger_account_created_notification"] as? Bool
            originChannelID = json["origin_channel_id"] as? Int
        }
        readChannels(json)
    }

    private mutating func readChannels(_ json: [String: Any]) {
        guard let value = json["channel_ids"] else { return }
        if value is NSNull {
            channelIDs = .some(nil)
        } else if let list = value as? [Int], !list.isEmpty {
            channelIDs = .some(list)
        } else {
            errors.append(("channel_ids", "channel_ids must be null or a non-empty array of channel ids"))
        }
    }

    mutating func string(_ json: [String: Any], _ field: String, required: Bool, length: ClosedRange<Int>)
        -> String?
    {
        Self.check(json, field, required: required, length: length, into: &errors)
    }

    /// The string `field` of `json` if it is present and within `length`; otherwise records why not in `errors`.
    @discardableResult
    static func check(
        _ json: [String: Any],
        _ field: String,
        required: Bool,
        length: ClosedRange<Int>,
        into errors: inout [(field: String, message: String)]
    ) -> String? {
        guard let value = json[field] else {
            if required { errors.append((field, "\(field) is required")) }
            return nil
        }
        guard let text = value as? String else {
            errors.append((field, "\(field) must be a string"))
            return nil
        }
        // Lengths count Unicode code points, as PHP's mb_strlen does.
        let count = text.unicodeScalars.count
        guard length.contains(count) else {
            let limit =
                length.upperBound == Int.max
                ? "at least \(length.lowerBound)" : "\(length.lowerBound)-\(length.upperBound)"
            errors.append((field, "\(field) must be \(limit) characters long, got \(count)"))
            return nil
        }
        return text
    }

    /// One `@`, something on each side, a dot in the domain, no spaces.
    static func looksLikeEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return false }
        return !email.contains { $0.isWhitespace }
    }

    /// Applies the present fields to `customer`.
    func apply(to customer: inout CustomerRow) {
        if let email { customer.email = email }
        if let firstName { customer.firstName = firstName }
        if let lastName { customer.lastName = lastName }
        if let company { customer.company = company }
        if let phone { customer.phone = phone }
        if let notes { customer.notes = notes }
        if let taxExemptCategory { customer.taxExemptCategory = taxExemptCategory }
        if let customerGroupID { customer.customerGroupID = customerGroupID }
        if let forcePasswordReset { customer.forcePasswordReset = forcePasswordReset }
        if setsPassword { customer.hasPassword = true }
        if let originChannelID { customer.originChannelID = originChannelID }
        if let channelIDs { customer.channelIDs = channelIDs }
    }
}
