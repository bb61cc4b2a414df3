import BCSandbox
import Foundation
import Testing

struct GroupsTests {
    @Test func emptyGroupListIs204UnlessSwitched() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call("GET", "/v2/customer_groups")
            #expect(response.status == 204)
            #expect(response.body.isEmpty)
        }
        try await withSandbox({ $0.emptyGroupListIsNoContent = false }) { (sandbox) async throws in
            let response = try await sandbox.call("GET", "/v2/customer_groups")
            #expect(response.status == 200 && response.array.isEmpty)
        }
    }

    @Test func createListFindAndCount() async throws {
        try await withSandbox { (sandbox) async throws in
            let created = try await sandbox.call("POST", "/v2/customer_groups", json: ["name": "Members"])
            #expect(created.status == 200)
            #expect(created.object["id"] as? Int == 1)
            _ = try await sandbox.call("POST", "/v2/customer_groups", json: ["name": "Non-members"])
            let list = try await sandbox.call("GET", "/v2/customer_groups")
            #expect(list.array.map { $0["name"] as? String } == ["Members", "Non-members"])
            #expect(try await sandbox.call("GET", "/v2/customer_groups/2").object["name"] as? String == "Non-members")
            #expect(try await sandbox.call("GET", "/v2/customer_groups/count").object["count"] as? Int == 2)
        }
    }

    @Test func missingGroupIs404AndMissingNameIs400AndDuplicateIs409() async throws {
        try await withSandbox { (sandbox) async throws in
            #expect(try await sandbox.call("GET", "/v2/customer_groups/7").status == 404)
            #expect(try await sandbox.call("POST", "/v2/customer_groups", json: ["nom": "x"]).status == 400)
            _ = try await sandbox.call("POST", "/v2/customer_groups", json: ["name": "Members"])
            #expect(try await sandbox.call("POST", "/v2/customer_groups", json: ["name": "members"]).status == 409)
        }
    }
}

struct OrdersTests {
    @Test func noOrdersIs204WithEmptyBody() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call("GET", "/v2/orders?customer_id=1")
            #expect(response.status == 204)
            #expect(response.body.isEmpty)
        }
    }

    @Test func ordersAreABareArraySortedByIdWithRFC2822DatesAndMoneyStrings() async throws {
        try await withSandbox { (sandbox) async throws in
            _ = try await sandbox.admin.createOrder(
                customerID: 3,
                totalIncTax: "49.95",
                statusID: 10,
                dateCreated: "2018-01-10T21:05:30Z"
            )
            _ = try await sandbox.admin.createOrder(customerID: 0, totalIncTax: "5")
            let response = try await sandbox.call("GET", "/v2/orders")
            #expect(response.status == 200)
            let orders = response.array
            #expect(orders.map { $0["id"] as? Int } == [1, 2])
            #expect(orders[0]["date_created"] as? String == "Wed, 10 Jan 2018 21:05:30 +0000")
            #expect(orders[0]["total_inc_tax"] as? String == "49.9500")
            #expect(orders[0]["status"] as? String == "Completed")
            #expect(orders[1]["customer_id"] as? Int == 0)
            #expect(orders[1]["is_deleted"] as? Bool == false)
        }
    }

    @Test func filtersByCustomerMinIdAndDateModifiedInBothFormats() async throws {
        try await withSandbox { (sandbox) async throws in
            for customer in [1, 2, 1] {
                _ = try await sandbox.admin.createOrder(customerID: customer, totalIncTax: "1")
            }
            sandbox.clock.advance(milliseconds: 120_000)
            try await sandbox.admin.updateOrder(id: 3, fields: ["status_id": 5])
            #expect(try await sandbox.call("GET", "/v2/orders?customer_id=1").array.map { $0["id"] as? Int } == [1, 3])
            #expect(try await sandbox.call("GET", "/v2/orders?min_id=2").array.count == 2)
            let bound = Int(sandbox.clock.now / 1000) - 60
            let rfc = SandboxDate.rfc2822(bound).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(
                try await sandbox.call("GET", "/v2/orders?min_date_modified=\(rfc)").array.map { $0["id"] as? Int } == [
                    3
                ]
            )
            let iso = SandboxDate.iso8601(bound)
            #expect(try await sandbox.call("GET", "/v2/orders?max_date_modified=\(iso)").array.count == 2)
            #expect(try await sandbox.call("GET", "/v2/orders?min_date_modified=soon").status == 400)
        }
    }

    @Test func pagingAndCount() async throws {
        try await withSandbox { (sandbox) async throws in
            for _ in 1...5 { _ = try await sandbox.admin.createOrder(customerID: 1, totalIncTax: "1") }
            #expect(try await sandbox.call("GET", "/v2/orders?limit=2&page=3").array.map { $0["id"] as? Int } == [5])
            #expect(try await sandbox.call("GET", "/v2/orders/count").object["count"] as? Int == 5)
            #expect(try await sandbox.call("GET", "/v2/orders?limit=251").status == 413)
        }
    }

    @Test func singleOrderOr404() async throws {
        try await withSandbox { (sandbox) async throws in
            let id = try await sandbox.admin.createOrder(customerID: 1, totalIncTax: "12.3")
            #expect(try await sandbox.call("GET", "/v2/orders/\(id)").object["total_inc_tax"] as? String == "12.3000")
            #expect(try await sandbox.call("GET", "/v2/orders/99").status == 404)
        }
    }
}
