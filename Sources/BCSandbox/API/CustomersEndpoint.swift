import Foundation
import SQLiteDB

/// What every endpoint works with.
struct StoreContext: Sendable {
    let store: SandboxStore
    let configuration: SandboxConfiguration
    let faults: FaultInjector

    /// Current time in Unix seconds, by the configured clock.
    var nowSeconds: Int { Int(configuration.clock() / 1000) }
}

/// `GET/POST/PUT/DELETE /v3/customers`.
struct CustomersEndpoint {
    let context: StoreContext

    func list(_ request: HTTPRequest) throws -> EndpointResult {
        let items = request.queryItems(plusIsSpace: context.configuration.decodesPlusAsSpace)
        let query: CustomerQuery
        do {
            query = try CustomerQuery(
                items: items,
                configuration: context.configuration,
                emailColumn: context.store.emailColumn
            )
        } catch {
            return EndpointResult(response: error.response)
        }
        let page = try context.store.read { database in try CustomerPage(query: query, database: database) }
        return EndpointResult(response: .json(200, ["data": page.data, "meta": page.meta]), items: page.rows.count)
    }

    func delete(_ request: HTTPRequest) throws -> EndpointResult {
        let items = request.queryItems(plusIsSpace: context.configuration.decodesPlusAsSpace)
        guard let value = items.first(where: { $0.name == "id:in" })?.value else {
            return EndpointResult(response: .empty(204))
        }
        let ids = value.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !ids.isEmpty, ids.allSatisfy({ $0 != nil }) else {
            return EndpointResult(response: CustomerQuery.invalid("id:in").response)
        }
        try context.store.write { database in try CustomerTable.delete(ids: ids.compactMap { $0 }, in: database) }
        return EndpointResult(response: .empty(204), items: ids.count)
    }

    func create(_ request: HTTPRequest) throws -> EndpointResult {
        try writeBatch(request, operation: .create)
    }

    func update(_ request: HTTPRequest) throws -> EndpointResult {
        try writeBatch(request, operation: .update)
    }

    private func writeBatch(_ request: HTTPRequest, operation: CustomerInput.Operation) throws -> EndpointResult {
        let body: Any
        switch request.jsonBody() {
        case .success(let value): body = value
        case .failure(let error): return EndpointResult(response: error.response)
        }
        let title = operation == .create ? "Create customers failed." : "Update customers failed."
        guard let array = body as? [Any] else {
            return EndpointResult(response: APIResponses.v3Error(422, title: "The request body must be a JSON array."))
        }
        guard array.count <= 10 else {
            return EndpointResult(response: APIResponses.tooManyItems(), items: array.count)
        }

        let inputs = array.map {
            CustomerInput(
                json: $0,
                operation: operation,
                rejectsReadOnlyFields: context.configuration.rejectsReadOnlyFields
            )
        }
        let emails = inputs.compactMap(\.email)
        if let refused = context.faults.takeRejectedEmail(in: emails, method: request.method, path: request.path) {
            let index = inputs.firstIndex { $0.email == refused } ?? 0
            let errors = errorMap(
                [(index, "email", "The email address \(refused) is not allowed by this store.")],
                operation
            )
            return EndpointResult(response: APIResponses.v3Error(422, title: title, errors: errors), items: array.count)
        }
        let batch = CustomerBatch(context: context, inputs: inputs, operation: operation)
        let outcome = try context.store.write { database in try batch.apply(in: database) }
        guard outcome.errors.isEmpty else {
            let errors = errorMap(outcome.errors, operation)
            return EndpointResult(response: APIResponses.v3Error(422, title: title, errors: errors), items: array.count)
        }
        let data = outcome.customers.map(\.apiJSON)
        return EndpointResult(response: .json(200, ["data": data, "meta": [String: Any]()]), items: array.count)
    }

    private func errorMap(
        _ errors: [(index: Int, field: String, message: String)],
        _ operation: CustomerInput.Operation
    )
        -> [String: String]
    {
        switch context.configuration.errorKeyStyle {
        case .indexed:
            var map: [String: String] = [:]
            for error in errors where map["\(error.index).\(error.field)"] == nil {
                map["\(error.index).\(error.field)"] = error.message
            }
            return map
        case .generic:
            let key = operation == .create ? ".customer_create" : ".customer_update"
            return [key: errors.map { "item \($0.index): \($0.message)" }.joined(separator: "; ")]
        }
    }
}

/// One page of `GET /v3/customers`, read under the store lock; `meta` is built afterwards.
struct CustomerPage: Sendable {
    let query: CustomerQuery
    private(set) var rows: [CustomerRow] = []
    private var total = 0
    private var hasMore = false
    private var hasPrevious = false

    init(query: CustomerQuery, database: Database) throws {
        self.query = query
        if query.isCursorMode {
            try loadCursorPage(database)
        } else {
            try loadNumberedPage(database)
        }
    }

    var data: [[String: Any]] { rows.map(\.apiJSON) }

    /// `pagination` for numbered pages, `cursor_pagination` on page 1 and in cursor mode.
    var meta: [String: Any] {
        var meta: [String: Any] = [:]
        if !query.isCursorMode { meta["pagination"] = pagination }
        if query.isCursorMode || query.page == 1 { meta["cursor_pagination"] = cursorPagination }
        return meta
    }

    private mutating func loadNumberedPage(_ database: Database) throws {
        total = try CustomerTable.count(query.condition, in: database)
        rows = try CustomerTable.select(
            query.condition,
            orderBy: query.orderBy(ascending: query.ascending),
            limit: query.limit,
            offset: (query.page - 1) * query.limit,
            in: database
        )
        hasMore = total > (query.page - 1) * query.limit + rows.count
        hasPrevious = false
    }

    private mutating func loadCursorPage(_ database: Database) throws {
        var condition = query.condition
        let forward = query.before == nil
        if let after = query.after {
            let (clause, values) = query.keysetClause(after, forward: true)
            condition.add(clause, values)
        }
        if let before = query.before {
            let (clause, values) = query.keysetClause(before, forward: false)
            condition.add(clause, values)
        }
        let order = query.orderBy(ascending: forward ? query.ascending : !query.ascending)
        rows = try CustomerTable.select(condition, orderBy: order, limit: query.limit + 1, in: database)
        let overflow = rows.count > query.limit
        rows = Array(rows.prefix(query.limit))
        if !forward { rows.reverse() }
        hasMore = forward ? overflow : true
        hasPrevious = forward ? true : overflow
    }

    private var pagination: [String: Any] {
        let totalPages = max(1, (total + query.limit - 1) / query.limit)
        var links: [String: Any] = ["current": "?page=\(query.page)&limit=\(query.limit)"]
        if query.page > 1 { links["previous"] = "?page=\(query.page - 1)&limit=\(query.limit)" }
        if query.page < totalPages { links["next"] = "?page=\(query.page + 1)&limit=\(query.limit)" }
        return [
            "total": total, "count": rows.count, "per_page": query.limit, "current_page": query.page,
            "total_pages": totalPages, "links": links,
        ]
    }

    private var cursorPagination: [String: Any] {
        var cursor: [String: Any] = ["count": rows.count, "per_page": query.limit]
        var links: [String: Any] = ["current": "?limit=\(query.limit)"]
        if let first = rows.first, let last = rows.last {
            let start = query.cursor(for: first).encoded
            let end = query.cursor(for: last).encoded
            cursor["start_cursor"] = start
            cursor["end_cursor"] = end
            if hasMore { links["next"] = "?limit=\(query.limit)&after=\(end)" }
            if hasPrevious { links["previous"] = "?limit=\(query.limit)&before=\(start)" }
        }
        cursor["links"] = links
        return cursor
    }
}
