import BCSandbox
import Foundation
import Testing

struct CustomersListTests {
    @Test func firstPageCarriesBothPaginationBlocks() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(3)
            let response = try await sandbox.call("GET", "/v3/customers?limit=2")
            #expect(response.status == 200)
            #expect(response.data.map { $0["id"] as? Int } == [1, 2])
            let meta = response.object["meta"] as? [String: Any] ?? [:]
            let pagination = meta["pagination"] as? [String: Any] ?? [:]
            #expect(pagination["total"] as? Int == 3)
            #expect(pagination["count"] as? Int == 2)
            #expect(pagination["per_page"] as? Int == 2)
            #expect(pagination["current_page"] as? Int == 1)
            #expect(pagination["total_pages"] as? Int == 2)
            #expect((pagination["links"] as? [String: Any])?["next"] as? String == "?page=2&limit=2")
            let cursor = meta["cursor_pagination"] as? [String: Any] ?? [:]
            #expect(cursor["end_cursor"] is String)
        }
    }

    @Test func laterPagesOmitCursorPagination() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(3)
            let response = try await sandbox.call("GET", "/v3/customers?limit=2&page=2")
            let meta = response.object["meta"] as? [String: Any] ?? [:]
            #expect(response.data.map { $0["id"] as? Int } == [3])
            #expect(meta["pagination"] != nil)
            #expect(meta["cursor_pagination"] == nil)
        }
    }

    @Test func cursorPagingWalksEveryCustomerOnceAndOmitsPagination() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(5)
            var seen: [Int] = []
            var response = try await sandbox.call("GET", "/v3/customers?limit=2&sort=date_modified:asc")
            seen += response.data.compactMap { $0["id"] as? Int }
            while let cursor = ((response.object["meta"] as? [String: Any])?["cursor_pagination"] as? [String: Any]),
                let links = cursor["links"] as? [String: Any], links["next"] != nil,
                let end = cursor["end_cursor"] as? String
            {
                response = try await sandbox.call("GET", "/v3/customers?limit=2&sort=date_modified:asc&after=\(end)")
                #expect((response.object["meta"] as? [String: Any])?["pagination"] == nil)
                seen += response.data.compactMap { $0["id"] as? Int }
            }
            #expect(seen == [1, 2, 3, 4, 5])
        }
    }

    @Test func beforeCursorReturnsThePreviousPage() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(4)
            let first = try await sandbox.call("GET", "/v3/customers?limit=2&page=1")
            let end = try #require(
                ((first.object["meta"] as? [String: Any])?["cursor_pagination"] as? [String: Any])?["end_cursor"]
                    as? String
            )
            let second = try await sandbox.call("GET", "/v3/customers?limit=2&after=\(end)")
            let start = try #require(
                ((second.object["meta"] as? [String: Any])?["cursor_pagination"] as? [String: Any])?["start_cursor"]
                    as? String
            )
            let back = try await sandbox.call("GET", "/v3/customers?limit=2&before=\(start)")
            #expect(back.data.map { $0["id"] as? Int } == [1, 2])
        }
    }

    @Test func emailFilterIgnoresCase() async throws {
        try await withSandbox { (sandbox) async throws in
            _ = try await sandbox.admin.createCustomers([newCustomer("Grace.Hollis@Example.TEST")])
            let response = try await sandbox.call("GET", "/v3/customers?email:in=grace.hollis@example.test")
            #expect(response.data.count == 1)
            #expect(response.data.first?["email"] as? String == "Grace.Hollis@Example.TEST")
        }
    }

    @Test func plusInQueryIsASpaceUnlessPercentEncoded() async throws {
        try await withSandbox { (sandbox) async throws in
            _ = try await sandbox.admin.createCustomers([newCustomer("a+b@example.test")])
            let raw = try await sandbox.call("GET", "/v3/customers?email:in=a+b@example.test")
            let encoded = try await sandbox.call("GET", "/v3/customers?email:in=a%2Bb@example.test")
            #expect(raw.data.isEmpty)
            #expect(encoded.data.count == 1)
        }
    }

    @Test func filtersByIdAndGroup() async throws {
        try await withSandbox { (sandbox) async throws in
            let group = try await sandbox.admin.createGroup(name: "Members", id: 4)
            try await sandbox.seedCustomers(2, group: group, prefix: "member")
            try await sandbox.seedCustomers(2, prefix: "other")
            let byGroup = try await sandbox.call("GET", "/v3/customers?customer_group_id:in=4")
            #expect(byGroup.data.map { $0["id"] as? Int } == [1, 2])
            let byID = try await sandbox.call("GET", "/v3/customers?id:in=2,4")
            #expect(byID.data.map { $0["id"] as? Int } == [2, 4])
        }
    }

    @Test func dateModifiedMinIsExclusiveByDefault() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            sandbox.clock.advance(milliseconds: 60_000)
            try await sandbox.admin.updateCustomer(id: 1, fields: ["notes": "edited"])
            let edited = SandboxDate.iso8601(Int(sandbox.clock.now / 1000))
            let atBound = try await sandbox.call("GET", "/v3/customers?date_modified:min=\(edited)")
            #expect(atBound.data.isEmpty)
            let earlier = SandboxDate.iso8601(Int(sandbox.clock.now / 1000) - 1)
            let before = try await sandbox.call("GET", "/v3/customers?date_modified:min=\(earlier)")
            #expect(before.data.count == 1)
        }
    }

    @Test func dateModifiedMinIsInclusiveWhenSwitched() async throws {
        try await withSandbox({ $0.dateBoundsAreInclusive = true }) { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            let now = SandboxDate.iso8601(Int(sandbox.clock.now / 1000))
            let response = try await sandbox.call("GET", "/v3/customers?date_modified:min=\(now)")
            #expect(response.data.count == 1)
        }
    }

    @Test func unknownFilterIs422WithDocumentedBody() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call("GET", "/v3/customers?customer_id=5")
            #expect(response.status == 422)
            #expect(
                response.object["title"] as? String == "The filter(s): customer_id are not valid filter parameter(s)."
            )
            #expect(
                response.object["type"] as? String
                    == "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
            )
            #expect(response.errors.isEmpty)
        }
    }

    @Test(arguments: ["id:in=abc", "date_modified:min=yesterday", "sort=email:asc", "page=0", "after=bogus"])
    func invalidFilterValueIs422(query: String) async throws {
        try await withSandbox { (sandbox) async throws in
            #expect(try await sandbox.call("GET", "/v3/customers?\(query)").status == 422)
        }
    }

    @Test func limitAbove250Is413() async throws {
        try await withSandbox { (sandbox) async throws in
            #expect(try await sandbox.call("GET", "/v3/customers?limit=251").status == 413)
            #expect(try await sandbox.call("GET", "/v3/customers?limit=250").status == 200)
        }
    }

    @Test func limitAbove250IsClampedWhenSwitched() async throws {
        try await withSandbox({ $0.clampsLimit = true }) { (sandbox) async throws in
            let response = try await sandbox.call("GET", "/v3/customers?limit=1000")
            #expect(response.status == 200)
            let pagination = (response.object["meta"] as? [String: Any])?["pagination"] as? [String: Any]
            #expect(pagination?["per_page"] as? Int == 250)
        }
    }

    @Test func emptyResultIs200WithEmptyData() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call("GET", "/v3/customers?email:in=nobody@example.test")
            #expect(response.status == 200)
            #expect(response.data.isEmpty)
            let pagination = (response.object["meta"] as? [String: Any])?["pagination"] as? [String: Any]
            #expect(pagination?["total"] as? Int == 0)
        }
    }

    @Test func customerJSONHasTheDocumentedFields() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            let customer = try #require(try await sandbox.call("GET", "/v3/customers").data.first)
            for field in [
                "id", "email", "first_name", "last_name", "company", "phone", "customer_group_id", "notes",
                "date_created", "date_modified", "authentication", "channel_ids", "origin_channel_id",
                "registration_ip_address",
            ] {
                #expect(customer[field] != nil, "missing \(field)")
            }
            #expect(customer["channel_ids"] is NSNull)
            #expect((customer["date_created"] as? String)?.hasSuffix("Z") == true)
            #expect((customer["authentication"] as? [String: Any])?["force_password_reset"] as? Bool == false)
        }
    }
}
