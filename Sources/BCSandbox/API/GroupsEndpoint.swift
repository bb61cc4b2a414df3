import Foundation
import SQLiteDB

/// `GET/POST /v2/customer_groups`, `GET /v2/customer_groups/{id}`, `GET /v2/customer_groups/count`.
struct GroupsEndpoint {
    let context: StoreContext

    func list(_ request: HTTPRequest) throws -> EndpointResult {
        var condition = SQLCondition()
        var page = 1
        var limit = 50
        for (name, value) in request.queryItems(plusIsSpace: context.configuration.decodesPlusAsSpace) {
            switch name {
            case "page":
                guard let number = Int(value), number >= 1 else { return invalid(name) }
                page = number
            case "limit":
                guard let number = Int(value), number >= 1 else { return invalid(name) }
                guard number <= 250 || context.configuration.clampsLimit else {
                    return EndpointResult(response: APIResponses.v2Error(413, message: "The limit exceeds 250."))
                }
                limit = min(number, 250)
            case "name": condition.add("name = ?", [.text(value)])
            case "name:like": condition.add("name LIKE ?", [.text("%\(value)%")])
            case "is_default": condition.add("is_default = ?", [(value == "true").sqliteValue])
            default: break
            }
        }
        let groups = try context.store.read { database in
            try GroupTable.select(condition, limit: limit, offset: (page - 1) * limit, in: database)
        }
        if groups.isEmpty && context.configuration.emptyGroupListIsNoContent {
            return EndpointResult(response: .empty(204))
        }
        return EndpointResult(response: .json(200, groups.map(\.apiJSON)), items: groups.count)
    }

    func find(id: Int) throws -> EndpointResult {
        guard let group = try context.store.read({ database in try GroupTable.find(id: id, in: database) }) else {
            return EndpointResult(response: APIResponses.v2Error(404, message: "The requested resource was not found."))
        }
        return EndpointResult(response: .json(200, group.apiJSON), items: 1)
    }

    func count() throws -> EndpointResult {
        let count = try context.store.read { database in try GroupTable.count(in: database) }
        return EndpointResult(response: .json(200, ["count": count]))
    }

    func create(_ request: HTTPRequest) throws -> EndpointResult {
        let body: Any
        switch request.jsonBody() {
        case .success(let value): body = value
        case .failure(let error): return EndpointResult(response: error.response)
        }
        guard let object = body as? [String: Any], let name = object["name"] as? String,
            !name.trimmingCharacters(in: .whitespaces).isEmpty, name.unicodeScalars.count <= 255
        else {
            return EndpointResult(
                response: APIResponses.v2Error(
                    400,
                    message: "The required field 'name' was not supplied or is invalid."
                ),
                items: 1
            )
        }
        let now = context.nowSeconds
        let group = try context.store.write { database -> GroupRow? in
            guard try !GroupTable.exists(name: name, in: database) else { return nil }
            return try GroupTable.insert(name: name, id: nil, now: now, into: database)
        }
        guard let group else {
            return EndpointResult(
                response: APIResponses.v2Error(409, message: "A customer group named '\(name)' already exists."),
                items: 1
            )
        }
        return EndpointResult(response: .json(200, group.apiJSON), items: 1)
    }

    private func invalid(_ name: String) -> EndpointResult {
        EndpointResult(response: APIResponses.v2Error(400, message: "The field '\(name)' is invalid."))
    }
}
