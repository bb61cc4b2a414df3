import Foundation
import SQLiteDB

/// `GET /v2/orders`, `GET /v2/orders/count`, `GET /v2/orders/{id}`.
struct OrdersEndpoint {
    let context: StoreContext

    func list(_ request: HTTPRequest) throws -> EndpointResult {
        let filter: (condition: SQLCondition, page: Int, limit: Int)
        do {
            filter = try parse(request)
        } catch {
            return EndpointResult(response: error.response)
        }
        let orders = try context.store.read { database in
            try OrderTable.select(
                filter.condition,
                limit: filter.limit,
                offset: (filter.page - 1) * filter.limit,
                in: database
            )
        }
        guard !orders.isEmpty else { return EndpointResult(response: .empty(204)) }
        return EndpointResult(response: .json(200, orders.map(\.apiJSON)), items: orders.count)
    }

    func count(_ request: HTTPRequest) throws -> EndpointResult {
        let rows = try context.store.read { database in
            try database.query("SELECT status_id, COUNT(*) AS n FROM orders GROUP BY status_id")
                .map { ($0.int(0) ?? 0, $0.int(1) ?? 0) }
        }
        let counts = Dictionary(rows, uniquingKeysWith: +)
        let statuses: [[String: Any]] = OrderRow.statusNames.enumerated().map { id, name in
            ["id": id, "name": name, "system_label": name, "custom_label": name, "count": counts[id] ?? 0]
        }
        return EndpointResult(response: .json(200, ["count": counts.values.reduce(0, +), "statuses": statuses]))
    }

    func find(id: Int) throws -> EndpointResult {
        guard let order = try context.store.read({ database in try OrderTable.find(id: id, in: database) }) else {
            return EndpointResult(response: APIResponses.v2Error(404, message: "The requested resource was not found."))
        }
        return EndpointResult(response: .json(200, order.apiJSON), items: 1)
    }

    private func parse(_ request: HTTPRequest) throws(ResponseError) -> (SQLCondition, Int, Int) {
        var condition = SQLCondition()
        var page = 1
        var limit = 50
        let inclusive = context.configuration.dateBoundsAreInclusive
        for (name, value) in request.queryItems(plusIsSpace: context.configuration.decodesPlusAsSpace) {
            switch name {
            case "customer_id", "status_id":
                condition.add("\(name) = ?", [try Self.integer(name, value).sqliteValue])
            case "min_id": condition.add("id >= ?", [try Self.integer(name, value).sqliteValue])
            case "max_id": condition.add("id <= ?", [try Self.integer(name, value).sqliteValue])
            case "min_date_modified", "max_date_modified", "min_date_created", "max_date_created":
                guard let seconds = SandboxDate.parseAny(value) else { throw Self.invalid(name) }
                let column = name.hasSuffix("modified") ? "date_modified" : "date_created"
                let comparison = name.hasPrefix("min") ? (inclusive ? ">=" : ">") : (inclusive ? "<=" : "<")
                condition.add("\(column) \(comparison) ?", [seconds.sqliteValue])
            case "page": page = try Self.integer(name, value, minimum: 1)
            case "limit":
                limit = try Self.integer(name, value, minimum: 1)
                guard limit <= 250 || context.configuration.clampsLimit else {
                    throw ResponseError(APIResponses.v2Error(413, message: "The limit exceeds 250."))
                }
                limit = min(limit, 250)
            default: break
            }
        }
        return (condition, page, limit)
    }

    private static func integer(_ name: String, _ value: String, minimum: Int = 0) throws(ResponseError) -> Int {
        guard let number = Int(value), number >= minimum else { throw invalid(name) }
        return number
    }

    private static func invalid(_ name: String) -> ResponseError {
        ResponseError(APIResponses.v2Error(400, message: "The field '\(name)' is invalid."))
    }
}
