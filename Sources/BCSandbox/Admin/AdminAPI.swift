import Foundation
import SQLiteDB

/// Serves `/__sandbox/...`: seeding, inspection, faults and quota control. No token, no quota, no request log.
struct AdminAPI: Sendable {
    let context: StoreContext
    let limiter: RateLimiter
    let log: RequestLog

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let parts = request.path.split(separator: "/").dropFirst().map(String.init)
        do {
            return try route(request, parts: parts)
        } catch let error as ResponseError {
            return error.response
        } catch {
            return Self.error(500, "\(error)")
        }
    }

    private func route(_ request: HTTPRequest, parts: [String]) throws -> HTTPResponse {
        switch (request.method, parts) {
        case ("GET", ["health"]): return .json(200, ["ok": true])
        case ("POST", ["reset"]): return try reset()
        case ("GET", ["dump"]): return try dump()
        case ("GET", ["requests"]): return .json(200, log.all.map(\.json))
        case ("DELETE", ["requests"]): return clear { log.clear() }
        case ("POST", ["faults"]): return try addFault(request)
        case ("DELETE", ["faults"]): return clear { context.faults.clear() }
        case ("GET", ["quota"]): return .json(200, limiter.snapshot().json)
        case ("POST", ["quota"]): return try configureQuota(request)
        case ("POST", ["groups"]): return try AdminSeeding(context: context).createGroup(try Self.object(request))
        case ("POST", ["customers"]): return try AdminSeeding(context: context).createCustomers(try Self.body(request))
        case ("PUT", let path) where path.count == 2 && path[0] == "customers":
            return try AdminSeeding(context: context).updateCustomer(id: try Self.id(path[1]), try Self.object(request))
        case ("DELETE", let path) where path.count == 2 && path[0] == "customers":
            return try AdminSeeding(context: context).deleteCustomer(id: try Self.id(path[1]))
        case ("POST", ["orders"]): return try AdminSeeding(context: context).createOrder(try Self.object(request))
        case ("PUT", let path) where path.count == 2 && path[0] == "orders":
            return try AdminSeeding(context: context).updateOrder(id: try Self.id(path[1]), try Self.object(request))
        default: return Self.error(404, "no admin endpoint \(request.method) \(request.path)")
        }
    }

    private func reset() throws -> HTTPResponse {
        try context.store.reset()
        context.faults.clear()
        limiter.reset()
        log.clear()
        return .json(200, ["ok": true])
    }

    private func dump() throws -> HTTPResponse {
        let (groups, customers, orders) = try context.store.read { database in
            (
                try GroupTable.select(SQLCondition(), limit: Int.max, offset: 0, in: database),
                try CustomerTable.select(SQLCondition(), orderBy: "id", limit: Int.max, in: database),
                try OrderTable.select(SQLCondition(), limit: Int.max, offset: 0, in: database)
            )
        }
        return .json(
            200,
            [
                "groups": groups.map(\.apiJSON), "customers": customers.map(\.dumpJSON),
                "orders": orders.map(\.apiJSON),
            ]
        )
    }

    private func addFault(_ request: HTTPRequest) throws -> HTTPResponse {
        do {
            context.faults.add(try Fault(json: try Self.object(request)))
        } catch let error as FaultError {
            return Self.error(400, error.description)
        }
        return .json(200, ["ok": true])
    }

    private func configureQuota(_ request: HTTPRequest) throws -> HTTPResponse {
        let object = try Self.object(request)
        limiter.configure(
            quota: object["quota"] as? Int,
            windowMilliseconds: object["window_ms"] as? Int,
            spend: object["spend"] as? Int,
            spendPerRequest: object["spend_per_request"] as? Int
        )
        return .json(200, limiter.snapshot().json)
    }

    private func clear(_ action: () -> Void) -> HTTPResponse {
        action()
        return .json(200, ["ok": true])
    }

    static func error(_ status: Int, _ message: String) -> HTTPResponse { .json(status, ["error": message]) }

    static func body(_ request: HTTPRequest) throws -> Any {
        guard let value = try? JSONSerialization.jsonObject(with: Data(request.body), options: [.fragmentsAllowed])
        else {
            throw ResponseError(error(400, "the body is not valid JSON"))
        }
        return value
    }

    static func object(_ request: HTTPRequest) throws -> [String: Any] {
        if request.body.isEmpty { return [:] }
        guard let object = try body(request) as? [String: Any] else {
            throw ResponseError(error(400, "the body must be a JSON object"))
        }
        return object
    }

    private static func id(_ text: String) throws -> Int {
        guard let id = Int(text) else { throw ResponseError(error(400, "\"\(text)\" is not an id")) }
        return id
    }
}
