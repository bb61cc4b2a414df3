import Foundation

/// The `addresses`, `attributes` and `registration_ip_address` of a create item, checked against the limits of
/// the `customer_Post` schema. A valid `registration_ip_address` is still not kept: API-created customers have a
/// blank one.
///
/// TODO: addresses are checked but not stored (`address_count` stays 0); store them when a test needs to read
/// them back.
extension CustomerInput {
    /// At most this many addresses, and as many attributes, in one create item.
    static let maximumSubresources = 10

    private static let addressFields: [(name: String, required: Bool, length: ClosedRange<Int>)] = [
        ("first_name", true, 1...255), ("last_name", true, 1...255), ("company", false, 0...255),
        ("address1", true, 1...255), ("address2", false, 0...255), ("city", true, 1...100),
        ("state_or_province", false, 0...100), ("postal_code", false, 0...30), ("country_code", true, 2...2),
        ("phone", false, 0...50),
    ]

    mutating func readSubresources(_ json: [String: Any]) {
        _ = string(json, "registration_ip_address", required: false, length: 0...30)
        if let value = json["addresses"] { readAddresses(value) }
        if let value = json["attributes"] { readAttributes(value) }
    }

    private mutating func readAddresses(_ value: Any) {
        guard let addresses = value as? [Any], addresses.count <= Self.maximumSubresources else {
            errors.append(("addresses", "addresses must be an array of at most \(Self.maximumSubresources) addresses"))
            return
        }
        for (position, element) in addresses.enumerated() {
            let prefix = "addresses.\(position)"
            guard let address = element as? [String: Any] else {
                errors.append((prefix, "\(prefix) must be an object"))
                continue
            }
            for field in Self.addressFields {
                var found: [(field: String, message: String)] = []
                Self.check(address, field.name, required: field.required, length: field.length, into: &found)
                errors += found.map { ("\(prefix).\($0.field)", "\(prefix).\($0.message)") }
            }
            if let type = address["address_type"], !["residential", "commercial"].contains(type as? String ?? "") {
                errors.append(("\(prefix).address_type", "\(prefix).address_type must be residential or commercial"))
            }
        }
    }

    /// The sandbox store defines no customer attributes, so every `attribute_id` names one that does not exist.
    private mutating func readAttributes(_ value: Any) {
        guard let attributes = value as? [Any], attributes.count <= Self.maximumSubresources else {
            errors.append(("attributes", "attributes must be an array of at most \(Self.maximumSubresources) items"))
            return
        }
        for (position, element) in attributes.enumerated() {
            let prefix = "attributes.\(position)"
            guard let attribute = element as? [String: Any], let id = attribute["attribute_id"] as? Int else {
                errors.append((prefix, "\(prefix) needs an integer attribute_id"))
                continue
            }
            var found: [(field: String, message: String)] = []
            Self.check(attribute, "attribute_value", required: true, length: 0...255, into: &found)
            errors += found.map { ("\(prefix).\($0.field)", "\(prefix).\($0.message)") }
            errors.append(("\(prefix).attribute_id", "customer attribute \(id) does not exist"))
        }
    }
}
