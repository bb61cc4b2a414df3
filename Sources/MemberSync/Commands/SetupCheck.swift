import Foundation
import SQLiteDB

/// One line of `membersync check`: what was checked, PASS or FAIL, and what to do about a failure.
struct CheckResult: Sendable, Equatable {
    var name: String
    var passed: Bool
    var detail: String
    /// What to do next (failures only).
    var fix: String?

    static func pass(_ name: String, _ detail: String) -> CheckResult {
        CheckResult(name: name, passed: true, detail: detail)
    }

    static func fail(_ name: String, _ detail: String, fix: String) -> CheckResult {
        CheckResult(name: name, passed: false, detail: detail, fix: fix)
    }

    var line: String {
        var text = "\(passed ? "PASS" : "FAIL")  \(name): \(detail)"
        if let fix { text += "\n      -> \(fix)" }
        return text
    }
}

/// The checks of `membersync check`: MC Trade's schema and settings, the token, its scopes and the
/// groups named in MC Trade's settings. Sends three GETs to the store.
struct SetupCheck: Sendable {
    /// The tables and columns the agent reads (and, for revenue, writes).
    static let requiredColumns: [(table: String, columns: [String])] = [
        (
            "profiles",
            [
                "profile_id", "kind", "status", "merged_into", "is_member", "membership_level", "member_expires_on",
                "first_name", "last_name", "org_name", "email", "phone", "updated_at",
            ]
        ),
        ("relationships", ["individual_id", "organization_id", "relation_type", "is_primary", "is_main_contact"]),
        (
            "bigcommerce_settings",
            [
                "id", "member_group_id", "nonmember_group_id", "include_individual_nonmembers", "include_main_contacts",
                "include_primary_related", "auto_sync_time", "updated_at",
            ]
        ),
        ("profile_changes", ["change_id", "profile_id", "entity", "operation", "changed_at"]),
    ]
    static let revenueColumns: (table: String, columns: [String]) = (
        "profile_revenue",
        [
            "source", "order_id", "profile_id", "customer_id", "status", "total_inc_tax", "currency_code", "ordered_at",
            "updated_at",
        ]
    )

    let configuration: Configuration
    let store: any CustomerStore

    /// Runs every check in order; a check that depends on a failed one is still run where it can be.
    func run() async -> [CheckResult] {
        var results = [configurationCheck()]
        results.append(schemaCheck())
        if configuration.revenue.isEnabled { results.append(revenueWriteCheck()) }
        let settings = try? MCTradeSource(path: configuration.mctradeDatabasePath).readSettings()
        results.append(settingsCheck(settings))
        let groups = await storeCheck("token", fix: tokenFix) { try await store.customerGroups() }
        results.append(groups.result)
        let customers = await storeCheck("scope customers", fix: scopeFix("Customers", "modify")) {
            _ = try await store.listCustomers(after: nil, groupIDs: nil, limit: 1)
            try await store.checkWriteAccess()
        }
        results.append(customers.result)
        if configuration.revenue.isEnabled {
            let orders = await storeCheck("scope orders", fix: scopeFix("Orders", "read-only")) {
                try await store.orders(modifiedSince: Date(), page: 1, limit: 1)
            }
            results.append(orders.result)
        }
        results.append(groupsCheck(settings: settings ?? nil, storeGroups: groups.value))
        return results
    }

    func configurationCheck() -> CheckResult {
        let detail =
            "store \(configuration.bigCommerce.storeHash), token from \(configuration.bigCommerce.accessTokenSource)"
        guard configuration.warnings.isEmpty else {
            return .fail("config", detail, fix: configuration.warnings.joined(separator: "; "))
        }
        return .pass("config", detail)
    }

    /// Every table and column the agent reads is in MC Trade's file.
    func schemaCheck() -> CheckResult {
        let path = configuration.mctradeDatabasePath
        let name = "MC Trade schema"
        guard FileManager.default.fileExists(atPath: path) else {
            return .fail(name, "'\(path)' does not exist", fix: "set mctrade.database to MC Trade's SQLite file")
        }
        do {
            let database = try Database(path: path, mode: .readOnly, busyTimeoutMilliseconds: 5_000)
            var needed = Self.requiredColumns
            if configuration.revenue.isEnabled { needed.append(Self.revenueColumns) }
            var missing: [String] = []
            for (table, columns) in needed {
                let present = Set(try database.query("PRAGMA table_info(\(table))").compactMap { $0.string(1) })
                if present.isEmpty {
                    missing.append("table \(table)")
                } else {
                    missing += columns.filter { !present.contains($0) }.map { "\(table).\($0)" }
                }
            }
            guard missing.isEmpty else {
                return .fail(
                    name,
                    "missing \(missing.joined(separator: ", "))",
                    fix: "update MC Trade to the version the agent supports (see contracts/mctrade-source.sql)"
                )
            }
            return .pass(name, "\(needed.count) tables with every column the agent uses")
        } catch {
            return .fail(
                name,
                "cannot read '\(path)': \(error)",
                fix: "check the path and that the agent's user may read it"
            )
        }
    }

    /// This user can write `profile_revenue`: the file and its directory (where SQLite creates its
    /// journal) are writable, and a write transaction can begin. It is rolled back at once: nothing is
    /// written, and MC Trade waits at most for an empty transaction.
    func revenueWriteCheck() -> CheckResult {
        let name = "MC Trade revenue write"
        let path = configuration.mctradeDatabasePath
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fix =
            "let the service's user write '\(path)' and its directory '\(directory)' (SQLite creates its journal "
            + "there), or set revenue.enabled to false"
        guard FileManager.default.fileExists(atPath: path) else {
            return .fail(name, "not checked", fix: "fix the MC Trade schema check above first")
        }
        guard access(path, W_OK) == 0 else {
            return .fail(name, "this user (uid \(geteuid())) may not write '\(path)'", fix: fix)
        }
        guard access(directory, W_OK) == 0 else {
            return .fail(name, "this user (uid \(geteuid())) may not create files in '\(directory)'", fix: fix)
        }
        do {
            let database = try Database(path: path, busyTimeoutMilliseconds: 2_000)
            try database.execute("BEGIN IMMEDIATE")
            try database.execute("ROLLBACK")
            return .pass(name, "this user may write profile_revenue")
        } catch let error as SQLiteError where error.code & 0xff == 5 {
            return .fail(
                name,
                "MC Trade held its file for over 2 s",
                fix: "run the check again when MC Trade is idle; revenue passes wait their turn the same way"
            )
        } catch {
            return .fail(name, "cannot begin a write: \(error)", fix: fix)
        }
    }

    func settingsCheck(_ settings: SyncSettings??) -> CheckResult {
        let name = "MC Trade settings"
        guard let read = settings else {
            return .fail(name, "cannot be read", fix: "fix the MC Trade schema check above first")
        }
        guard let settings = read else {
            return .fail(
                name,
                "the bigcommerce_settings row is missing",
                fix: "save the BigCommerce settings in MC Trade"
            )
        }
        guard let member = settings.memberGroupID else {
            return .fail(
                name,
                "member_group_id is not set",
                fix: "choose the member group in MC Trade's BigCommerce settings ('membersync groups' lists the ids)"
            )
        }
        if settings.includeIndividualNonmembers && settings.nonmemberGroupID == nil {
            return .fail(
                name,
                "include_individual_nonmembers is on but nonmember_group_id is not set",
                fix: "choose the non-member group in MC Trade, or turn individual non-members off"
            )
        }
        return .pass(name, "member group \(member), daily full sync at \(settings.autoSyncTime)")
    }

    func groupsCheck(settings: SyncSettings?, storeGroups: [CustomerGroup]?) -> CheckResult {
        let name = "groups"
        guard let settings, let storeGroups else {
            return .fail(name, "not checked", fix: "fix the checks above first")
        }
        var needed = [settings.memberGroupID].compactMap { $0 }
        if settings.includeIndividualNonmembers, let nonmember = settings.nonmemberGroupID { needed.append(nonmember) }
        let byID = Dictionary(storeGroups.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let missing = needed.filter { byID[$0] == nil }
        guard missing.isEmpty else {
            return .fail(
                name,
                "group(s) \(missing.map(String.init).joined(separator: ", ")) named in MC Trade's settings "
                    + "do not exist in the store",
                fix: "pick existing groups in MC Trade ('membersync groups' lists them)"
            )
        }
        return .pass(name, needed.map { "\($0) '\(byID[$0]!)'" }.joined(separator: ", ") + " exist in the store")
    }

    /// One store request; passes when it answers.
    func storeCheck<Value: Sendable>(
        _ name: String,
        fix: (StoreError) -> String,
        _ request: () async throws -> Value
    ) async -> (result: CheckResult, value: Value?) {
        do {
            let value = try await request()
            return (.pass(name, "the store answered"), value)
        } catch let error as StoreError {
            return (.fail(name, error.description, fix: fix(error)), nil)
        } catch {
            return (.fail(name, "\(error)", fix: "check bigcommerce.api_url and the network"), nil)
        }
    }

    func tokenFix(_ error: StoreError) -> String {
        switch error {
        case .unauthorized:
            return "create an API account in the store's control panel and put its token in "
                + "\(configuration.bigCommerce.accessTokenSource)"
        case .forbidden, .notFound:
            return
                "check bigcommerce.store_hash ('\(configuration.bigCommerce.storeHash)') against the API account's path"
        default:
            return "check bigcommerce.api_url and the network; try again later"
        }
    }

    func scopeFix(_ scope: String, _ level: String) -> (StoreError) -> String {
        { error in
            if case .forbidden = error { return "give the API account the '\(scope): \(level)' scope" }
            return self.tokenFix(error)
        }
    }
}
