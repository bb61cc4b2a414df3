import Foundation

extension SandboxConfiguration {
    /// A behaviour switch that `bc-sandbox serve --option NAME=VALUE` sets by name.
    public struct Option: Sendable {
        public let name: String
        /// The values it takes, e.g. `true|false`.
        public let values: String
        /// What it changes.
        public let summary: String
        let apply: @Sendable (inout SandboxConfiguration, String) throws(SandboxOptionError) -> Void
        let read: @Sendable (SandboxConfiguration) -> String

        /// The value of a configuration left as it is made.
        public var defaultValue: String { read(SandboxConfiguration(dataPath: "")) }
    }

    /// Every switch for behaviour the real API leaves unconfirmed, in the order `--help` lists them.
    public static let options: [Option] = [
        Option(
            name: "error_keys",
            values: "indexed|generic",
            summary: "422 error keys: indexed \"0.email\", or one generic \".customer_create\"",
            apply: { configuration, text throws(SandboxOptionError) in
                guard let style = ErrorKeyStyle(rawValue: text) else {
                    throw invalid("error_keys", text, "indexed|generic")
                }
                configuration.errorKeyStyle = style
            },
            read: { $0.errorKeyStyle.rawValue }
        ),
        flag("partial_batches", \.appliesPartialBatches, "a batch with bad items writes the good ones (still 422)"),
        flag("emails_ignore_case", \.emailsIgnoreCase, "email uniqueness and email:in ignore case"),
        flag("inclusive_date_bounds", \.dateBoundsAreInclusive, "date_*:min/:max filters include the bound"),
        flag("clamp_limit", \.clampsLimit, "a limit above 250 is clamped to 250 instead of 413"),
        count("max_concurrent_updates", \.maximumConcurrentUpdates, "in-flight PUT /v3/customers before 429"),
        count("max_concurrent_creates", \.maximumConcurrentCreates, "in-flight POST /v3/customers before 429"),
        flag("reject_read_only_fields", \.rejectsReadOnlyFields, "read-only fields in a create or update are 422"),
        flag("empty_group_list_204", \.emptyGroupListIsNoContent, "an empty GET /v2/customer_groups is 204, not []"),
        flag("plus_is_space", \.decodesPlusAsSpace, "'+' in a query string is a space"),
        flag(
            "welcome_email_by_default",
            \.welcomeEmailByDefault,
            "a create without trigger_account_created_notification sends one"
        ),
        Option(
            name: "default_customer_group",
            values: "ID",
            summary: "group of a create without customer_group_id (0: no group)",
            apply: { configuration, text throws(SandboxOptionError) in
                guard let id = Int(text), id >= 0 else {
                    throw invalid("default_customer_group", text, "a group id, 0 or more")
                }
                configuration.defaultCustomerGroupID = id
            },
            read: { String($0.defaultCustomerGroupID) }
        ),
    ]

    /// Sets the option `name` (see `options`) from its text value; the error says what is accepted.
    public mutating func setOption(_ name: String, to value: String) throws(SandboxOptionError) {
        guard let option = Self.options.first(where: { $0.name == name }) else {
            let known = Self.options.map(\.name).joined(separator: ", ")
            throw SandboxOptionError(message: "unknown option '\(name)'; known options: \(known)")
        }
        try option.apply(&self, value)
    }

    private static func flag(
        _ name: String,
        _ field: WritableKeyPath<SandboxConfiguration, Bool> & Sendable,
        _ summary: String
    ) -> Option {
        Option(
            name: name,
            values: "true|false",
            summary: summary,
            apply: { configuration, text throws(SandboxOptionError) in
                guard let value = Bool(text) else { throw invalid(name, text, "true|false") }
                configuration[keyPath: field] = value
            },
            read: { String($0[keyPath: field]) }
        )
    }

    private static func count(
        _ name: String,
        _ field: WritableKeyPath<SandboxConfiguration, Int> & Sendable,
        _ summary: String
    ) -> Option {
        Option(
            name: name,
            values: "N",
            summary: summary,
            apply: { configuration, text throws(SandboxOptionError) in
                guard let value = Int(text), value >= 1 else { throw invalid(name, text, "a whole number, 1 or more") }
                configuration[keyPath: field] = value
            },
            read: { String($0[keyPath: field]) }
        )
    }

    private static func invalid(_ name: String, _ value: String, _ expected: String) -> SandboxOptionError {
        SandboxOptionError(message: "option \(name) takes \(expected), got '\(value)'")
    }
}
