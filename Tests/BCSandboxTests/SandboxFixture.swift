import BCSandbox
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A clock the tests move by hand.
final class ManualClock: Sendable {
    private let milliseconds = Mutex<Int64>(1_700_000_000_000)

    var now: Int64 { milliseconds.withLock { $0 } }

    func advance(milliseconds delta: Int64) { milliseconds.withLock { $0 += delta } }
}

/// One answer from the sandbox.
struct TestResponse: @unchecked Sendable {
    let status: Int
    let headers: [String: String]
    let body: Data

    var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    var data: [[String: Any]] { object["data"] as? [[String: Any]] ?? [] }
    var errors: [String: String] { object["errors"] as? [String: String] ?? [:] }

    /// A header, looked up without regard to case.
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// An in-process sandbox on a free loopback port, with its data in a temp dir that `close()` removes.
final class SandboxFixture: Sendable {
    static let token = "test-token-full"
    static let readOnlyToken = "test-token-read"

    let server: SandboxServer
    let directory: URL
    let clock = ManualClock()
    let session: URLSession

    init(_ configure: (inout SandboxConfiguration) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bc-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = SandboxConfiguration(dataPath: directory.appendingPathComponent("store.sqlite").path)
        configuration.token = Self.token
        configuration.readOnlyToken = Self.readOnlyToken
        let clock = clock
        configuration.clock = { clock.now }
        configure(&configuration)
        server = try SandboxServer(configuration)
        try server.start()
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = 10
        sessionConfiguration.httpMaximumConnectionsPerHost = 16
        session = URLSession(configuration: sessionConfiguration)
    }

    var admin: SandboxAdmin { SandboxAdmin(baseURL: server.baseURL, session: session) }

    func close() {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sends a store request: `path` is below `/stores/{hash}`, e.g. `/v3/customers?id:in=1`.
    func call(
        _ method: String,
        _ path: String,
        json: Any? = nil,
        token: String? = SandboxFixture.token,
        contentType: String = "application/json",
        storeHash: String? = nil,
        rawBody: Data? = nil,
        timeout: TimeInterval = 10
    ) async throws -> TestResponse {
        let hash = storeHash ?? server.configuration.storeHash
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/stores/\(hash)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = timeout
        if let token { request.setValue(token, forHTTPHeaderField: "X-Auth-Token") }
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body = try rawBody ?? json.map({ try JSONSerialization.data(withJSONObject: $0) }) {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)"] = "\(value)" }
        return TestResponse(status: http.statusCode, headers: headers, body: data)
    }

    /// Creates customers through the admin API and returns their ids.
    @discardableResult
    func seedCustomers(_ count: Int, group: Int? = nil, prefix: String = "person") async throws -> [Int] {
        let seeds = (1...count).map {
            SandboxCustomerSeed(
                email: "\(prefix)\($0)@example.test",
                firstName: "First\($0)",
                lastName: "Last\($0)",
                customerGroupID: group
            )
        }
        return try await admin.createCustomers(seeds)
    }
}

/// Runs `body` against a fresh sandbox and always tears it down.
func withSandbox(
    _ configure: (inout SandboxConfiguration) -> Void = { _ in },
    _ body: (SandboxFixture) async throws -> Void
) async throws {
    let fixture = try SandboxFixture(configure)
    defer { fixture.close() }
    try await body(fixture)
}

/// A valid create item.
func newCustomer(_ email: String, first: String = "Ada", last: String = "Kovacs", group: Int? = nil) -> [String: Any] {
    var item: [String: Any] = ["email": email, "first_name": first, "last_name": last]
    if let group { item["customer_group_id"] = group }
    return item
}
