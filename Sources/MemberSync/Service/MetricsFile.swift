import Foundation

/// The agent's metrics in Prometheus' text format, written atomically to `metrics.file` for
/// node_exporter's textfile collector (name the file `*.prom`).
public struct MetricsFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The exposition text for a snapshot and the store client's request counts.
    public static func render(_ snapshot: AgentSnapshot, requests: RequestCounts) -> String {
        var text = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples { text += "\(name)\(labels) \(value)\n" }
        }
        metric(
            "membersync_changelog_cursor",
            "gauge",
            "Last MC Trade change id taken into the outbox.",
            [("", "\(snapshot.cursor)")]
        )
        metric(
            "membersync_changelog_lag",
            "gauge",
            "MC Trade changes not yet taken into the outbox.",
            [("", "\(snapshot.lag)")]
        )
        metric(
            "membersync_source_up",
            "gauge",
            "1 when MC Trade's file could be read.",
            [("", snapshot.sourceError == nil ? "1" : "0")]
        )
        metric("membersync_pending_profiles", "gauge", "Profiles waiting to be sent.", [("", "\(snapshot.pending)")])
        metric(
            "membersync_failed_profiles",
            "gauge",
            "Profiles whose last attempt failed.",
            [("", "\(snapshot.failed)")]
        )
        metric(
            "membersync_held_profiles",
            "gauge",
            "Failed profiles held until they change or are retried.",
            [("", "\(snapshot.held)")]
        )
        metric(
            "membersync_writes_stopped",
            "gauge",
            "1 while writes are stopped (token refused).",
            [("", snapshot.writesStopped == nil ? "0" : "1")]
        )
        let outcomes: [(String, Int)] = [
            ("succeeded", requests.succeeded), ("rate_limited", requests.rateLimited),
            ("server_error", requests.serverErrors), ("client_error", requests.clientErrors),
            ("transport_error", requests.transportErrors),
        ]
        metric(
            "membersync_store_requests_total",
            "counter",
            "Store requests sent by this process, by outcome.",
            outcomes.map { ("{outcome=\"\($0.0)\"}", "\($0.1)") }
        )
        metric(
            "membersync_store_rate_limited_total",
            "counter",
            "429 answers from the store to this process.",
            [("", "\(requests.rateLimited)")]
        )
        let lastSuccess = snapshot.lastSuccessfulFullSync.map { String(Int64($0.timeIntervalSince1970)) } ?? "0"
        metric(
            "membersync_last_successful_full_sync_timestamp_seconds",
            "gauge",
            "Unix time the last successful full sync finished (0: never).",
            [("", lastSuccess)]
        )
        let lastRevenue = snapshot.lastSuccessfulRevenuePass.map { String(Int64($0.timeIntervalSince1970)) } ?? "0"
        metric(
            "membersync_revenue_last_success_timestamp_seconds",
            "gauge",
            "Unix time the last successful revenue pass finished (0: never).",
            [("", lastRevenue)]
        )
        metric(
            "membersync_revenue_last_pass_succeeded",
            "gauge",
            "1 when the last revenue pass succeeded, 0 when it failed or none ran.",
            [("", snapshot.lastRevenuePass?.succeeded == true ? "1" : "0")]
        )
        metric(
            "membersync_customers",
            "gauge",
            "Linked customers by the group the store last accepted.",
            snapshot.customersByGroup.sorted { $0.key < $1.key }.map { ("{group=\"\($0.key)\"}", "\($0.value)") }
        )
        return text
    }

    /// Writes `text` to a temporary file beside `path`, then renames it over `path`, so that a reader
    /// never sees half a file.
    public func write(_ text: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary.path)
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw MetricsFileError(path: path, reason: "\(error.localizedDescription)")
        }
    }
}

/// The metrics file could not be written.
public struct MetricsFileError: Error, Sendable, CustomStringConvertible, LocalizedError {
    public var path: String
    public var reason: String

    public var description: String {
        "cannot write the metrics file '\(path)': \(reason); check that its directory exists and is writable"
    }
    public var errorDescription: String? { description }
}
