import Foundation
import SQLiteDB

/// The filters, sort and paging of one `GET /v3/customers`, parsed and checked.
struct CustomerQuery {
    /// Parameters the endpoint knows; any other one is refused with 422.
    static let knownParameters: Set<String> = [
        "id:in", "email:in", "customer_group_id:in", "company:in", "name:in", "name:like", "phone:in",
        "registration_ip_address:in", "date_created", "date_created:min", "date_created:max", "date_modified",
        "date_modified:min", "date_modified:max", "include", "sort", "page", "limit", "after", "before",
    ]
    static let maximumLimit = 250

    var condition = SQLCondition()
    var sortColumn = "id"
    var ascending = true
    var page = 1
    var hasPageParameter = false
    var limit = 50
    var after: Cursor?
    var before: Cursor?

    /// A position in a sorted listing: the sort value and id of the item at the edge of a page.
    struct Cursor {
        var sort: String
        var value: SQLiteValue
        var id: Int

        var encoded: String {
            let value = value.string ?? ""
            // base64url without padding, so that it survives a query string untouched.
            return Data("\(sort)|\(id)|\(value)".utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }

        init(sort: String, value: SQLiteValue, id: Int) {
            self.sort = sort
            self.value = value
            self.id = id
        }

        init?(_ text: String, sort: String) {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else {
                return nil
            }
            let parts = decoded.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, parts[0] == sort, let id = Int(parts[1]) else { return nil }
            self.init(sort: sort, value: sort == "last_name" ? .text(parts[2]) : .integer(Int64(parts[2]) ?? 0), id: id)
        }
    }

    var isCursorMode: Bool { after != nil || before != nil }
    var sortKey: String { "\(sortColumn):\(ascending ? "asc" : "desc")" }

    /// Parses the query items; the thrown response is the 422 or 413 to answer.
    init(items: [(name: String, value: String)], configuration: SandboxConfiguration, emailColumn: String)
        throws(ResponseError)
    {
        let unknown = items.map(\.name).filter { !Self.knownParameters.contains($0) }
        guard unknown.isEmpty else {
            throw ResponseError(
                APIResponses.v3Error(
                    422,
                    title: "The filter(s): \(unknown.joined(separator: ", ")) are not valid filter parameter(s)."
                )
            )
        }
        for (name, value) in items { try apply(name, value, configuration: configuration, emailColumn: emailColumn) }
        try parseCursors(items)
    }

    private mutating func apply(
        _ name: String,
        _ value: String,
        configuration: SandboxConfiguration,
        emailColumn: String
    )
        throws(ResponseError)
    {
        let list = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        switch name {
        case "id:in": condition.add("id", in: try Self.integers(list, name))
        case "customer_group_id:in": condition.add("customer_group_id", in: try Self.integers(list, name))
        case "email:in":
            let keys = list.map { configuration.emailsIgnoreCase ? $0.lowercased() : $0 }
            condition.add(emailColumn, in: keys.map { .text($0) })
        case "company:in": condition.add("company", in: list.map { .text($0) })
        case "phone:in": condition.add("phone", in: list.map { .text($0) })
        case "registration_ip_address:in": condition.add("registration_ip_address", in: list.map { .text($0) })
        case "name:in": condition.add("(first_name || ' ' || last_name)", in: list.map { .text($0) })
        case "name:like": condition.add("(first_name || ' ' || last_name) LIKE ?", [.text("%\(value)%")])
        case "date_created", "date_created:min", "date_created:max", "date_modified", "date_modified:min",
            "date_modified:max":
            try addDate(name, value, inclusive: configuration.dateBoundsAreInclusive)
        case "sort": try parseSort(value)
        case "page":
            guard let number = Int(value), number >= 1 else { throw Self.invalid(name) }
            page = number
            hasPageParameter = true
        case "limit":
            guard let number = Int(value), number >= 1 else { throw Self.invalid(name) }
            guard number <= Self.maximumLimit || configuration.clampsLimit else {
                throw ResponseError(
                    APIResponses.v3Error(
                        413,
                        title: "The limit parameter exceeded the maximum of \(Self.maximumLimit)."
                    )
                )
            }
            limit = min(number, Self.maximumLimit)
        default: break  // include, after, before: handled elsewhere or ignored
        }
    }

    private mutating func addDate(_ name: String, _ value: String, inclusive: Bool) throws(ResponseError) {
        guard let seconds = SandboxDate.parseISO8601(value) else { throw Self.invalid(name) }
        let column = name.hasPrefix("date_created") ? "date_created" : "date_modified"
        let isDateOnly = value.trimmingCharacters(in: .whitespaces).count == 10
        if name.hasSuffix(":min") {
            condition.add("\(column) \(inclusive ? ">=" : ">") ?", [seconds.sqliteValue])
        } else if name.hasSuffix(":max") {
            condition.add("\(column) \(inclusive ? "<=" : "<") ?", [seconds.sqliteValue])
        } else if isDateOnly {
            condition.add("\(column) >= ? AND \(column) < ?", [seconds.sqliteValue, (seconds + 86_400).sqliteValue])
        } else {
            condition.add("\(column) = ?", [seconds.sqliteValue])
        }
    }

    private mutating func parseSort(_ value: String) throws(ResponseError) {
        let parts = value.split(separator: ":").map(String.init)
        guard parts.count == 2, ["date_created", "last_name", "date_modified"].contains(parts[0]),
            ["asc", "desc"].contains(parts[1])
        else { throw Self.invalid("sort") }
        sortColumn = parts[0]
        ascending = parts[1] == "asc"
    }

    private mutating func parseCursors(_ items: [(name: String, value: String)]) throws(ResponseError) {
        for (name, value) in items where name == "after" || name == "before" {
            guard let cursor = Cursor(value, sort: sortKey) else { throw Self.invalid(name) }
            if name == "after" { after = cursor } else { before = cursor }
        }
    }

    private static func integers(_ list: [String], _ name: String) throws(ResponseError) -> [SQLiteValue] {
        var values: [SQLiteValue] = []
        for item in list {
            guard let number = Int(item) else { throw invalid(name) }
            values.append(number.sqliteValue)
        }
        guard !values.isEmpty else { throw invalid(name) }
        return values
    }

    static func invalid(_ name: String) -> ResponseError {
        ResponseError(
            APIResponses.v3Error(422, title: "The value of \(name) is not valid.", errors: [name: "invalid value"])
        )
    }

    /// `ORDER BY` for the sort, in the given direction, ties broken by id.
    func orderBy(ascending: Bool) -> String {
        let direction = ascending ? "ASC" : "DESC"
        return sortColumn == "id" ? "id \(direction)" : "\(sortColumn) \(direction), id \(direction)"
    }

    /// Keyset condition for items strictly after (or before) a cursor in the listing order.
    func keysetClause(_ cursor: Cursor, forward: Bool) -> (String, [SQLiteValue]) {
        let greater = forward == ascending
        let comparison = greater ? ">" : "<"
        if sortColumn == "id" { return ("id \(comparison) ?", [cursor.id.sqliteValue]) }
        return (
            "(\(sortColumn) \(comparison) ? OR (\(sortColumn) = ? AND id \(comparison) ?))",
            [cursor.value, cursor.value, cursor.id.sqliteValue]
        )
    }

    /// A cursor pointing at `customer` under this sort.
    func cursor(for customer: CustomerRow) -> Cursor {
        let value: SQLiteValue =
            switch sortColumn {
            case "last_name": .text(customer.lastName)
            case "date_created": customer.dateCreated.sqliteValue
            case "date_modified": customer.dateModified.sqliteValue
            default: customer.id.sqliteValue
            }
        return Cursor(sort: sortKey, value: value, id: customer.id)
    }
}
