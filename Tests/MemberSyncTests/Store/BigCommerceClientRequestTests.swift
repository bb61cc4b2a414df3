import Foundation
import MemberSync
import Testing

struct BigCommerceClientRequestTests {
    @Test func sendsAuthAndJSONHeaders() async throws {
        let transport = FakeTransport()
        let client = try makeClient(transport)

        _ = try await client.customers(withIDs: [1])
        _ = try await client.updateCustomers([CustomerUpdate(customerID: 1, record: record(1))])

        let (get, put) = (transport.requests[0], transport.requests[1])
        #expect(get.url.absoluteString == "https://api.example.test/stores/abc123/v3/customers?id:in=1&limit=250")
        #expect(get.headers == ["X-Auth-Token": testToken, "Accept": "application/json"])
        #expect(put.headers["Content-Type"] == "application/json")
        #expect(put.timeout == .seconds(30))
    }

    @Test func createsCarryAllOwnedFieldsAndForcePasswordReset() async throws {
        let transport = FakeTransport()
        let client = try makeClient(transport)

        _ = try await client.createCustomers([record(1, group: 0), record(2)])

        let items = bodyObjects(transport.requests[0])
        #expect(transport.requests[0].method == "POST")
        #expect(items.count == 2)
        let first = try #require(items.first)
        #expect(first["email"] as? String == "person1@example.test")
        #expect(first["first_name"] as? String == "First1")
        #expect(first["last_name"] as? String == "Last1")
        #expect(first["company"] as? String == "Acme")
        #expect(first["phone"] as? String == "555-011")
        #expect(first["customer_group_id"] as? Int == 0)
        #expect((first["authentication"] as? [String: Any])?["force_password_reset"] as? Bool == true)
        #expect(first["trigger_account_created_notification"] as? Bool == false)
        #expect(first["id"] == nil)
    }

    @Test func updatesCarryIDAndAllOwnedFieldsEvenWhenEmpty() async throws {
        let transport = FakeTransport()
        let client = try makeClient(transport)
        var changed = record(6002)
        changed.company = ""
        changed.phone = ""

        _ = try await client.updateCustomers([CustomerUpdate(customerID: 6002, record: changed)])

        let item = try #require(bodyObjects(transport.requests[0]).first)
        #expect(transport.requests[0].method == "PUT")
        #expect(
            Set(item.keys) == ["id", "email", "first_name", "last_name", "company", "phone", "customer_group_id"]
        )
        #expect(item["id"] as? Int == 6002)
        #expect(item["customer_group_id"] as? Int == 4)
        #expect(item["company"] as? String == "")
    }

    @Test func batchOverTenIsRefusedWithoutSending() async throws {
        let transport = FakeTransport()
        let client = try makeClient(transport)

        let create = await storeError { _ = try await client.createCustomers((1...11).map { record($0) }) }
        let updates = (1...11).map { CustomerUpdate(customerID: $0, record: record($0)) }
        let update = await storeError { _ = try await client.updateCustomers(updates) }

        #expect(create?.kind == "rejected")
        #expect(update?.kind == "rejected")
        #expect(transport.requests.isEmpty)
    }

    @Test func pagesCustomersByCursor() async throws {
        let transport = FakeTransport([
            .answer(
                answer(
                    200,
                    customersBody(
                        [customerJSON(id: 1, email: "a@x.test"), customerJSON(id: 2, email: "b@x.test")],
                        next: "?after=Y3Vyc29yMg%3D%3D&limit=2",
                        endCursor: "Y3Vyc29yMg=="
                    )
                )
            ),
            .answer(answer(200, customersBody([customerJSON(id: 3, email: "c@x.test")], endCursor: "Y3Vyc29yMw=="))),
        ])
        let client = try makeClient(transport)

        let first = try await client.listCustomers(after: nil, groupIDs: [3, 4], limit: 2)
        let second = try await client.listCustomers(after: first.nextCursor, groupIDs: [3, 4], limit: 2)

        #expect(first.customers.map(\.id) == [1, 2])
        #expect(first.nextCursor == "Y3Vyc29yMg==")
        #expect(second.customers.map(\.id) == [3])
        #expect(second.nextCursor == nil)
        #expect(transport.requests[0].rawQuery == "limit=2&customer_group_id:in=3,4")
        #expect(transport.requests[1].rawQuery == "limit=2&after=Y3Vyc29yMg%3D%3D&customer_group_id:in=3,4")
    }

    @Test func listLimitIsCappedAt250() async throws {
        let transport = FakeTransport()
        let client = try makeClient(transport)

        _ = try await client.listCustomers(after: nil, groupIDs: nil, limit: 1000)

        #expect(transport.requests[0].rawQuery == "limit=250")
    }

    @Test func lookupsPercentEncodeEmailsAsGivenAndChunk() async throws {
        let transport = FakeTransport()
        let client = try makeClient(transport)

        _ = try await client.customers(withEmails: ["a+b@x.test", "Mixed.Case@Example.TEST"])
        _ = try await client.customers(withEmails: (1...120).map { "p\($0)@x.test" })

        #expect(transport.requests[0].rawQuery == "email:in=a%2Bb%40x.test,Mixed.Case%40Example.TEST&limit=250")
        #expect(transport.requests.count == 4)
    }

    @Test func parsesCustomersLenientlyKeepingTheStoresValuesInNFC() async throws {
        let longPhone = String(repeating: "5", count: 60)
        let longName = String(repeating: "K", count: 120)
        let item = """
            {"id":5,"email":"  Zoe@Example.test ","first_name":"Zoe\u{0308}","last_name":" Park ",\
            "company":"\(longName)","phone":"\(longPhone)",\
            "customer_group_id":null,"date_modified":"2026-01-02T03:04:05Z"}
            """
        let client = try makeClient(FakeTransport([.answer(answer(200, customersBody([item])))]))

        let customer = try #require(try await client.customers(withIDs: [5]).first)

        #expect(customer.id == 5)
        #expect(customer.record.email == "  Zoe@Example.test ")
        #expect(customer.record.emailKey == "zoe@example.test")
        #expect(customer.record.firstName == "Zoë")
        #expect(customer.record.firstName.unicodeScalars.count == 3)
        #expect(customer.record.lastName.unicodeScalars.elementsEqual(" Park ".unicodeScalars))
        #expect(customer.record.company == longName)
        #expect(customer.record.phone == longPhone)
        #expect(customer.record.customerGroupID == 0)
        #expect(customer.dateModified == "2026-01-02T03:04:05Z")
    }

    @Test func parsesNullTextAsEmpty() async throws {
        let item = #"{"id":6,"email":null,"first_name":"Ann","last_name":"Lee","company":null,"phone":null}"#
        let client = try makeClient(FakeTransport([.answer(answer(200, customersBody([item])))]))

        let customer = try #require(try await client.customers(withIDs: [6]).first)

        #expect(customer.record.email == "")
        #expect(customer.record.company == "")
        #expect(customer.record.phone == "")
    }

    @Test func pagesThroughCustomerGroups() async throws {
        let page = "[" + (1...250).map { #"{"id":\#($0),"name":"G\#($0)"}"# }.joined(separator: ",") + "]"
        let transport = FakeTransport([
            .answer(answer(200, page)), .answer(answer(200, #"[{"id":251,"name":"Members"}]"#)),
        ])
        let client = try makeClient(transport)

        let groups = try await client.customerGroups()

        #expect(groups.count == 251)
        #expect(groups.last == CustomerGroup(id: 251, name: "Members"))
        #expect(transport.requests.map(\.rawQuery) == ["page=1&limit=250", "page=2&limit=250"])
    }

    @Test func readsOrdersWithRFC2822Dates() async throws {
        let body = """
            [{"id":100,"customer_id":7,"status_id":10,"status":"Completed","total_inc_tax":"12.5000",\
            "currency_code":"EUR","date_created":"Wed, 10 Jan 2018 21:05:30 +0000",\
            "date_modified":"Thu, 11 Jan 2018 01:00:00 +0200"}]
            """
        let transport = FakeTransport([.answer(answer(200, body)), .answer(answer(204))])
        let client = try makeClient(transport)
        let since = try #require(RFC2822Date.parse("Wed, 10 Jan 2018 21:05:30 +0000"))

        let orders = try await client.orders(modifiedSince: since, page: 1, limit: 50)
        let none = try await client.orders(modifiedSince: since, page: 2, limit: 50)

        #expect(
            orders == [
                StoreOrder(
                    id: 100,
                    customerID: 7,
                    statusID: 10,
                    status: "Completed",
                    totalIncTax: "12.5000",
                    currencyCode: "EUR",
                    dateCreated: "2018-01-10T21:05:30Z",
                    dateModified: "2018-01-10T23:00:00Z"
                )
            ]
        )
        #expect(none.isEmpty)
        #expect(
            transport.requests[0].rawQuery
                == "min_date_modified=Wed%2C%2010%20Jan%202018%2021%3A05%3A30%20%2B0000&sort=id%3Aasc&page=1&limit=50"
        )
    }

    @Test func countsRequestsByKindAndOutcome() async throws {
        let transport = FakeTransport([
            .answer(answer(429)), .answer(answer(200, "[]")), .answer(answer(422)), .answer(answer(204)),
        ])
        let client = try makeClient(transport)

        _ = try await client.customerGroups()
        _ = await storeError { _ = try await client.customers(withEmails: ["a@x.test"]) }
        _ = try await client.orders(modifiedSince: Date(), page: 1, limit: 10)

        let counts = await client.requestCounts()
        #expect(counts.total == 4)
        #expect(counts.byKind == ["groups": 2, "lookup": 1, "orders": 1])
        #expect(counts.rateLimited == 1)
        #expect(counts.clientErrors == 1)
        #expect(counts.succeeded == 2)
    }

    @Test(arguments: ["http://api.example.test", "http://10.0.0.5:8080", "http://127.example.test", "ftp://127.0.0.1"])
    func refusesInsecureOrUnknownURLs(url: String) {
        let configuration = BigCommerceClient.Configuration(
            apiURL: URL(string: url)!,
            storeHash: "abc123",
            accessToken: testToken
        )
        #expect(throws: BigCommerceClient.ConfigurationError.self) {
            _ = try BigCommerceClient(configuration: configuration, transport: FakeTransport())
        }
    }

    @Test(arguments: [
        "http://127.0.0.1:8080", "http://localhost:9000/", "http://[::1]:8080", "https://api.bigcommerce.com",
    ])
    func acceptsTLSOrLoopbackURLs(url: String) throws {
        let configuration = BigCommerceClient.Configuration(
            apiURL: URL(string: url)!,
            storeHash: "abc123",
            accessToken: testToken
        )
        _ = try BigCommerceClient(configuration: configuration, transport: FakeTransport())
    }
}
