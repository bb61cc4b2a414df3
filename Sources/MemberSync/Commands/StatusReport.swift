import Foundation

/// What `membersync status` found: the agent's numbers, the store check and whether all is healthy.
struct StatusReport: Sendable {
    /// The answer of one cheap store request.
    enum StoreCheck: Sendable, Equatable {
        /// `--offline`: not asked.
        case skipped
        case reachable(groups: Int)
        /// 401 or 403: the token is not accepted.
        case tokenRefused(String)
        /// The store answered, but with an error other than 401/403 (a 400, a 404, an unreadable body).
        case answeredWithError(String)
        /// No answer: a transport error or 5xx after the retries.
        case unreachable(String)
    }

    /// Thresholds of health.
    struct Limits: Sendable {
        /// Longest time since the last successful full sync.
        var maxFullSyncAge: TimeInterval = 26 * 3600
        /// Most changes the cursor may lag behind MC Trade's log.
        var maxLag: Int64 = 1000
    }

    var snapshot: AgentSnapshot
    var nextFullSync: Date?
    var store: StoreCheck
    var runningProcess: String?
    var now: Date
    var limits: Limits
    /// Why MC Trade's settings let nothing be written (sync-rules' incomplete settings), when so.
    var settingsProblem: String? = nil
    /// `revenue.enabled`.
    var revenueEnabled = true

    /// Reasons the agent is unhealthy; empty when healthy.
    var problems: [String] {
        var problems: [String] = []
        if let stopped = snapshot.writesStopped {
            problems.append("writes are stopped: \(stopped) (fix the token, then run 'membersync sync --full')")
        }
        if let last = snapshot.lastSuccessfulFullSync {
            let hours = Int(now.timeIntervalSince(last) / 3600)
            if now.timeIntervalSince(last) > limits.maxFullSyncAge {
                problems.append(
                    "no successful full sync for \(hours) hours (limit \(Int(limits.maxFullSyncAge / 3600))); "
                        + "run 'membersync report' and 'membersync sync --full'"
                )
            }
        } else {
            problems.append("no successful full sync yet; run 'membersync sync --full'")
        }
        if let unreadable = snapshot.sourceError {
            problems.append(
                "MC Trade's change log cannot be read, so the lag is unknown: \(unreadable) "
                    + "(check mctrade.database: 'membersync check'; the service keeps retrying)"
            )
        }
        if snapshot.lag > limits.maxLag {
            problems.append(
                "lag of \(snapshot.lag) changes is over \(limits.maxLag); is the service running? ('systemctl status membersync')"
            )
        }
        if case .tokenRefused(let why) = store {
            problems.append("the store refuses the token: \(why)")
        }
        if case .answeredWithError(let why) = store {
            problems.append(
                "the store answered with an error: \(why) (check bigcommerce.api_url and store_hash: 'membersync check')"
            )
        }
        if case .unreachable(let why) = store {
            problems.append(
                "the store does not answer: \(why) (check bigcommerce.api_url and store_hash: 'membersync check')"
            )
        }
        if let settingsProblem {
            problems.append("nothing can be written: \(settingsProblem) (fix MC Trade's BigCommerce settings)")
        }
        if let refused = snapshot.passRefused {
            problems.append("a safety rail holds the writes back: \(refused)")
        } else if let run = snapshot.lastFullSync, run.result == PassResult.Outcome.refused.rawValue {
            problems.append(
                "the last full sync was refused by a safety rail: \(run.message ?? "see 'membersync report'")"
            )
        }
        return problems
    }

    var isHealthy: Bool { problems.isEmpty }

    func text() -> String {
        let snapshot = self.snapshot
        // Degraded is not unhealthy by itself: health comes from staleness (lag, the last full sync).
        let headline = isHealthy ? (snapshot.degraded == nil ? "healthy" : "healthy but DEGRADED") : "UNHEALTHY"
        var lines = ["membersync status: \(headline)"]
        if let newest = snapshot.newestChange {
            lines.append(
                "  change log:        cursor \(snapshot.cursor), newest \(newest), lag \(snapshot.lag) changes"
            )
        } else {
            lines.append(
                "  change log:        cursor \(snapshot.cursor), newest unknown, lag unknown (MC Trade unreadable)"
            )
        }
        lines.append("  pending profiles:  \(snapshot.pending)")
        lines.append(
            "  failed profiles:   \(snapshot.failed) (held until changed or retried: \(snapshot.held); "
                + "creates in doubt: \(snapshot.createsInDoubt))"
        )
        lines.append("  linked profiles:   \(snapshot.linked)")
        lines.append("  last full sync:    \(lastFullSyncText)")
        lines.append("  last success:      \(snapshot.lastSuccessfulFullSync.map(Self.stamp) ?? "never")")
        lines.append("  next full sync:    \(nextFullSyncText)")
        lines.append("  last revenue:      \(lastRevenueText)")
        lines.append("  store:             \(storeText)")
        lines.append("  running:           \(runningProcess ?? "no process holds the state file")")
        if let degraded = snapshot.degraded {
            lines.append(
                "  DEGRADED: the last pass failed and is retried with backoff: \(LogPrivacy.maskingEmails(degraded))"
            )
        }
        for problem in problems { lines.append("  PROBLEM: \(problem)") }
        return lines.joined(separator: "\n")
    }

    var lastFullSyncText: String {
        guard let run = snapshot.lastFullSync else { return "never" }
        let when = run.finishedAt ?? "\(run.startedAt) (unfinished)"
        let counts = run.counts
        var text =
            "\(when) \(run.result ?? "running"): evaluated \(counts.evaluated), created \(counts.created), "
            + "updated \(counts.updated), removed \(counts.removed), failed \(counts.failed), "
            + "not uploaded \(counts.notUploaded), requests \(counts.requests)"
        if let message = run.message { text += " (\(message))" }
        return text
    }

    /// Not part of health: orders wait in the store, and the next pass lists them again.
    var lastRevenueText: String {
        guard revenueEnabled else { return "off (revenue.enabled is false)" }
        guard let run = snapshot.lastRevenuePass else { return "never" }
        guard !run.succeeded else { return run.summary }
        let lastOK = snapshot.lastSuccessfulRevenuePass.map(Self.stamp) ?? "never"
        return "\(run.summary); last success \(lastOK)"
    }

    var nextFullSyncText: String {
        if let owed = snapshot.fullSyncOwed { return "at the next pass (owed: \(owed))" }
        if let requested = snapshot.fullSyncRequested { return "at the next pass (requested by \(requested))" }
        return nextFullSync.map(Self.stamp) ?? "unknown (MC Trade's settings unreadable)"
    }

    var storeText: String {
        switch store {
        case .skipped: return "not checked (--offline)"
        case .reachable(let groups): return "reachable, token accepted (\(groups) customer groups)"
        case .tokenRefused(let why): return "TOKEN REFUSED: \(why)"
        case .answeredWithError(let why): return "answered with an error: \(why)"
        case .unreachable(let why): return "unreachable: \(why)"
        }
    }

    func json() -> String {
        var object: [String: Any] = [
            "healthy": isHealthy, "problems": problems, "cursor": snapshot.cursor,
            "pending": snapshot.pending, "failed": snapshot.failed, "held": snapshot.held,
            "creates_in_doubt": snapshot.createsInDoubt, "linked": snapshot.linked,
            "customers_by_group": Dictionary(
                uniqueKeysWithValues: snapshot.customersByGroup.map { ("\($0.key)", $0.value) }
            ),
        ]
        object["newest_change"] = snapshot.newestChange
        object["lag"] = snapshot.newestChange == nil ? NSNull() : snapshot.lag
        object["source_error"] = snapshot.sourceError
        object["last_successful_full_sync"] = snapshot.lastSuccessfulFullSync.map(Self.stamp)
        object["next_full_sync"] = nextFullSync.map(Self.stamp)
        object["full_sync_owed"] = snapshot.fullSyncOwed
        object["full_sync_requested"] = snapshot.fullSyncRequested
        object["writes_stopped"] = snapshot.writesStopped
        object["degraded"] = snapshot.degraded.map(LogPrivacy.maskingEmails)
        object["running"] = runningProcess
        object["revenue_enabled"] = revenueEnabled
        object["last_successful_revenue_pass"] = snapshot.lastSuccessfulRevenuePass.map(Self.stamp)
        if let run = snapshot.lastRevenuePass {
            object["last_revenue_pass"] = [
                "kind": run.kind, "finished_at": run.finishedAt, "result": run.result, "inserted": run.inserted,
                "updated": run.updated, "requests": run.requests, "message": run.message as Any,
            ]
        }
        if let run = snapshot.lastFullSync {
            let counts = run.counts
            object["last_full_sync"] = [
                "started_at": run.startedAt, "finished_at": run.finishedAt as Any, "result": run.result as Any,
                "message": run.message as Any, "evaluated": counts.evaluated, "created": counts.created,
                "updated": counts.updated, "adopted": counts.adopted, "relinked": counts.relinked,
                "removed": counts.removed, "unchanged": counts.unchanged, "failed": counts.failed,
                "not_uploaded": counts.notUploaded, "requests": counts.requests,
            ]
        }
        switch store {
        case .skipped: object["store"] = ["checked": false]
        case .reachable(let groups):
            object["store"] = ["checked": true, "reachable": true, "token_accepted": true, "groups": groups]
        case .tokenRefused(let why):
            object["store"] = ["checked": true, "reachable": true, "token_accepted": false, "error": why]
        case .answeredWithError(let why):
            object["store"] = ["checked": true, "reachable": true, "token_accepted": NSNull(), "error": why]
        case .unreachable(let why): object["store"] = ["checked": true, "reachable": false, "error": why]
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func stamp(_ date: Date) -> String { ISO8601.string(from: date) }

    /// Asks the store for its customer groups: reachable, and is the token accepted?
    static func checkStore(_ store: any CustomerStore) async -> StoreCheck {
        await checkStoreGroups(store).check
    }

    /// Asks the store for its groups: the check, and the group ids when it answered.
    static func checkStoreGroups(_ store: any CustomerStore) async -> (check: StoreCheck, groupIDs: Set<Int>?) {
        do {
            let groups = try await store.customerGroups()
            return (.reachable(groups: groups.count), Set(groups.map(\.id)))
        } catch let error as StoreError where error.stopsWrites {
            return (.tokenRefused(error.description), nil)
        } catch let error as StoreError where storeAnswered(error) {
            return (.answeredWithError(error.description), nil)
        } catch {
            return (.unreachable("\(error)"), nil)
        }
    }

    /// True when the store gave an HTTP answer (as opposed to none, or only 5xx after the retries).
    static func storeAnswered(_ error: StoreError) -> Bool {
        switch error {
        case .rejected, .unauthorized, .forbidden, .notFound, .invalidResponse: true
        case .createInDoubt, .unavailable: false
        }
    }

    /// Sync-rules' "incomplete settings", as far as they can be told without writing: a missing row or
    /// member group, non-members on without their group, or a group the store lacks (when known).
    static func settingsProblem(_ settings: SyncSettings?, storeGroups: Set<Int>?) -> String? {
        guard let settings else { return "the bigcommerce_settings row is missing" }
        guard let member = settings.memberGroupID else { return "member_group_id is not set" }
        var used = [member]
        if settings.includeIndividualNonmembers {
            guard let nonmember = settings.nonmemberGroupID else {
                return "include_individual_nonmembers is on but nonmember_group_id is not set"
            }
            used.append(nonmember)
        }
        if let storeGroups {
            let missing = used.filter { !storeGroups.contains($0) }
            if !missing.isEmpty {
                return "group(s) \(missing.map(String.init).joined(separator: ", ")) do not exist in the store"
            }
        }
        return nil
    }
}
