import BCSandbox
import Foundation
import Testing

/// Tokens with chosen scopes: each endpoint answers 403 naming the scope a token lacks.
struct ScopeTests {
    static let customersOnly = "token-customers-only"
    static let ordersOnly = "token-orders-only"
    static let customersReadOnly = "token-customers-read-only"
    static let ordersModify = "token-orders-modify"
    static let noScopes = "token-no-scopes"

    static func configure(_ configuration: inout SandboxConfiguration) {
        configuration.scopedTokens = [
            customersOnly: [.customers],
            ordersOnly: [.ordersReadOnly],
            customersReadOnly: [.customersReadOnly],
            ordersModify: [.orders],
            noScopes: [],
        ]
    }

    /// Expects a 403 whose v3 error body names `scope`, with the four rate-limit headers.
    static func expectMissing(_ scope: String, _ response: TestResponse, _ comment: Comment) {
        #expect(response.status == 403, comment)
        #expect(response.object["status"] as? Int == 403, comment)
        #expect((response.object["title"] as? String)?.hasSuffix(": \(scope)") == true, comment)
        #expect(response.errors["scope"]?.contains(scope) == true, comment)
        #expect(response.object["type"] as? String != nil, comment)
        for header in [
            "X-Rate-Limit-Time-Window-Ms", "X-Rate-Limit-Time-Reset-Ms", "X-Rate-Limit-Requests-Quota",
            "X-Rate-Limit-Requests-Left",
        ] {
            #expect(response.header(header) != nil, "\(comment): \(header)")
        }
    }

    @Test func ordersNeedAnOrdersScope() async throws {
        try await withSandbox(Self.configure) { (sandbox) async throws in
            _ = try await sandbox.admin.createOrder(customerID: 0, totalIncTax: "10.00")
            for path in ["/v2/orders", "/v2/orders/count", "/v2/orders/1"] {
                let response = try await sandbox.call("GET", path, token: Self.customersOnly)
                Self.expectMissing("store_v2_orders_read_only", response, "GET \(path)")
            }
            #expect(try await sandbox.call("GET", "/v2/orders", token: Self.ordersOnly).status == 200)
            #expect(try await sandbox.call("GET", "/v2/orders", token: Self.ordersModify).status == 200)
        }
    }

    @Test func readingCustomersAndGroupsNeedsACustomersScope() async throws {
        try await withSandbox(Self.configure) { (sandbox) async throws in
            for path in ["/v3/customers", "/v2/customer_groups", "/v2/customer_groups/count", "/v2/customer_groups/1"] {
                let response = try await sandbox.call("GET", path, token: Self.ordersOnly)
                Self.expectMissing("store_v2_customers_read_only", response, "GET \(path)")
            }
            #expect(try await sandbox.call("GET", "/v3/customers", token: Self.customersReadOnly).status == 200)
            #expect(try await sandbox.call("GET", "/v3/customers", token: Self.customersOnly).status == 200)
        }
    }

    @Test func modifyingCustomersAndGroupsNeedsTheModifyScope() async throws {
        try await withSandbox(Self.configure) { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            for token in [Self.customersReadOnly, Self.ordersOnly, Self.ordersModify] {
                let writes: [(String, String, Any?)] = [
                    ("POST", "/v3/customers", [newCustomer("new@example.test")]),
                    ("PUT", "/v3/customers", [["id": 1, "last_name": "Changed"]]),
                    ("DELETE", "/v3/customers?id:in=1", nil),
                    ("POST", "/v2/customer_groups", ["name": "Members"]),
                ]
                for (method, path, body) in writes {
                    let response = try await sandbox.call(method, path, json: body, token: token)
                    Self.expectMissing("store_v2_customers", response, "\(method) \(path) with \(token)")
                }
            }
            let dump = try await sandbox.admin.dump()
            #expect(dump.customers.map(\.lastName) == ["Last1"], "no refused write changed anything")
            #expect(dump.groups.isEmpty)
            let create = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("new@example.test")],
                token: Self.customersOnly
            )
            #expect(create.status == 200)
        }
    }

    @Test func aKnownTokenWithoutScopesIs403NotAnUnknownOne() async throws {
        try await withSandbox(Self.configure) { (sandbox) async throws in
            let response = try await sandbox.call("GET", "/v3/customers", token: Self.noScopes)
            Self.expectMissing("store_v2_customers_read_only", response, "no scopes")
            #expect(try await sandbox.call("GET", "/v3/customers", token: "token-nobody-issued").status == 401)
        }
    }

    @Test func theMainAndReadOnlyTokensKeepTheirScopes() async throws {
        try await withSandbox(Self.configure) { (sandbox) async throws in
            let readOnly = SandboxFixture.readOnlyToken
            #expect(try await sandbox.call("GET", "/v2/orders", token: readOnly).status == 204)
            let refused = try await sandbox.call("POST", "/v2/customer_groups", json: ["name": "X"], token: readOnly)
            Self.expectMissing("store_v2_customers", refused, "read-only token")
            #expect(try await sandbox.call("GET", "/v2/orders").status == 204)
            #expect(try await sandbox.call("POST", "/v2/customer_groups", json: ["name": "X"]).status == 200)
        }
    }

    @Test func scopeListsAreParsedStrictly() throws {
        #expect(
            try SandboxScope.list("store_v2_customers, store_v2_orders_read_only") == [.customers, .ordersReadOnly]
        )
        #expect(try SandboxScope.list("") == [])
        #expect(throws: SandboxOptionError.self) { try SandboxScope.list("store_v2_customer") }
    }
}
