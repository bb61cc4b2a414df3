import Foundation
import Testing

@testable import MemberSync

struct BigCommerceClientRetryTests {
    private let lost = HTTPTransportError(kind: .answerLost, reason: "timed out")
    private let created = customersBody([customerJSON(id: 11, email: "person1@example.test")])

    @Test func retriesServerErrorsThenSucceeds() async throws {
        let clock = TestClock()
        let events = EventLog()
        let transport = FakeTransport(
            [
                .answer(answer(503)), .fail(lost),
                .answer(answer(200, customersBody([customerJSON(id: 3, email: "a@b.test")]))),
            ],
            clock: clock
        )
        let client = try makeClient(transport, clock: clock, events: events)

        let found = try await client.customers(withIDs: [3])

        #expect(found.map(\.id) == [3])
        #expect(transport.requests.count == 3)
        #expect(clock.sleeps.count == 2)
        #expect(clock.sleeps.allSatisfy { $0 > .zero && $0 <= .seconds(30) })
        let retries = events.events.compactMap { event -> String? in
            if case .retrying(_, _, _, _, let kind) = event { return kind }
            return nil
        }
        #expect(retries == ["server_error", "transport_error"])
        let counts = await client.requestCounts()
        #expect(counts.serverErrors == 1)
        #expect(counts.transportErrors == 1)
        #expect(counts.succeeded == 1)
    }

    @Test func retriesUpdatesOnServerErrors() async throws {
        let transport = FakeTransport([.answer(answer(500)), .answer(answer(200, created))])
        let client = try makeClient(transport)

        let updated = try await client.updateCustomers([CustomerUpdate(customerID: 11, record: record(1))])

        #expect(updated.map(\.id) == [11])
        #expect(transport.requests.map(\.method) == ["PUT", "PUT"])
    }

    @Test func exhaustedRetryBudgetIsUnavailable() async throws {
        let clock = TestClock()
        let transport = FakeTransport([], clock: clock, fallback: answer(503, #"{"title":"Service Unavailable"}"#))
        let client = try makeClient(transport, clock: clock) { $0.maxAttempts = 4 }

        let error = await storeError { _ = try await client.customerGroups() }

        guard case .unavailable(let endpoint, let attempts, let lastError) = error else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "GET /v2/customer_groups")
        #expect(attempts == 4)
        #expect(lastError.contains("503"))
        #expect(transport.requests.count == 4)
        #expect(clock.sleeps.count == 3)
    }

    @Test func backoffIsCappedAndNeverZero() throws {
        let client = try makeClient(FakeTransport()) {
            $0.baseDelay = .seconds(1)
            $0.maxDelay = .seconds(60)
        }
        #expect(client.configuration.maxDelay == .seconds(30))
        for failures in [1, 2, 5, 20, 100] {
            let delay = client.retryBackoff(failures: failures)
            #expect(delay >= .milliseconds(500) && delay <= .seconds(30))
        }
    }

    @Test func doesNotDuplicateCustomerAfterLostCreateAnswer() async throws {
        let transport = FakeTransport([.fail(lost), .answer(answer(200, created))])
        let client = try makeClient(transport)

        let error = await storeError { _ = try await client.createCustomers([record(1)]) }

        guard case .createInDoubt(let endpoint, let underlying) = error else {
            Issue.record("expected createInDoubt, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "POST /v3/customers")
        #expect(underlying.contains("timed out"))
        #expect(transport.requests.count == 1)
    }

    @Test(arguments: [(500, "unavailable"), (503, "unavailable"), (502, "create_in_doubt"), (504, "create_in_doubt")])
    func neverRetriesCreateOnServerError(status: Int, kind: String) async throws {
        let transport = FakeTransport([.answer(answer(status)), .answer(answer(200, created))])
        let client = try makeClient(transport)

        let error = await storeError { _ = try await client.createCustomers([record(1)]) }

        #expect(error?.kind == kind)
        #expect(transport.requests.count == 1)
    }

    @Test func createThatCouldNotConnectIsUnavailableNotInDoubt() async throws {
        let refused = HTTPTransportError(kind: .notSent, reason: "connection refused")
        let transport = FakeTransport([.fail(refused), .answer(answer(200, created))])
        let client = try makeClient(transport)

        let error = await storeError { _ = try await client.createCustomers([record(1)]) }

        #expect(error?.kind == "unavailable")
        #expect(transport.requests.count == 1)
    }

    @Test func createRefusedWith429IsSentAgainAfterTheWait() async throws {
        let clock = TestClock()
        let limited = answer(429, headers: ["X-Rate-Limit-Time-Reset-Ms": "3000"])
        let transport = FakeTransport([.answer(limited), .answer(answer(200, created))], clock: clock)
        let client = try makeClient(transport, clock: clock)

        let customers = try await client.createCustomers([record(1)])

        #expect(customers.map(\.id) == [11])
        #expect(clock.sleeps == [.seconds(3)])
    }

    /// A 500 that is really a rate limit refused the create before acting on it: waited out like a 429
    /// and sent again, without spending the error budget (one attempt allowed here).
    @Test(arguments: [
        answer(500, #"{"status":500,"title":"API rate limit exceeded"}"#),
        answer(500, headers: ["X-Retry-After": "2"]),
        answer(500, headers: ["X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "2000"]),
    ])
    func createRefusedWithARateLimit500IsSentAgainAfterTheWait(limited: HTTPResponse) async throws {
        let clock = TestClock()
        let transport = FakeTransport(
            [.answer(limited), .answer(limited), .answer(answer(200, created))],
            clock: clock
        )
        let client = try makeClient(transport, clock: clock) { $0.maxAttempts = 1 }

        let customers = try await client.createCustomers([record(1)])

        #expect(customers.map(\.id) == [11])
        #expect(transport.requests.map(\.method) == ["POST", "POST", "POST"])
        #expect(clock.sleeps.count == 2)
        #expect(clock.sleeps.allSatisfy { $0 >= .seconds(1) })
        let counts = await client.requestCounts()
        #expect(counts.rateLimited == 2)
        #expect(counts.serverErrors == 0)
    }

    @Test func createWithUnreadableAnswerIsInDoubt() async throws {
        let transport = FakeTransport([.answer(answer(200, "<html>ok</html>"))])
        let client = try makeClient(transport)

        let error = await storeError { _ = try await client.createCustomers([record(1)]) }

        #expect(error?.kind == "create_in_doubt")
    }
}
