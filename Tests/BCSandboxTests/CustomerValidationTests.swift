import BCSandbox
import Foundation
import Testing

/// The documented field rules of create and update batches, one at a time, and the list filters they pair with.
struct CustomerValidationTests {
    @Test func createWithoutEmailIs422() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [["first_name": "Ada", "last_name": "Kovacs"]]
            )
            #expect(response.status == 422)
            #expect(response.errors["0.email"]?.contains("required") == true)
        }
    }

    @Test func emailShorterThanThreeIsRefusedForItsLength() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call("POST", "/v3/customers", json: [newCustomer("@b")])
            #expect(response.status == 422)
            #expect(response.errors["0.email"]?.contains("3-250") == true, "\(response.errors)")
        }
    }

    @Test func updateTakesEmailsUpTo255AndCreateUpTo250() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            let email255 = String(repeating: "e", count: 242) + "@example.test"
            #expect(email255.count == 255)
            let created = try await sandbox.call("POST", "/v3/customers", json: [newCustomer(email255)])
            #expect(created.status == 422)
            #expect(created.errors["0.email"]?.contains("3-250") == true)
            let updated = try await sandbox.call("PUT", "/v3/customers", json: [["id": 1, "email": email255]])
            #expect(updated.status == 200)
            let tooLong = try await sandbox.call("PUT", "/v3/customers", json: [["id": 1, "email": "e" + email255]])
            #expect(tooLong.status == 422)
            #expect(tooLong.errors["0.email"]?.contains("3-255") == true)
        }
    }

    @Test func taxExemptCategoryTakesUpTo255() async throws {
        try await withSandbox { (sandbox) async throws in
            var item = newCustomer("tax@example.test")
            item["tax_exempt_category"] = String(repeating: "t", count: 256)
            let refused = try await sandbox.call("POST", "/v3/customers", json: [item])
            #expect(refused.status == 422)
            #expect(refused.errors["0.tax_exempt_category"] != nil)
            item["tax_exempt_category"] = String(repeating: "t", count: 255)
            #expect(try await sandbox.call("POST", "/v3/customers", json: [item]).status == 200)
        }
    }

    @Test func idOnCreateIsReadOnlyUnlessSwitched() async throws {
        try await withSandbox { (sandbox) async throws in
            var item = newCustomer("id@example.test")
            item["id"] = 42
            let response = try await sandbox.call("POST", "/v3/customers", json: [item])
            #expect(response.status == 422)
            #expect(response.errors["0.id"]?.contains("read-only") == true)
        }
        try await withSandbox({ $0.rejectsReadOnlyFields = false }) { (sandbox) async throws in
            var item = newCustomer("id@example.test")
            item["id"] = 42
            let response = try await sandbox.call("POST", "/v3/customers", json: [item])
            #expect(response.status == 200)
            #expect(response.data.first?["id"] as? Int == 1)
        }
    }

    @Test(arguments: [#"-1"#, #""5""#, #"1.5"#, #"null"#])
    func customerGroupIdMustBeANonNegativeInteger(value: String) async throws {
        try await withSandbox { (sandbox) async throws in
            let item = #"{"email":"g@example.test","first_name":"A","last_name":"B","customer_group_id":\#(value)}"#
            let response = try await sandbox.call("POST", "/v3/customers", rawBody: Data("[\(item)]".utf8))
            #expect(response.status == 422)
            #expect(response.errors["0.customer_group_id"] != nil)
        }
    }

    @Test func sameIdTwiceInAnUpdateIs422AndNothingChanges() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            let response = try await sandbox.call(
                "PUT",
                "/v3/customers",
                json: [["id": 1, "last_name": "One"], ["id": 1, "last_name": "Two"]]
            )
            #expect(response.status == 422)
            #expect(response.errors["1.id"]?.contains("more than once") == true)
            #expect(try await sandbox.admin.dump().customers.first?.lastName == "Last1")
        }
    }

    @Test func sameEmailTwiceInAnUpdateIs422AndNothingChanges() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(2)
            let response = try await sandbox.call(
                "PUT",
                "/v3/customers",
                json: [["id": 1, "email": "shared@example.test"], ["id": 2, "email": "SHARED@example.test"]]
            )
            #expect(response.status == 422)
            #expect(response.errors["1.email"]?.contains("duplicates item 0") == true)
            #expect(
                try await sandbox.admin.dump().customers.map(\.email) == [
                    "person1@example.test", "person2@example.test",
                ]
            )
        }
    }

    @Test func createWithoutAGroupGetsTheConfiguredDefault() async throws {
        try await withSandbox({ $0.defaultCustomerGroupID = 3 }) { (sandbox) async throws in
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("d@example.test"), newCustomer("e@example.test", group: 0)]
            )
            #expect(response.data.map { $0["customer_group_id"] as? Int } == [3, 0])
        }
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call("POST", "/v3/customers", json: [newCustomer("d@example.test")])
            #expect(response.data.first?["customer_group_id"] as? Int == 0)
        }
    }

    @Test func dateModifiedMaxIsExclusiveUnlessSwitched() async throws {
        for inclusive in [false, true] {
            try await withSandbox({ $0.dateBoundsAreInclusive = inclusive }) { (sandbox) async throws in
                try await sandbox.seedCustomers(1)
                let modified = Int(sandbox.clock.now / 1000)
                sandbox.clock.advance(milliseconds: 60_000)
                try await sandbox.seedCustomers(1, prefix: "later")
                let atBound = try await sandbox.call(
                    "GET",
                    "/v3/customers?date_modified:max=\(SandboxDate.iso8601(modified))"
                )
                #expect(atBound.data.count == (inclusive ? 1 : 0), "inclusive: \(inclusive)")
                let after = try await sandbox.call(
                    "GET",
                    "/v3/customers?date_modified:max=\(SandboxDate.iso8601(modified + 1))"
                )
                #expect(after.data.map { $0["email"] as? String } == ["person1@example.test"])
            }
        }
    }

    @Test func groupLimitAbove250Is413UnlessClamped() async throws {
        try await withSandbox { (sandbox) async throws in
            _ = try await sandbox.admin.createGroup(name: "Members")
            #expect(try await sandbox.call("GET", "/v2/customer_groups?limit=250").status == 200)
            #expect(try await sandbox.call("GET", "/v2/customer_groups?limit=251").status == 413)
        }
        try await withSandbox({ $0.clampsLimit = true }) { (sandbox) async throws in
            _ = try await sandbox.admin.createGroup(name: "Members")
            #expect(try await sandbox.call("GET", "/v2/customer_groups?limit=251").status == 200)
        }
    }

    @Test(arguments: ["page=0", "page=-1", "page=two", "page="])
    func badPageOnOrdersIs400(query: String) async throws {
        try await withSandbox { (sandbox) async throws in
            _ = try await sandbox.admin.createOrder(customerID: 0, totalIncTax: "1")
            let response = try await sandbox.call("GET", "/v2/orders?\(query)")
            #expect(response.status == 400)
            #expect(response.array.first?["message"] as? String == "The field 'page' is invalid.")
        }
    }

    static let address =
        #"{"first_name":"Ada","last_name":"Kovacs","address1":"1 Harbour St","city":"Wellington","#
        + #""country_code":"NZ","postal_code":"6011","address_type":"commercial"}"#

    /// A valid create item with `field` set to the JSON text `value`, as a one-item batch.
    static func batch(_ field: String, _ value: String) -> Data {
        Data(#"[{"email":"sub@example.test","first_name":"A","last_name":"B","\#(field)":\#(value)}]"#.utf8)
    }

    /// `address` with one field replaced (or removed, for nil).
    static func address(_ field: String, _ value: String?) -> String {
        var object = try! JSONSerialization.jsonObject(with: Data(address.utf8)) as! [String: Any]
        object[field] = value
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func repeated(_ element: String, _ count: Int) -> String {
        "[" + Array(repeating: element, count: count).joined(separator: ",") + "]"
    }

    @Test func createTakesUpToTenValidAddresses() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                rawBody: Self.batch("addresses", Self.repeated(Self.address, 10))
            )
            #expect(response.status == 200)
        }
    }

    @Test(arguments: [
        ("addresses", "0.addresses", repeated(address, 11)),
        ("addresses", "0.addresses.0.city", "[\(address("city", nil))]"),
        ("addresses", "0.addresses.0.country_code", "[\(address("country_code", "NZL"))]"),
        ("addresses", "0.addresses.0.postal_code", "[\(address("postal_code", String(repeating: "9", count: 31)))]"),
        ("addresses", "0.addresses.0.address_type", "[\(address("address_type", "castle"))]"),
        ("attributes", "0.attributes", repeated(#"{"attribute_id":1,"attribute_value":"x"}"#, 11)),
        ("attributes", "0.attributes.0.attribute_id", #"[{"attribute_id":1,"attribute_value":"x"}]"#),
        (
            "attributes", "0.attributes.0.attribute_value",
            #"[{"attribute_id":1,"attribute_value":""# + String(repeating: "v", count: 256) + #""}]"#
        ),
        ("registration_ip_address", "0.registration_ip_address", "\"" + String(repeating: "1", count: 31) + "\""),
    ])
    func subresourceViolationsAre422(field: String, key: String, value: String) async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call("POST", "/v3/customers", rawBody: Self.batch(field, value))
            #expect(response.status == 422)
            #expect(response.errors[key] != nil, "\(response.errors)")
            #expect(try await sandbox.admin.dump().customers.isEmpty)
        }
    }

    @Test func registrationAddressUpToThirtyIsTakenButLeftBlank() async throws {
        try await withSandbox { (sandbox) async throws in
            let body = Self.batch("registration_ip_address", "\"" + String(repeating: "1", count: 30) + "\"")
            let response = try await sandbox.call("POST", "/v3/customers", rawBody: body)
            #expect(response.status == 200)
            #expect(response.data.first?["registration_ip_address"] as? String == "")
        }
    }
}
