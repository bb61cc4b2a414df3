/// Plain-text output of a pass and of a plan, for the terminal.
enum PassSummary {
    static func text(_ result: PassResult) -> String {
        let counts = result.counts
        let title = result.kind == .full ? "full sync" : "change pass"
        var lines: [String] = []
        if result.isDryRun {
            lines.append("\(title) (dry run, nothing written): \(result.outcome.rawValue)")
            if let plan = result.plan { lines += planLines(plan) }
        } else {
            lines.append("\(title): \(outcomeWords(result.outcome))")
            lines.append(
                "  profiles evaluated \(counts.evaluated); created \(counts.created), updated \(counts.updated), "
                    + "adopted \(counts.adopted), relinked \(counts.relinked), moved out of groups \(counts.removed), "
                    + "unchanged \(counts.unchanged), failed \(counts.failed), not uploaded \(counts.notUploaded)"
            )
            lines.append("  store requests: \(counts.requests)")
        }
        for message in result.messages { lines.append("  " + message) }
        if let plan = result.plan, !result.isDryRun {
            let failures = plan.reports.filter {
                [.duplicateEmail, .emailConflict, .invalidEmail, .missingEmail].contains($0.code)
            }
            if !failures.isEmpty {
                lines.append("  \(failures.count) report rows about emails ('membersync report' lists them)")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func outcomeWords(_ outcome: PassResult.Outcome) -> String {
        switch outcome {
        case .ok: return "ok"
        case .partial: return "partial (some profiles failed; 'membersync report' says why)"
        case .failed: return "failed"
        case .refused: return "refused"
        }
    }

    static func planLines(_ plan: SyncPlan) -> [String] {
        var lines: [String] = []
        let writes = plan.updates.filter(\.needsWrite)
        lines.append(
            "  \(plan.creates.count) creates, \(writes.count) updates (\(plan.groupRemovals.count) group removals), "
                + "\(plan.updates.count - writes.count) links to record, \(plan.unchanged) unchanged"
        )
        for create in plan.creates {
            let record = create.record
            lines.append(
                "  create profile \(create.profileID): \(record.email) '\(record.firstName) \(record.lastName)' "
                    + "group \(record.customerGroupID)"
            )
        }
        let removals = plan.groupRemovals
        for update in writes where !removals.contains(update) {
            let who = update.profileID.map { "profile \($0)" } ?? "no profile"
            var line = "  update customer \(update.customerID) (\(who), \(update.reason.rawValue)):"
            if let previous = update.previous {
                for field in update.record.differingFields(from: previous) {
                    line += " \(field) '\(value(of: field, in: previous))' -> '\(value(of: field, in: update.record))';"
                }
            } else {
                line += " all fields"
            }
            lines.append(line)
        }
        if !removals.isEmpty {
            let linked = plan.linkedGroupRemovals.count
            lines.append(
                "  group removals (\(removals.count)): these customers lose their group "
                    + "(\(linked) of them linked to a profile, as the safety rail counts them)"
            )
        }
        for removal in removals { lines.append(removalLine(removal, in: plan)) }
        return lines
    }

    /// One group removal: where the customer goes, why, and any other field the same write changes.
    static func removalLine(_ removal: PlannedUpdate, in plan: SyncPlan) -> String {
        let to = removal.record.customerGroupID
        let who: String
        switch removal.profileID {
        case nil: who = "no profile entitles it (enforce_groups)"
        case let profile? where removal.reason == .adopt || removal.reason == .relink:
            who = "profile \(profile) takes it over"
        case let profile? where to == plan.nonmemberGroupID: who = "profile \(profile) is no longer a member"
        case let profile?: who = "profile \(profile) no longer qualifies"
        }
        let from = removal.previous.map { String($0.customerGroupID) } ?? "?"
        var line = "  remove customer \(removal.customerID) from group \(from) -> group \(to): \(who)"
        if let previous = removal.previous {
            for field in removal.record.differingFields(from: previous) where field != "customer_group_id" {
                line += "; \(field) '\(value(of: field, in: previous))' -> '\(value(of: field, in: removal.record))'"
            }
        }
        return line
    }

    static func value(of field: String, in record: CustomerRecord) -> String {
        switch field {
        case "email": return record.email
        case "first_name": return record.firstName
        case "last_name": return record.lastName
        case "company": return record.company
        case "phone": return record.phone
        default: return String(record.customerGroupID)
        }
    }
}
