import BCSandbox
import Foundation
import Testing

struct CustomersWriteTests {
    @Test func createReturns200WithCustomersAndRecordsWelcomeEmailChoice() async throws {
        try await withSandbox { (sandbox) async throws in
            var quiet = newCustomer("quiet@example.test")
            quiet["trigger_account_created_notification"] = false
            quiet["authentication"] = ["force_password_reset": true, "new_password": "s3cret-Pass"]
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [quiet, newCustomer("loud@example.test")]
            )
            #expect(response.status == 200)
            #expect(response.data.map { $0["id"] as? Int } == [1, 2])
            #expect(!String(decoding: response.body, as: UTF8.self).contains("s3cret"))
            let dump = try await sandbox.admin.dump()
            #expect(dump.customers.map(\.triggerAccountCreatedNotification) == [false, true])
            #expect(dump.customers[0].forcePasswordReset)
            #expect(dump.customers[0].hasPassword)
            #expect(dump.customers[0].customerGroupID == 0)
        }
    }

    @Test func createOfMoreThanTenIs413() async throws {
        try await withSandbox { (sandbox) async throws in
            let items = (1...11).map { newCustomer("p\($0)@example.test") }
            let response = try await sandbox.call("POST", "/v3/customers", json: items)
            #expect(response.status == 413)
            #expect(try await sandbox.admin.dump().customers.isEmpty)
        }
    }

    @Test func updateOfMoreThanTenIs413() async throws {
        try await withSandbox { (sandbox) async throws in
            let items = (1...11).map { ["id": $0, "notes": "x"] as [String: Any] }
            #expect(try await sandbox.call("PUT", "/v3/customers", json: items).status == 413)
        }
    }

    @Test func missingRequiredFieldsAre422KeyedByIndex() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("ok@example.test"), ["email": "no.names@example.test"]]
            )
            #expect(response.status == 422)
            #expect(response.object["title"] as? String == "Create customers failed.")
            #expect(response.errors["1.first_name"] != nil)
            #expect(response.errors["1.last_name"] != nil)
            #expect(response.errors["0.email"] == nil)
            #expect(try await sandbox.admin.dump().customers.isEmpty, "all-or-nothing: the valid item is not created")
        }
    }

    @Test func genericErrorKeyStyleUsesOneKey() async throws {
        try await withSandbox({ $0.errorKeyStyle = .generic }) { (sandbox) async throws in
            let response = try await sandbox.call("POST", "/v3/customers", json: [["email": "x@example.test"]])
            #expect(response.status == 422)
            #expect(Array(response.errors.keys) == [".customer_create"])
        }
    }

    @Test(arguments: [
        ("first_name", String(repeating: "a", count: 101)),
        ("last_name", ""),
        ("email", "a@"),
        ("email", "omar.said@@example.test"),
        ("email", String(repeating: "e", count: 240) + "@example.test"),
        ("company", String(repeating: "c", count: 256)),
        ("phone", String(repeating: "1", count: 51)),
    ])
    func lengthAndFormatViolationsAre422(field: String, value: String) async throws {
        try await withSandbox { (sandbox) async throws in
            var item = newCustomer("valid@example.test")
            item[field] = value
            let response = try await sandbox.call("POST", "/v3/customers", json: [item])
            #expect(response.status == 422)
            #expect(response.errors["0.\(field)"] != nil)
        }
    }

    @Test func limitsCountCodePointsSoAccentedNamesOfOneHundredPass() async throws {
        try await withSandbox { (sandbox) async throws in
            let name = String(repeating: "ễ", count: 100)
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("v@example.test", first: name)]
            )
            #expect(response.status == 200)
            #expect(try await sandbox.admin.dump().customers.first?.firstName == name)
        }
    }

    @Test func duplicateEmailAgainstTheStoreIs422IgnoringCase() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            let response = try await sandbox.call("POST", "/v3/customers", json: [newCustomer("PERSON1@Example.Test")])
            #expect(response.status == 422)
            #expect(response.errors["0.email"]?.contains("already in use") == true)
        }
    }

    @Test func duplicateEmailWithinTheBatchIs422AndNothingIsCreated() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("mei@example.test"), newCustomer("MEI@example.test")]
            )
            #expect(response.status == 422)
            #expect(response.errors["1.email"] != nil)
            #expect(try await sandbox.admin.dump().customers.isEmpty)
        }
    }

    @Test func partialModeCreatesTheValidItems() async throws {
        try await withSandbox({ $0.appliesPartialBatches = true }) { (sandbox) async throws in
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("good@example.test"), ["email": "bad@example.test"]]
            )
            #expect(response.status == 422)
            #expect(try await sandbox.admin.dump().customers.map(\.email) == ["good@example.test"])
        }
    }

    @Test func unknownGroupIs422() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("g@example.test", group: 9)]
            )
            #expect(response.status == 422)
            #expect(response.errors["0.customer_group_id"] != nil)
        }
    }

    @Test func updateChangesOnlyTheFieldsPresentAndKeepsTheGroup() async throws {
        try await withSandbox { (sandbox) async throws in
            let group = try await sandbox.admin.createGroup(name: "Members", id: 4)
            try await sandbox.admin.createCustomers([
                SandboxCustomerSeed(
                    email: "ng@example.test",
                    firstName: "Minh",
                    lastName: "Ng",
                    customerGroupID: group,
                    notes: "VIP"
                )
            ])
            sandbox.clock.advance(milliseconds: 5_000)
            let response = try await sandbox.call("PUT", "/v3/customers", json: [["id": 1, "last_name": "Nguyen"]])
            #expect(response.status == 200)
            let customer = try #require(try await sandbox.admin.dump().customers.first)
            #expect(customer.lastName == "Nguyen")
            #expect(customer.customerGroupID == 4)
            #expect(customer.notes == "VIP")
            #expect(customer.dateModified != customer.dateCreated)
        }
    }

    @Test func putWithoutGroupResetsItWhenTheFaultIsOn() async throws {
        try await withSandbox { (sandbox) async throws in
            let group = try await sandbox.admin.createGroup(name: "Members")
            try await sandbox.seedCustomers(1, group: group)
            try await sandbox.admin.addFault(["kind": "put_without_group_resets", "enabled": true])
            _ = try await sandbox.call("PUT", "/v3/customers", json: [["id": 1, "last_name": "Other"]])
            #expect(try await sandbox.admin.dump().customers.first?.customerGroupID == 0)
            _ = try await sandbox.call("PUT", "/v3/customers", json: [["id": 1, "customer_group_id": group]])
            #expect(try await sandbox.admin.dump().customers.first?.customerGroupID == group)
        }
    }

    @Test func updateOfUnknownIdIs422AndNothingChanges() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            let response = try await sandbox.call(
                "PUT",
                "/v3/customers",
                json: [["id": 1, "last_name": "Changed"], ["id": 99, "last_name": "Ghost"]]
            )
            #expect(response.status == 422)
            #expect(response.object["title"] as? String == "Update customers failed.")
            #expect(response.errors["1.id"] != nil)
            #expect(try await sandbox.admin.dump().customers.first?.lastName == "Last1")
        }
    }

    @Test(arguments: [
        #"{"last_name":"NoId"}"#,
        #"{"id":1,"date_created":"2020-01-01T00:00:00Z"}"#,
        #"{"id":1,"registration_ip_address":"1.2.3.4"}"#,
        #"{"id":1,"email":"person2@EXAMPLE.test"}"#,
        #"{"id":1,"channel_ids":[]}"#,
        #"{"id":1,"first_name":""}"#,
    ])
    func invalidUpdateItemsAre422(item: String) async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(2)
            let response = try await sandbox.call("PUT", "/v3/customers", rawBody: Data("[\(item)]".utf8))
            #expect(response.status == 422)
        }
    }

    @Test func updateMayKeepItsOwnEmailInAnotherCase() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            let response = try await sandbox.call(
                "PUT",
                "/v3/customers",
                json: [["id": 1, "email": "PERSON1@example.test"]]
            )
            #expect(response.status == 200)
        }
    }

    @Test func deleteWithoutIdInDeletesNothing() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(2)
            #expect(try await sandbox.call("DELETE", "/v3/customers").status == 204)
            #expect(try await sandbox.admin.dump().customers.count == 2)
        }
    }

    @Test func deleteWithIdInDeletesThoseAndIgnoresUnknownIds() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(3)
            #expect(try await sandbox.call("DELETE", "/v3/customers?id:in=1,3,77").status == 204)
            #expect(try await sandbox.admin.dump().customers.map(\.id) == [2])
        }
    }

    @Test func deleteWithMalformedIdInIs422() async throws {
        try await withSandbox { (sandbox) async throws in
            #expect(try await sandbox.call("DELETE", "/v3/customers?id:in=one").status == 422)
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("a@example.test")],
                contentType: "text/plain"
            )
            #expect(response.status == 415)
        }
    }

    @Test func malformedJSONIs400AndAnObjectBodyIs422() async throws {
        try await withSandbox { (sandbox) async throws in
            let malformed = try await sandbox.call("POST", "/v3/customers", rawBody: Data("[{".utf8))
            #expect(malformed.status == 400)
            let object = try await sandbox.call("POST", "/v3/customers", json: newCustomer("a@example.test"))
            #expect(object.status == 422)
        }
    }
}
