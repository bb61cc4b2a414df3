import Foundation
import MemberSync

/// The token every store test uses; it must never show up in an error, event or description.
let testToken = "tok_TESTONLY_0123456789abcdef"

/// A clock that moves only when the client sleeps, recording every sleep.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private var offset = Duration.zero
    private var recorded: [Duration] = []

    var sleeps: [Duration] { lock.withLock { recorded } }
    var elapsed: Duration { lock.withLock { offset } }

    func now() -> ContinuousClock.Instant {
        lock.withLock { start + offset }
    }

    func sleep(_ duration: Duration) async throws {
        try Task.checkCancellation()
        lock.withLock {
            recorded.append(duration)
            offset += duration
        }
    }
}

/// A transport that answers from a script and records what was sent (and when, by the test clock).
final class FakeTransport: HTTPTransport, @unchecked Sendable {
    enum Step {
        case answer(HTTPResponse)
        case fail(Error)
    }

    private let lock = NSLock()
    private var script: [Step]
    private var sent: [(request: HTTPRequest, at: Duration)] = []
    private let clock: TestClock?
    private let fallback: HTTPResponse

    init(_ script: [Step] = [], clock: TestClock? = nil, fallback: HTTPResponse = answer(200, customersBody([]))) {
        self.script = script
        self.clock = clock
        self.fallback = fallback
    }

    var requests: [HTTPRequest] { lock.withLock { sent.map(\.request) } }
    var sendTimes: [Duration] { lock.withLock { sent.map(\.at) } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let step: Step = lock.withLock {
            sent.append((request, clock?.elapsed ?? .zero))
            return script.isEmpty ? .answer(fallback) : script.removeFirst()
        }
        switch step {
        case .answer(let response): return response
        case .fail(let error): throw error
        }
    }
}

/// Events the client reported, in order.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [StoreClientEvent] = []

    var events: [StoreClientEvent] { lock.withLock { recorded } }

    func append(_ event: StoreClientEvent) {
        lock.withLock { recorded.append(event) }
    }
}

func answer(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> HTTPResponse {
    HTTPResponse(status: status, headers: HTTPHeaders(headers), body: Data(body.utf8))
}

/// A `/v3/customers` body holding `items` (JSON objects) and, optionally, a next-page link.
func customersBody(_ items: [String], next: String? = nil, endCursor: String? = nil) -> String {
    let nextText = next.map { "\"\($0)\"" } ?? "null"
    let cursorText = endCursor.map { "\"\($0)\"" } ?? "null"
    return """
        {"data":[\(items.joined(separator: ","))],"meta":{"cursor_pagination":{"count":\(items.count),\
        "per_page":50,"start_cursor":null,"end_cursor":\(cursorText),"links":{"previous":null,"current":"?","next":\(nextText)}}}}
        """
}

func customerJSON(id: Int, email: String, group: Int = 4, extra: String = "") -> String {
    """
    {"id":\(id),"email":"\(email)","first_name":"First\(id)","last_name":"Last\(id)","company":"Co",\
    "phone":"555","customer_group_id":\(group)\(extra)}
    """
}

func record(_ index: Int, group: Int = 4) -> CustomerRecord {
    CustomerRecord(
        email: "person\(index)@example.test",
        firstName: "First\(index)",
        lastName: "Last\(index)",
        company: "Acme",
        phone: "555-01\(index)",
        customerGroupID: group
    )
}

func makeClient(
    _ transport: any HTTPTransport,
    clock: TestClock = TestClock(),
    events: EventLog = EventLog(),
    configure: (inout BigCommerceClient.Configuration) -> Void = { _ in }
) throws -> BigCommerceClient {
    var configuration = BigCommerceClient.Configuration(
        apiURL: URL(string: "https://api.example.test")!,
        storeHash: "abc123",
        accessToken: testToken
    )
    configure(&configuration)
    return try BigCommerceClient(
        configuration: configuration,
        transport: transport,
        sleep: { try await clock.sleep($0) },
        now: { clock.now() },
        onEvent: { events.append($0) }
    )
}

/// The `StoreError` that `body` throws, or nil when it throws nothing or something else.
func storeError(_ body: () async throws -> Void) async -> StoreError? {
    do {
        try await body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        return nil
    }
}

/// The JSON array a request carried, as plain objects.
func bodyObjects(_ request: HTTPRequest) -> [[String: Any]] {
    guard let body = request.body, let json = try? JSONSerialization.jsonObject(with: body) else { return [] }
    return json as? [[String: Any]] ?? []
}

extension HTTPRequest {
    /// The raw (still percent-encoded) query of the request.
    var rawQuery: String {
        url.absoluteString.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
    }
}
