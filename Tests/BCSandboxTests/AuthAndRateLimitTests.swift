import BCSandbox
import Foundation
import Testing

struct AuthAndRoutingTests {
    @Test func missingTokenIs401() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call("GET", "/v3/customers", token: nil)
            #expect(response.status == 401)
            #expect(response.header("X-Rate-Limit-Requests-Left") != nil)
        }
    }

    @Test func unknownTokenIs401() async throws {
        try await withSandbox { (sandbox) async throws in
            #expect(try await sandbox.call("GET", "/v3/customers", token: "not-the-token").status == 401)
        }
    }

    @Test func readOnlyTokenMayReadButNotWrite() async throws {
        try await withSandbox { (sandbox) async throws in
            let token = SandboxFixture.readOnlyToken
            #expect(try await sandbox.call("GET", "/v3/customers", token: token).status == 200)
            let create = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("a@example.test")],
                token: token
            )
            #expect(create.status == 403)
            #expect(
                try await sandbox.call("POST", "/v2/customer_groups", json: ["name": "X"], token: token).status == 403
            )
            #expect(try await sandbox.call("GET", "/v2/orders", token: token).status == 204)
        }
    }

    @Test func unknownStoreHashIs404() async throws {
        try await withSandbox { (sandbox) async throws in
            #expect(try await sandbox.call("GET", "/v3/customers", storeHash: "other").status == 404)
        }
    }

    @Test func unknownPathIs404AndWrongMethodIs405() async throws {
        try await withSandbox { (sandbox) async throws in
            #expect(try await sandbox.call("GET", "/v3/products").status == 404)
            #expect(try await sandbox.call("DELETE", "/v2/orders").status == 405)
            #expect(try await sandbox.call("PATCH", "/v3/customers").status == 405)
        }
    }
}

struct RateLimitTests {
    @Test func everyAnswerCarriesTheFourHeaders() async throws {
        try await withSandbox { (sandbox) async throws in
            let response = try await sandbox.call("GET", "/v3/customers")
            #expect(response.header("X-Rate-Limit-Time-Window-Ms") == "30000")
            #expect(response.header("X-Rate-Limit-Time-Reset-Ms") == "30000")
            #expect(response.header("X-Rate-Limit-Requests-Quota") == "150")
            #expect(response.header("X-Rate-Limit-Requests-Left") == "149")
        }
    }

    @Test func spentQuotaGives429WithRetryAfterInWholeSeconds() async throws {
        try await withSandbox({ $0.quota = 2 }) { (sandbox) async throws in
            _ = try await sandbox.call("GET", "/v3/customers")
            sandbox.clock.advance(milliseconds: 10_500)
            _ = try await sandbox.call("GET", "/v3/customers")
            let refused = try await sandbox.call("GET", "/v3/customers")
            #expect(refused.status == 429)
            #expect(refused.object["title"] as? String == "Too many requests")
            #expect(refused.header("X-Rate-Limit-Requests-Left") == "0")
            #expect(refused.header("X-Rate-Limit-Time-Reset-Ms") == "19500")
            #expect(refused.header("X-Retry-After") == "20")
        }
    }

    @Test func quotaRefreshesWhenTheWindowEnds() async throws {
        try await withSandbox({ $0.quota = 1 }) { (sandbox) async throws in
            _ = try await sandbox.call("GET", "/v3/customers")
            #expect(try await sandbox.call("GET", "/v3/customers").status == 429)
            sandbox.clock.advance(milliseconds: 30_000)
            let response = try await sandbox.call("GET", "/v3/customers")
            #expect(response.status == 200)
            #expect(response.header("X-Rate-Limit-Requests-Left") == "0")
        }
    }

    @Test func otherAppsSpendingShowsInRequestsLeft() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.setQuota(spend: 100, spendPerRequest: 10)
            let first = try await sandbox.call("GET", "/v3/customers")
            #expect(first.header("X-Rate-Limit-Requests-Left") == "39")
            let second = try await sandbox.call("GET", "/v3/customers")
            #expect(second.header("X-Rate-Limit-Requests-Left") == "28")
            let quota = try await sandbox.admin.quota()
            #expect(quota.left == 28)
        }
    }

    @Test func quotaAndWindowAreSettable() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.setQuota(quota: 450, windowMilliseconds: 1_000)
            let response = try await sandbox.call("GET", "/v3/customers")
            #expect(response.header("X-Rate-Limit-Requests-Quota") == "450")
            #expect(response.header("X-Rate-Limit-Time-Window-Ms") == "1000")
        }
    }

    @Test func adminCallsCostNoQuotaAndAreNotLogged() async throws {
        try await withSandbox({ $0.quota = 1 }) { (sandbox) async throws in
            try await sandbox.seedCustomers(3)
            _ = try await sandbox.admin.dump()
            #expect(try await sandbox.call("GET", "/v3/customers").status == 200)
            #expect(try await sandbox.admin.requests().count == 1)
        }
    }

    @Test func everyKindOfAnswerCarriesTheFourHeaders() async throws {
        try await withSandbox { (sandbox) async throws in
            // A 403 is refused before the quota is spent, so it leaves Requests-Left where it was.
            let answers = [
                (204, 149, try await sandbox.call("GET", "/v2/orders")),
                (
                    403, 149,
                    try await sandbox.call("PUT", "/v3/customers", json: [], token: SandboxFixture.readOnlyToken)
                ),
                (404, 148, try await sandbox.call("GET", "/v2/orders/7")),
                (422, 147, try await sandbox.call("GET", "/v3/customers?colour:in=red")),
            ]
            for (status, left, response) in answers {
                #expect(response.status == status)
                #expect(response.header("X-Rate-Limit-Time-Window-Ms") == "30000", "\(status)")
                #expect(response.header("X-Rate-Limit-Time-Reset-Ms") == "30000", "\(status)")
                #expect(response.header("X-Rate-Limit-Requests-Quota") == "150", "\(status)")
                #expect(response.header("X-Rate-Limit-Requests-Left") == String(left), "\(status)")
            }
        }
    }

    @Test func moreThanTenConcurrentCreatesGet429() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "latency", "ms": 1_500, "method": "POST"])
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 1...13 {
                    group.addTask {
                        let body = [newCustomer("concurrent\(index)@example.test")]
                        return try await sandbox.call("POST", "/v3/customers", json: body).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 10)
            #expect(statuses.filter { $0 == 429 }.count == 3)
            #expect(try await sandbox.admin.dump().customers.count == 10)
        }
    }

    @Test func concurrencyLimitsAreSwitchable() async throws {
        try await withSandbox({ $0.maximumConcurrentCreates = 1 }) { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "latency", "ms": 1_000, "method": "POST"])
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 1...3 {
                    group.addTask {
                        let body = [newCustomer("one\(index)@example.test")]
                        return try await sandbox.call("POST", "/v3/customers", json: body).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 429, 429])
        }
    }

    @Test func moreThanThreeConcurrentUpdatesGet429() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(6)
            try await sandbox.admin.addFault(["kind": "latency", "ms": 400, "method": "PUT"])
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for id in 1...6 {
                    group.addTask {
                        try await sandbox.call("PUT", "/v3/customers", json: [["id": id, "notes": "n"]]).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 3)
            #expect(statuses.filter { $0 == 429 }.count == 3)
        }
    }
}
