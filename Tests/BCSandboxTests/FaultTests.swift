import BCSandbox
import Foundation
import Testing

struct FaultTests {
    @Test func statusFaultFailsTheNextNMatchingRequests() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "status", "status": 500, "count": 2, "method": "POST"])
            #expect(try await sandbox.call("GET", "/v3/customers").status == 200)
            let body = [newCustomer("a@example.test")]
            #expect(try await sandbox.call("POST", "/v3/customers", json: body).status == 500)
            #expect(try await sandbox.call("POST", "/v3/customers", json: body).status == 500)
            #expect(try await sandbox.call("POST", "/v3/customers", json: body).status == 200)
            #expect(try await sandbox.admin.dump().customers.count == 1)
        }
    }

    @Test func statusFaultMatchesByPathSuffix() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "status", "status": 503, "count": 1, "path": "/v2/orders"])
            #expect(try await sandbox.call("GET", "/v3/customers").status == 200)
            #expect(try await sandbox.call("GET", "/v2/orders").status == 503)
        }
    }

    @Test func echoHeadersPutsTheRequestHeadersInTheBody() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "status", "status": 500, "count": 1, "echo_headers": true])
            let response = try await sandbox.call("GET", "/v3/customers")
            #expect(String(decoding: response.body, as: UTF8.self).contains(SandboxFixture.token))
        }
    }

    @Test func status429FaultCanCarryLowerCaseHeaders() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault([
                "kind": "status", "status": 429, "count": 1, "headers": ["x-rate-limit-time-reset-ms": "1500"],
            ])
            let response = try await sandbox.call("GET", "/v3/customers")
            #expect(response.status == 429)
            #expect(response.header("X-Rate-Limit-Time-Reset-Ms") == "1500")
            #expect(response.header("X-Retry-After") != nil)
        }
    }

    @Test func dropResponseAppliesTheCreateButNeverAnswers() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "drop_response", "count": 1, "method": "POST"])
            // URLSession on Linux reports an empty reply only when its timeout ends, hence a short one,
            // though long enough for a loaded machine to deliver the request first.
            await #expect(throws: (any Error).self) {
                _ = try await sandbox.call(
                    "POST",
                    "/v3/customers",
                    json: [newCustomer("ada@example.test")],
                    timeout: 3
                )
            }
            #expect(try await sandbox.admin.dump().customers.map(\.email) == ["ada@example.test"])
            let log = try await sandbox.admin.requests()
            #expect(log.filter { $0.method == "POST" }.count == 1)
            #expect(log.first { $0.method == "POST" }?.dropped == true)
        }
    }

    @Test func latencyDelaysTheAnswer() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "latency", "ms": 150, "count": 1])
            let start = Date()
            _ = try await sandbox.call("GET", "/v3/customers")
            #expect(Date().timeIntervalSince(start) >= 0.15)
        }
    }

    @Test func rateLimitWithoutHeadersHasNoRateHeaders() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "rate_limit_without_headers", "count": 1])
            let response = try await sandbox.call("GET", "/v3/customers")
            #expect(response.status == 429)
            #expect(response.header("X-Rate-Limit-Requests-Left") == nil)
            #expect(response.header("X-Retry-After") == nil)
            #expect(try await sandbox.call("GET", "/v3/customers").status == 200)
        }
    }

    @Test func rateLimitAs500() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "rate_limit_as_500", "count": 1])
            let response = try await sandbox.call("GET", "/v3/customers")
            #expect(response.status == 500)
            #expect(response.header("X-Rate-Limit-Requests-Left") == "0")
            #expect(response.header("X-Retry-After") != nil)
            #expect(response.header("X-Rate-Limit-Time-Reset-Ms") != nil)
            #expect(String(decoding: response.body, as: UTF8.self).contains("Too many requests"))
            #expect(try await sandbox.call("GET", "/v3/customers").status == 200)
        }
    }

    @Test func rejectedEmailRefusesTheWholeBatchNamingIt() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "reject_email", "email": "blocked@example.test"])
            let response = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("fine@example.test"), newCustomer("Blocked@example.test")]
            )
            #expect(response.status == 422)
            #expect(response.errors["1.email"]?.contains("Blocked@example.test") == true)
            #expect(try await sandbox.admin.dump().customers.isEmpty)
        }
    }

    @Test func rejectedEmailHonoursCountAndMethod() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            try await sandbox.admin.addFault([
                "kind": "reject_email", "email": "blocked@example.test", "count": 1, "method": "PUT",
            ])
            let create = try await sandbox.call("POST", "/v3/customers", json: [newCustomer("blocked@example.test")])
            #expect(create.status == 200, "a PUT-only rejection leaves creates alone")
            let update = [["id": 1, "email": "BLOCKED@example.test"]]
            let refused = try await sandbox.call("PUT", "/v3/customers", json: update)
            #expect(refused.status == 422)
            #expect(refused.errors["0.email"]?.contains("BLOCKED@example.test") == true)
            let second = try await sandbox.call("PUT", "/v3/customers", json: [["id": 1, "notes": "n"]])
            #expect(second.status == 200, "a batch without the email does not use up the count")
            let again = try await sandbox.call(
                "PUT",
                "/v3/customers",
                json: [["id": 2, "notes": "n"], ["id": 1, "email": "blocked@example.test"]]
            )
            #expect(again.status == 422, "\(again.errors)")
            #expect(
                again.errors["1.email"]?.contains("already in use") == true,
                "count 1 is spent: the store's own check speaks"
            )
        }
    }

    @Test func rejectedEmailHonoursPathAndCanBeLifted() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "reject_email", "email": "a@example.test", "path": "/v3/other"])
            #expect(
                try await sandbox.call("POST", "/v3/customers", json: [newCustomer("a@example.test")]).status == 200
            )
            try await sandbox.admin.addFault(["kind": "reject_email", "email": "b@example.test"])
            #expect(
                try await sandbox.call("POST", "/v3/customers", json: [newCustomer("b@example.test")]).status == 422
            )
            try await sandbox.admin.addFault(["kind": "reject_email", "email": "B@example.test", "enabled": false])
            #expect(
                try await sandbox.call("POST", "/v3/customers", json: [newCustomer("b@example.test")]).status == 200
            )
        }
    }

    @Test func lowercaseHeadersSwitch() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.admin.addFault(["kind": "lowercase_headers", "enabled": true])
            let response = try await sandbox.call("GET", "/v3/customers")
            #expect(response.headers.keys.contains("x-rate-limit-requests-left"))
            try await sandbox.admin.clearFaults()
            let after = try await sandbox.call("GET", "/v3/customers")
            #expect(after.headers.keys.contains("X-Rate-Limit-Requests-Left"))
        }
    }

    @Test func unknownFaultKindIs400() async throws {
        try await withSandbox { (sandbox) async throws in
            await #expect(throws: SandboxAdminError.self) { try await sandbox.admin.addFault(["kind": "gremlins"]) }
        }
    }

    @Test func requestLogCountsItemsAndCanBeCleared() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(3)
            _ = try await sandbox.call("GET", "/v3/customers?limit=2")
            _ = try await sandbox.call(
                "POST",
                "/v3/customers",
                json: [newCustomer("x@example.test"), newCustomer("y@example.test")]
            )
            let log = try await sandbox.admin.requests()
            #expect(log.map(\.items) == [2, 2])
            #expect(log.map(\.seq) == [1, 2])
            #expect(log[0].query == "limit=2")
            #expect(log[1].status == 200)
            try await sandbox.admin.clearRequests()
            #expect(try await sandbox.admin.requests().isEmpty)
        }
    }
}
