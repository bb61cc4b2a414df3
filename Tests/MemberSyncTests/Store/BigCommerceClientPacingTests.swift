import Foundation
import MemberSync
import Testing

struct BigCommerceClientPacingTests {
    private func update(_ index: Int) -> [CustomerUpdate] {
        [CustomerUpdate(customerID: index, record: record(index))]
    }

    @Test func waitsForResetWhenSharedQuotaReachesReserve() async throws {
        let clock = TestClock()
        let ok = customersBody([customerJSON(id: 1, email: "person1@example.test")])
        let quota = { (left: String) in
            answer(200, ok, headers: ["x-rate-limit-requests-left": left, "x-rate-limit-time-reset-ms": "9000"])
        }
        let transport = FakeTransport([.answer(quota("40")), .answer(quota("12")), .answer(quota("4"))], clock: clock)
        let events = EventLog()
        let client = try makeClient(transport, clock: clock, events: events)

        for index in 1...4 {
            _ = try await client.updateCustomers(update(index))
        }

        // 40 then 12: other apps spend about 27 per request of ours, so the next request would eat into
        // the reserve: wait for the reset. After it, 4 left is below the reserve: wait again.
        #expect(clock.sleeps == [.milliseconds(9000), .milliseconds(9000)])
        #expect(transport.sendTimes == [.zero, .zero, .milliseconds(9000), .milliseconds(18000)])
        #expect(events.events.contains(.waitingForQuota(milliseconds: 9000, reason: .reserveReached)))
        let counts = await client.requestCounts()
        #expect(counts.rateLimited == 0)
        #expect(counts.succeeded == 4)
    }

    @Test func readsMixedCaseRateLimitHeaders() async throws {
        let clock = TestClock()
        let headers = ["X-RATE-LIMIT-REQUESTS-LEFT": "2", "X-Rate-Limit-Time-Reset-MS": "1200"]
        let transport = FakeTransport([.answer(answer(200, customersBody([]), headers: headers))], clock: clock)
        let client = try makeClient(transport, clock: clock)

        _ = try await client.customers(withIDs: [1])
        _ = try await client.customers(withIDs: [2])

        #expect(clock.sleeps == [.milliseconds(1200)])
    }

    @Test func rateLimitWithoutHeadersBacksOffFromOneSecondWithoutSpendingAttempts() async throws {
        let clock = TestClock()
        let transport = FakeTransport(
            [
                .answer(answer(429)), .answer(answer(429)),
                .answer(answer(429, headers: ["x-rate-limit-time-reset-ms": "1500"])),
                .answer(answer(200, customersBody([customerJSON(id: 7, email: "person7@example.test")]))),
            ],
            clock: clock
        )
        let client = try makeClient(transport, clock: clock) { $0.maxAttempts = 1 }

        let updated = try await client.updateCustomers(update(7))

        #expect(updated.map(\.id) == [7])
        let sleeps = clock.sleeps
        #expect(sleeps.count == 3)
        #expect(sleeps.allSatisfy { $0 >= .seconds(1) && $0 <= .seconds(30) })
        #expect(sleeps[2] >= .milliseconds(1500))
        let times = transport.sendTimes
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= .seconds(1))
        }
        let counts = await client.requestCounts()
        #expect(counts.rateLimited == 3)
        #expect(counts.total == 4)
    }

    @Test func honoursTheLongerOfResetAndRetryAfter() async throws {
        let clock = TestClock()
        let limited = answer(429, headers: ["X-Rate-Limit-Time-Reset-Ms": "2000", "X-Retry-After": "5"])
        let transport = FakeTransport([.answer(limited)], clock: clock)
        let client = try makeClient(transport, clock: clock)

        _ = try await client.customers(withEmails: ["a@example.test"])

        #expect(clock.sleeps == [.seconds(5)])
    }

    @Test func unreadableOrZeroWaitHeadersStillWaitAtLeastOneSecond() async throws {
        let clock = TestClock()
        let transport = FakeTransport(
            [
                .answer(answer(429, headers: ["x-rate-limit-time-reset-ms": "NaN", "x-retry-after": "-3"])),
                .answer(answer(429, headers: ["x-rate-limit-time-reset-ms": "0", "x-retry-after": "0"])),
            ],
            clock: clock
        )
        let client = try makeClient(transport, clock: clock)

        _ = try await client.customers(withIDs: [1])

        #expect(clock.sleeps.count == 2)
        #expect(clock.sleeps.allSatisfy { $0 >= .seconds(1) && $0 <= .seconds(30) })
    }

    @Test func treatsRateLimitServerErrorAsRateLimit() async throws {
        let clock = TestClock()
        let body = #"{"status":500,"title":"API rate limit exceeded"}"#
        let transport = FakeTransport([.answer(answer(500, body)), .answer(answer(500, body))], clock: clock)
        let client = try makeClient(transport, clock: clock) { $0.maxAttempts = 1 }

        _ = try await client.customers(withIDs: [1])

        #expect(transport.requests.count == 3)
        #expect(clock.sleeps.count == 2)
        #expect(clock.sleeps.allSatisfy { $0 >= .seconds(1) })
    }

    @Test func givesUpAfterTooManyRateLimits() async throws {
        let transport = FakeTransport([], fallback: answer(429))
        let client = try makeClient(transport) { $0.maxRateLimitWaits = 3 }

        let error = await storeError { _ = try await client.customers(withIDs: [1]) }

        #expect(error?.kind == "unavailable")
        #expect(transport.requests.count == 4)
    }

    @Test func neverHasMoreThanThreeUpdatesInFlight() async throws {
        let transport = GatedTransport()
        let client = try makeClient(transport)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...7 {
                group.addTask { _ = try await client.updateCustomers(self.update(index)) }
            }
            var released = 0
            while released < 7 {
                let waiting = try await transport.waitForWaiters(atLeast: min(3, 7 - released))
                #expect(waiting <= 3)
                released += transport.releaseAll()
            }
            try await group.waitForAll()
        }

        #expect(transport.maxInFlight == 3)
    }

    @Test func quotaWaitHonoursCancellation() async throws {
        let headers = ["x-rate-limit-requests-left": "0", "x-rate-limit-time-reset-ms": "3600000"]
        let transport = FakeTransport([.answer(answer(200, customersBody([]), headers: headers))])
        let client = try BigCommerceClient(
            configuration: .init(
                apiURL: URL(string: "https://api.example.test")!,
                storeHash: "abc123",
                accessToken: testToken
            ),
            transport: transport
        )
        _ = try await client.customers(withIDs: [1])

        let task = Task { try await client.customers(withIDs: [2]) }
        task.cancel()
        let result = await task.result

        #expect(throws: CancellationError.self) { try result.get() }
        #expect(transport.requests.count == 1)
    }
}

/// Holds every request until the test releases it, counting how many are in flight at once.
final class GatedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var inFlight = 0
    private var highest = 0

    var maxInFlight: Int { lock.withLock { highest } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        await withCheckedContinuation { continuation in
            lock.withLock {
                inFlight += 1
                highest = max(highest, inFlight)
                waiting.append(continuation)
            }
        }
        lock.withLock { inFlight -= 1 }
        return answer(200, customersBody([]))
    }

    /// Waits (up to about 2 s) until `count` requests are held; then lets stragglers arrive and
    /// returns how many are held.
    func waitForWaiters(atLeast count: Int) async throws -> Int {
        for _ in 0..<2000 where lock.withLock({ waiting.count }) < count {
            try await Task.sleep(for: .milliseconds(1))
        }
        for _ in 0..<50 { await Task.yield() }
        return lock.withLock { waiting.count }
    }

    /// Lets every held request answer; returns how many there were.
    func releaseAll() -> Int {
        let released = lock.withLock {
            let all = waiting
            waiting = []
            return all
        }
        released.forEach { $0.resume() }
        return released.count
    }
}
