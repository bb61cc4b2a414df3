import BCSandbox
import Foundation
import MCTradeDemo
import SQLiteDB

/// Change-to-store latency with `membersync run` following the change log: from the commit of a change
/// to a person's first name in MC Trade to the store holding the new name.
struct LatencyFigures: Sendable {
    /// Milliseconds, one change at a time, from the commit to the end of the `PUT` that carried it.
    var single: [Double]
    /// Milliseconds, each change of the burst, from its commit to the poll of the store that saw it.
    var burst: [Double]
    var burstCommitMilliseconds: Double
    var burstRequests: RequestTally
    /// Changes that never reached the store within the time allowed, one at a time and in the burst.
    var singleMissed: Int
    var burstMissed: Int
    var serviceUsage: ChildUsage
}

struct LatencyBenchmark {
    /// How often the store's file is read during the burst; the resolution of the burst figures.
    static let storePollMilliseconds = 5

    let workspace: BenchWorkspace
    let samples: Int
    let burstSize: Int

    /// A person in MC Trade with an email no other profile has, and the store customer linked to them.
    struct Target {
        var profileID: Int
        var customerID: Int
    }

    func run() async throws -> LatencyFigures {
        let targets = try chooseTargets()
        let mctrade = try MCTradeDatabase(path: workspace.mctradePath)
        let service = try workspace.startMembersync(["run"])
        try await Task.sleep(for: .seconds(3))
        var single: [Double] = []
        var missed = 0
        for (index, target) in targets.prefix(samples).enumerated() {
            if let latency = try await singleChange(target, name: "Single\(index)", in: mctrade) {
                single.append(latency)
            } else {
                missed += 1
            }
            try await Task.sleep(for: .milliseconds(200 + (index * 317) % 500))
        }
        try await Task.sleep(for: .seconds(1))
        try await workspace.admin.clearRequests()
        let (burst, commitMilliseconds, burstMissed) = try await burst(Array(targets.dropFirst(samples)), in: mctrade)
        let burstRequests = RequestTally(try await workspace.admin.requests())
        service.terminate()
        let usage = await service.wait()
        return LatencyFigures(
            single: single,
            burst: burst,
            burstCommitMilliseconds: commitMilliseconds,
            burstRequests: burstRequests,
            singleMissed: missed,
            burstMissed: burstMissed,
            serviceUsage: usage
        )
    }

    /// Commits one change and waits for the `PUT` that carries it; nil when none came within 20 s.
    private func singleChange(_ target: Target, name: String, in mctrade: MCTradeDatabase) async throws -> Double? {
        try await workspace.admin.clearRequests()
        try mctrade.updateProfile(id: target.profileID, set: ["first_name": .text(name)])
        let committed = epochMilliseconds()
        while epochMilliseconds() - committed < 20_000 {
            let requests = try await workspace.admin.requests()
            if let put = requests.first(where: { $0.method == "PUT" && (200..<300).contains($0.status) }) {
                return Double(put.finishedMilliseconds - committed)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// Commits one change to each target back to back, reading the store's file between commits and
    /// after, and returns each change's latency, the time the commits took, and the changes never seen.
    private func burst(
        _ targets: [Target],
        in mctrade: MCTradeDatabase
    ) async throws -> ([Double], Double, Int) {
        let store = try Database(path: workspace.storePath, mode: .readOnly)
        let ids = targets.map { String($0.customerID) }.joined(separator: ",")
        var expected: [Int: String] = [:]
        var committed: [Int: Int64] = [:]
        var landed: [Int: Int64] = [:]
        var lastPoll: Int64 = 0
        func poll() throws {
            lastPoll = epochMilliseconds()
            for row in try store.query("SELECT id, first_name FROM customers WHERE id IN (\(ids))") {
                guard let id = row.int("id"), landed[id] == nil, let want = expected[id],
                    row.string("first_name") == want
                else { continue }
                landed[id] = lastPoll
            }
        }
        let start = epochMilliseconds()
        for (index, target) in targets.enumerated() {
            expected[target.customerID] = "Burst\(index)"
            try mctrade.updateProfile(id: target.profileID, set: ["first_name": .text("Burst\(index)")])
            committed[target.customerID] = epochMilliseconds()
            if epochMilliseconds() - lastPoll >= Self.storePollMilliseconds { try poll() }
        }
        let commitMilliseconds = Double(epochMilliseconds() - start)
        while landed.count < targets.count && epochMilliseconds() - start < 60_000 {
            try await Task.sleep(for: .milliseconds(Self.storePollMilliseconds))
            try poll()
        }
        let latencies = landed.map { id, time in Double(time - committed[id]!) }
        return (latencies, commitMilliseconds, targets.count - landed.count)
    }

    /// `samples + burstSize` people (or all there are) spread over the file, each with a unique email and a store customer.
    private func chooseTargets() throws -> [Target] {
        let store = try Database(path: workspace.storePath, mode: .readOnly)
        var customers: [String: Int] = [:]
        for row in try store.query("SELECT id, email_lower FROM customers") {
            customers[row.string("email_lower") ?? ""] = row.int("id")
        }
        let mctrade = try Database(path: workspace.mctradePath, mode: .readOnly)
        let rows = try mctrade.query(
            """
            SELECT profile_id, lower(trim(email)) AS email FROM profiles
            WHERE kind = 'individual' AND status = 'active' AND merged_into IS NULL
              AND lower(trim(email)) IN (
                SELECT lower(trim(email)) FROM profiles WHERE email IS NOT NULL
                GROUP BY lower(trim(email)) HAVING COUNT(*) = 1)
            ORDER BY profile_id
            """
        )
        let all = rows.compactMap { row -> Target? in
            guard let id = row.int("profile_id"), let customer = customers[row.string("email") ?? ""] else {
                return nil
            }
            return Target(profileID: id, customerID: customer)
        }
        let wanted = samples + burstSize
        guard all.count > wanted else { return all }
        let step = Double(all.count) / Double(wanted)
        return (0..<wanted).map { all[Int(Double($0) * step)] }
    }
}
