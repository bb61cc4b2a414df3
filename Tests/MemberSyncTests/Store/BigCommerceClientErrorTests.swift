import Foundation
import MemberSync
import Testing

struct BigCommerceClientErrorTests {
    @Test func unauthorizedStopsWrites() async throws {
        let client = try makeClient(FakeTransport([.answer(answer(401, #"{"status":401,"title":"Unauthorized"}"#))]))

        let error = await storeError { _ = try await client.createCustomers([record(1)]) }

        guard case .unauthorized(let endpoint) = error else {
            Issue.record("expected unauthorized, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "POST /v3/customers")
        #expect(error?.stopsWrites == true)
    }

    @Test func forbiddenNamesTheScopeOfTheEndpoint() async throws {
        let transport = FakeTransport([], fallback: answer(403))
        let client = try makeClient(transport)

        let customers = await storeError { _ = try await client.listCustomers(after: nil, groupIDs: nil, limit: 50) }
        let groups = await storeError { _ = try await client.customerGroups() }
        let orders = await storeError { _ = try await client.orders(modifiedSince: Date(), page: 1, limit: 50) }

        guard case .forbidden(_, let customersScope) = customers, case .forbidden(_, let groupsScope) = groups,
            case .forbidden(_, let ordersScope) = orders
        else {
            Issue.record("expected forbidden errors")
            return
        }
        #expect(customersScope == "store_v2_customers_read_only")
        #expect(groupsScope == "store_v2_customers_read_only")
        #expect(ordersScope == "store_v2_orders_read_only")
        #expect(transport.requests.count == 3)
    }

    /// Reading customers needs Customers read-only, writing them Customers modify: the 403 says which
    /// the API account lacks, and never carries the token.
    @Test func forbiddenNamesTheAccessTheCallNeeds() async throws {
        let transport = FakeTransport([], fallback: answer(403, #"{"status":403,"title":"You don't have access"}"#))
        let client = try makeClient(transport)
        let update = CustomerUpdate(customerID: 1, record: record(1))

        let reads = [
            await storeError { _ = try await client.customers(withEmails: ["a@example.test"]) },
            await storeError { _ = try await client.listCustomers(after: nil, groupIDs: nil, limit: 50) },
            await storeError { _ = try await client.customerGroups() },
        ]
        let writes = [
            await storeError { _ = try await client.createCustomers([record(1)]) },
            await storeError { _ = try await client.updateCustomers([update]) },
        ]
        let orders = await storeError { _ = try await client.orders(modifiedSince: Date(), page: 1, limit: 50) }

        for error in reads {
            #expect(error?.description.contains("lacks Customers: read-only (or modify) access") == true)
            #expect(error?.description.contains("'store_v2_customers_read_only'") == true)
        }
        for error in writes {
            #expect(
                error?.description.contains("lacks Customers: modify access (OAuth scope 'store_v2_customers')") == true
            )
        }
        #expect(orders?.description.contains("lacks Orders: read-only (or modify) access") == true)
        for error in reads + writes + [orders] {
            #expect(error?.stopsWrites == true)
            #expect(error?.description.contains(testToken) == false)
        }
    }

    @Test func notFoundIsNotRetried() async throws {
        let transport = FakeTransport([], fallback: answer(404))
        let client = try makeClient(transport)

        let error = await storeError { _ = try await client.customers(withIDs: [9]) }

        #expect(error?.kind == "not_found")
        #expect(transport.requests.count == 1)
    }

    @Test func unprocessableBodyIsParsed() async throws {
        let body = """
            {"status":422,"title":"Create customers failed.","type":"/api-docs/getting-started/api-status-codes",\
            "errors":{".customer_create":"Error creating customers",".0.email":"duplicate"}}
            """
        let client = try makeClient(FakeTransport([.answer(answer(422, body))]))

        let error = await storeError { _ = try await client.createCustomers([record(1)]) }

        guard case .rejected(_, let status, let title, let errors) = error else {
            Issue.record("expected rejected, got \(String(describing: error))")
            return
        }
        #expect(status == 422)
        #expect(title == "Create customers failed.")
        #expect(errors == [".customer_create": "Error creating customers", ".0.email": "duplicate"])
        #expect(error?.isPermanentForRecords == true)
    }

    @Test func versionTwoArrayErrorBodyIsParsed() async throws {
        let body = #"[{"status":400,"message":"The field 'limit' is invalid."},{"status":400,"message":"Second."}]"#
        let client = try makeClient(FakeTransport([.answer(answer(400, body))]))

        let error = await storeError { _ = try await client.customerGroups() }

        guard case .rejected(_, 400, let title, let errors) = error else {
            Issue.record("expected rejected, got \(String(describing: error))")
            return
        }
        #expect(title == "The field 'limit' is invalid.")
        #expect(errors == ["1": "Second."])
    }

    @Test func tokenNeverAppearsInErrorsOrEvents() async throws {
        let echo = """
            {"title":"Internal error","request":{"headers":{"X-Auth-Token":"\(testToken)"}},"detail":"\(testToken)"}
            """
        let events = EventLog()
        let transport = FakeTransport(
            [
                .answer(answer(401)), .answer(answer(500, echo)), .answer(answer(500, "X-Auth-Token: \(testToken)")),
                .answer(answer(422, #"{"title":"bad token \#(testToken)","errors":{"x":"\#(testToken)"}}"#)),
                .answer(answer(500, echo)),
            ]
        )
        let client = try makeClient(transport, events: events) { $0.maxAttempts = 2 }

        var errors: [StoreError?] = []
        errors.append(
            await storeError {
                _ = try await client.updateCustomers([CustomerUpdate(customerID: 1, record: record(1))])
            }
        )
        errors.append(await storeError { _ = try await client.customers(withIDs: [1]) })
        errors.append(await storeError { _ = try await client.customers(withIDs: [1]) })
        errors.append(await storeError { _ = try await client.createCustomers([record(1)]) })

        #expect(errors.map { $0?.kind } == ["unauthorized", "unavailable", "rejected", "unavailable"])
        for error in errors {
            let texts = [String(describing: error), error?.errorDescription ?? "", error?.localizedDescription ?? ""]
            #expect(!texts.contains { $0.contains(testToken) })
        }
        #expect(!events.events.contains { String(describing: $0).contains(testToken) })
        #expect(transport.requests.allSatisfy { $0.headers["X-Auth-Token"] == testToken })
        #expect(!transport.requests.contains { $0.url.absoluteString.contains(testToken) })
    }

    @Test func configurationDescriptionHidesToken() throws {
        let configuration = BigCommerceClient.Configuration(storeHash: "abc123", accessToken: testToken)
        var dumped = ""
        dump(configuration, to: &dumped)

        #expect(!String(describing: configuration).contains(testToken))
        #expect(!String(reflecting: configuration).contains(testToken))
        #expect(!dumped.contains(testToken))
    }
}
