import Foundation

/// A store endpoint a request maps to, with the scope it needs.
enum StoreRoute {
    case customers(method: String)
    case groups(method: String)
    case group(id: Int)
    case groupCount
    case orders
    case orderCount
    case order(id: Int)

    /// What a request needs a token to hold.
    enum Scope {
        case customersRead, customersWrite, ordersRead

        /// The least scope that grants it, as a 403 names it.
        var name: String {
            switch self {
            case .customersRead: SandboxScope.customersReadOnly.rawValue
            case .customersWrite: SandboxScope.customers.rawValue
            case .ordersRead: SandboxScope.ordersReadOnly.rawValue
            }
        }

        func isGranted(by scopes: Set<SandboxScope>) -> Bool {
            switch self {
            case .customersRead: scopes.contains(.customers) || scopes.contains(.customersReadOnly)
            case .customersWrite: scopes.contains(.customers)
            case .ordersRead: scopes.contains(.orders) || scopes.contains(.ordersReadOnly)
            }
        }
    }

    /// Resolves a path below `/stores/{hash}`; nil for unknown paths, `.failure` for a known path with a wrong method.
    static func resolve(method: String, path: String) -> Result<StoreRoute, ResponseError>? {
        let parts = path.split(separator: "/").map(String.init)
        let isRead = method == "GET" || method == "HEAD"
        switch parts {
        case ["v3", "customers"]:
            guard ["GET", "HEAD", "POST", "PUT", "DELETE"].contains(method) else { return .failure(notAllowed) }
            return .success(.customers(method: method == "HEAD" ? "GET" : method))
        case ["v2", "customer_groups"]:
            guard isRead || method == "POST" else { return .failure(notAllowed) }
            return .success(.groups(method: isRead ? "GET" : method))
        case ["v2", "customer_groups", "count"]:
            return isRead ? .success(.groupCount) : .failure(notAllowed)
        case ["v2", "orders"]:
            return isRead ? .success(.orders) : .failure(notAllowed)
        case ["v2", "orders", "count"]:
            return isRead ? .success(.orderCount) : .failure(notAllowed)
        default:
            return resolveItem(parts, isRead: isRead)
        }
    }

    private static func resolveItem(_ parts: [String], isRead: Bool) -> Result<StoreRoute, ResponseError>? {
        guard parts.count == 3, parts[0] == "v2", let id = Int(parts[2]) else { return nil }
        switch parts[1] {
        case "customer_groups": return isRead ? .success(.group(id: id)) : .failure(notAllowed)
        case "orders": return isRead ? .success(.order(id: id)) : .failure(notAllowed)
        default: return nil
        }
    }

    private static var notAllowed: ResponseError { ResponseError(APIResponses.methodNotAllowed()) }

    var requiredScope: Scope {
        switch self {
        case .customers(let method), .groups(let method): method == "GET" ? .customersRead : .customersWrite
        case .group, .groupCount: .customersRead
        case .orders, .orderCount, .order: .ordersRead
        }
    }

    /// The in-flight counter this request belongs to, with its limit, if the store limits it.
    func concurrencyLimit(_ configuration: SandboxConfiguration) -> (key: String, limit: Int)? {
        switch self {
        case .customers("PUT"): ("PUT /v3/customers", configuration.maximumConcurrentUpdates)
        case .customers("POST"): ("POST /v3/customers", configuration.maximumConcurrentCreates)
        default: nil
        }
    }

    func handle(_ request: HTTPRequest, context: StoreContext) throws -> EndpointResult {
        switch self {
        case .customers(let method):
            let endpoint = CustomersEndpoint(context: context)
            switch method {
            case "POST": return try endpoint.create(request)
            case "PUT": return try endpoint.update(request)
            case "DELETE": return try endpoint.delete(request)
            default: return try endpoint.list(request)
            }
        case .groups(let method):
            let endpoint = GroupsEndpoint(context: context)
            return method == "POST" ? try endpoint.create(request) : try endpoint.list(request)
        case .group(let id): return try GroupsEndpoint(context: context).find(id: id)
        case .groupCount: return try GroupsEndpoint(context: context).count()
        case .orders: return try OrdersEndpoint(context: context).list(request)
        case .orderCount: return try OrdersEndpoint(context: context).count(request)
        case .order(let id): return try OrdersEndpoint(context: context).find(id: id)
        }
    }
}
