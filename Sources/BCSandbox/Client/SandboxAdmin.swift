import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An admin call that did not get a 2xx answer.
public struct SandboxAdminError: Error, CustomStringConvertible, LocalizedError {
    public let method: String
    public let path: String
    /// HTTP status, or 0 when no answer came.
    public let status: Int
    public let message: String

    public var description: String { "sandbox admin \(method) \(path) failed with status \(status): \(message)" }
    public var errorDescription: String? { description }
}

/// A client for a running sandbox's `/__sandbox/` admin API, for tests and the `bc-sandbox` command.
public struct SandboxAdmin: Sendable {
    public let baseURL: URL
    private let session: URLSession

    /// `baseURL` is the server root, e.g. `http://127.0.0.1:8080`.
    public init(baseURL: URL, session: URLSession = .shared) {
        self.baseURL = baseURL
        self.session = session
    }

    /// Wipes data, faults, quota state and the request log.
    public func reset() async throws { _ = try await send("POST", "reset", json: [String: Any]()) }

    /// Creates a group (with a forced id when given) and returns its id.
    public func createGroup(name: String, id: Int? = nil) async throws -> Int {
        var body: [String: Any] = ["name": name]
        if let id { body["id"] = id }
        return try Self.id(of: try await send("POST", "groups", json: body))
    }

    /// Creates customers as shoppers signing up; returns their ids in order.
    @discardableResult
    public func createCustomers(_ customers: [SandboxCustomerSeed]) async throws -> [Int] {
        let data = try await send("POST", "customers", body: try JSONEncoder().encode(customers))
        return try Self.ids(of: data)
    }

    /// Creates customers from plain field maps (`email`, `first_name`, `last_name`, ...); returns their ids.
    @discardableResult
    public func createCustomers(_ customers: [[String: Any]]) async throws -> [Int] {
        try Self.ids(of: try await send("POST", "customers", json: customers))
    }

    /// Edits a customer as a store admin would; `date_modified` moves unless `fields` sets it.
    public func updateCustomer(id: Int, fields: [String: Any]) async throws {
        _ = try await send("PUT", "customers/\(id)", json: fields)
    }

    public func deleteCustomer(id: Int) async throws { _ = try await send("DELETE", "customers/\(id)") }

    /// Creates an order and returns its id; `totalIncTax` is a decimal string such as `"49.95"`.
    public func createOrder(
        customerID: Int,
        totalIncTax: String,
        statusID: Int? = nil,
        currencyCode: String? = nil,
        dateCreated: String? = nil
    ) async throws -> Int {
        var body: [String: Any] = ["customer_id": customerID, "total_inc_tax": totalIncTax]
        if let statusID { body["status_id"] = statusID }
        if let currencyCode { body["currency_code"] = currencyCode }
        if let dateCreated { body["date_created"] = dateCreated }
        return try Self.id(of: try await send("POST", "orders", json: body))
    }

    /// Edits an order (`status_id`, `total_inc_tax`, `is_deleted`, ...); `date_modified` moves unless set.
    public func updateOrder(id: Int, fields: [String: Any]) async throws {
        _ = try await send("PUT", "orders/\(id)", json: fields)
    }

    public func dump() async throws -> SandboxDump {
        try JSONDecoder().decode(SandboxDump.self, from: try await send("GET", "dump"))
    }

    /// The raw dump document, for printing.
    public func dumpData() async throws -> Data { try await send("GET", "dump") }

    public func requests() async throws -> [LoggedRequest] {
        try JSONDecoder().decode([LoggedRequest].self, from: try await send("GET", "requests"))
    }

    public func clearRequests() async throws { _ = try await send("DELETE", "requests") }

    /// Adds one fault, e.g. `["kind": "status", "status": 500, "count": 2]`.
    public func addFault(_ fault: [String: Any]) async throws { _ = try await send("POST", "faults", json: fault) }

    public func clearFaults() async throws { _ = try await send("DELETE", "faults") }

    /// Changes the quota; `spend` is used up now by another app, `spendPerRequest` during each of ours (the
    /// answer's headers show it).
    @discardableResult
    public func setQuota(
        quota: Int? = nil,
        windowMilliseconds: Int? = nil,
        spend: Int? = nil,
        spendPerRequest: Int? = nil
    ) async throws -> SandboxQuota {
        var body: [String: Any] = [:]
        if let quota { body["quota"] = quota }
        if let windowMilliseconds { body["window_ms"] = windowMilliseconds }
        if let spend { body["spend"] = spend }
        if let spendPerRequest { body["spend_per_request"] = spendPerRequest }
        return try JSONDecoder().decode(SandboxQuota.self, from: try await send("POST", "quota", json: body))
    }

    public func quota() async throws -> SandboxQuota {
        try JSONDecoder().decode(SandboxQuota.self, from: try await send("GET", "quota"))
    }

    /// Sends a raw admin request and returns the body of a 2xx answer.
    public func send(_ method: String, _ path: String, body: Data? = nil) async throws -> Data {
        var request = URLRequest(url: baseURL.appendingPathComponent("__sandbox").appendingPathComponent(path))
        request.httpMethod = method
        // A connection of its own each time: a pooled one that the sandbox closed meanwhile (a restart,
        // a dropped answer) would fail the request with a broken pipe, and admin calls are few.
        request.setValue("close", forHTTPHeaderField: "Connection")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw SandboxAdminError(method: method, path: path, status: 0, message: "\(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw SandboxAdminError(
                method: method,
                path: path,
                status: status,
                message: String(decoding: data, as: UTF8.self)
            )
        }
        return data
    }

    private func send(_ method: String, _ path: String, json: Any) async throws -> Data {
        try await send(method, path, body: try JSONSerialization.data(withJSONObject: json))
    }

    private static func id(of data: Data) throws -> Int {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let id = object["id"] as? Int
        else { throw SandboxAdminError(method: "", path: "", status: 200, message: "answer has no id") }
        return id
    }

    private static func ids(of data: Data) throws -> [Int] {
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw SandboxAdminError(method: "", path: "", status: 200, message: "answer is not a list")
        }
        return list.compactMap { $0["id"] as? Int }
    }
}
