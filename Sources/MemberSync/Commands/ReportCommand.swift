import Foundation

/// `membersync report`: every profile not uploaded or failed, with its reason code.
enum ReportCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try CommandLineArguments(words, valueOptions: ["config", "format"], flags: [])
        let format = try MemberSyncCommand.format(arguments, allowed: ["text", "csv", "json"])
        let configuration = try MemberSyncCommand.loadConfiguration(arguments, callsStore: false)
        let entries = try AgentContext.openExistingState(path: configuration.stateDatabasePath).report()
        print(render(entries, format: format))
        return MemberSyncCommand.exitOK
    }

    /// Report codes that name a conflict between profiles or with a store customer.
    static let conflictCodes: Set<ReasonCode> = [.duplicateEmail, .emailConflict]

    static func render(_ entries: [ReportEntry], format: String) -> String {
        let conflicts = entries.filter { conflictCodes.contains($0.code) }
        let others = entries.filter { !conflictCodes.contains($0.code) }
        switch format {
        case "csv":
            let header = "section,profile_id,code,field,message,related_profile_id,customer_id"
            let rows = others.map { csvRow($0, section: "profile") } + conflicts.map { csvRow($0, section: "conflict") }
            return ([header] + rows).joined(separator: "\n")
        case "json":
            let object: [String: Any] = [
                "counts": Dictionary(counts(entries).map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: +),
                "profiles": others.map(jsonObject),
                "conflicts": conflicts.map(jsonObject),
            ]
            let data =
                (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        default:
            return text(others: others, conflicts: conflicts, counts: counts(entries))
        }
    }

    static func text(others: [ReportEntry], conflicts: [ReportEntry], counts: [ReasonCode: Int]) -> String {
        var lines = ["report: \(others.count + conflicts.count) rows"]
        lines += ReasonCode.allCases.compactMap { code in counts[code].map { "  \(code.rawValue): \($0)" } }
        lines.append("")
        lines.append("profiles not uploaded or failed (\(others.count)):")
        for entry in others {
            let field = entry.field.map { " [\($0)]" } ?? ""
            lines.append("  profile \(entry.profileID) \(entry.code.rawValue)\(field): \(entry.message)")
        }
        lines.append("")
        lines.append("conflicts (\(conflicts.count)): emails shared by profiles, or held by another customer")
        for entry in conflicts {
            var line = "  profile \(entry.profileID) \(entry.code.rawValue): \(entry.message)"
            if let related = entry.relatedProfileID { line += " [other profile \(related)]" }
            if let customer = entry.customerID { line += " [customer \(customer)]" }
            lines.append(line)
        }
        if !conflicts.isEmpty {
            lines.append("  -> give each person their own email in MC Trade; the next pass settles the rest")
        }
        return lines.joined(separator: "\n")
    }

    static func counts(_ entries: [ReportEntry]) -> [ReasonCode: Int] {
        var counts: [ReasonCode: Int] = [:]
        for entry in entries { counts[entry.code, default: 0] += 1 }
        return counts
    }

    static func csvRow(_ entry: ReportEntry, section: String) -> String {
        [
            section, String(entry.profileID), entry.code.rawValue, entry.field ?? "", entry.message,
            entry.relatedProfileID.map(String.init) ?? "", entry.customerID.map(String.init) ?? "",
        ].map(csvField).joined(separator: ",")
    }

    static func jsonObject(_ entry: ReportEntry) -> [String: Any] {
        var object: [String: Any] = [
            "profile_id": entry.profileID, "code": entry.code.rawValue, "message": entry.message,
        ]
        if let field = entry.field { object["field"] = field }
        if let related = entry.relatedProfileID { object["related_profile_id"] = related }
        if let customer = entry.customerID { object["customer_id"] = customer }
        return object
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// `membersync retry [PROFILE_ID...]`: releases failed profiles so that the next pass sends them again.
enum RetryCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try CommandLineArguments(words, valueOptions: ["config"], flags: [])
        let ids = try arguments.positional.map { word -> Int in
            guard let id = Int(word), id > 0 else { throw UsageError("'\(word)' is not a profile id") }
            return id
        }
        let configuration = try MemberSyncCommand.loadConfiguration(arguments, callsStore: false)
        let state = try AgentContext.openExistingState(path: configuration.stateDatabasePath)
        let failed = Set(try state.outbox().filter { $0.isHeld || $0.lastError != nil }.map(\.profileID))
        let notFailed = ids.filter { !failed.contains($0) }
        let unknown = try unknownProfiles(notFailed, state: state, mctradePath: configuration.mctradeDatabasePath)
        let released = try state.transaction {
            try state.releaseHeld(profileIDs: ids.isEmpty ? nil : ids.filter(failed.contains))
        }
        if released > 0 || ids.isEmpty {
            print("\(released) refused profiles released; they are sent again at the next pass ('membersync sync')")
        }
        let known = notFailed.filter { !unknown.contains($0) }
        if !known.isEmpty {
            let list = known.map(String.init).joined(separator: ", ")
            print("nothing to retry for profile(s) \(list): they have not failed ('membersync explain ID' says why)")
        }
        if !unknown.isEmpty {
            let list = unknown.map(String.init).joined(separator: ", ")
            print("no profile \(list) in MC Trade, and the agent has never linked or sent it: check the id")
        }
        let noneExist = !ids.isEmpty && unknown.count == ids.count
        return noneExist ? MemberSyncCommand.exitFailed : MemberSyncCommand.exitOK
    }

    /// Those of `ids` that neither MC Trade nor the state file knows.
    static func unknownProfiles(_ ids: [Int], state: StateStore, mctradePath: String) throws -> Set<Int> {
        guard !ids.isEmpty else { return [] }
        let links = try state.links()
        let reported = Set(try state.report().map(\.profileID))
        let candidates = ids.filter { links[$0] == nil && !reported.contains($0) }
        guard !candidates.isEmpty else { return [] }
        let profiles = try MCTradeSource(path: mctradePath).readSnapshot().profiles
        return Set(candidates.filter { profiles[$0] == nil })
    }
}

/// `membersync groups`: the store's customer groups, to fill in MC Trade's settings.
enum GroupsCommand {
    static func run(_ words: [String]) async throws -> Int32 {
        let arguments = try CommandLineArguments(words, valueOptions: ["config"], flags: [])
        guard arguments.positional.isEmpty else {
            throw UsageError("groups takes no arguments, got '\(arguments.positional.joined(separator: " "))'")
        }
        let context = try AgentContext(configuration: MemberSyncCommand.loadConfiguration(arguments))
        let groups = try await context.store.customerGroups()
        print("id\tname")
        for group in groups.sorted(by: { $0.id < $1.id }) { print("\(group.id)\t\(group.name)") }
        return MemberSyncCommand.exitOK
    }
}
