import Foundation

/// Everything measured at one size.
struct SizeResult: Sendable {
    var people: Int
    var ours: UploadFigures
    var latency: LatencyFigures?
    /// Nil when the naive sync was not run at this size.
    var naive: UploadFigures?
}

/// The rate settings the figures were taken at.
struct RateSettings: Sendable {
    var quota: Int
    var windowMilliseconds: Int
    var latencyWindowMilliseconds: Int

    /// The quota's limit: `⌈requests / quota⌉` windows.
    func idealSeconds(requests: Int) -> Double {
        Double((requests + quota - 1) / quota) * Double(windowMilliseconds) / 1000
    }
}

/// Renders the results as Markdown tables.
struct BenchReport {
    let sizes: [SizeResult]
    let rules: RulesFigures?
    let rate: RateSettings

    var text: String {
        var lines = ["## membersync", ""] + oursTable() + [""]
        lines += ["## membersync against a naive sync", ""] + naiveTable() + [""]
        if let rules { lines += ["## Rules", ""] + rulesLines(rules) + [""] }
        return lines.joined(separator: "\n")
    }

    private func oursTable() -> [String] {
        var rows = [header(["measure", "target"]), separator(2)]
        func row(_ name: String, _ target: String, _ value: (SizeResult) -> String) {
            rows.append("| \(name) | \(target) | " + sizes.map(value).joined(separator: " | ") + " |")
        }
        row("customers created", "") { Format.count($0.ours.customers) }
        row("requests of the first upload (creates / lookups / lists, groups)", "") { result in
            let first = result.ours.first
            return "\(Format.count(first.total)) (\(first.creates) / \(first.lookups) / \(first.lists + first.groups))"
        }
        row("requests per customer created (floor 0.1)", "≤ 0.105") { Format.ratio($0.ours.requestsPerCustomer) }
        row("429s received in the first upload", "a handful") { "\($0.ours.first.rateLimited)" }
        row("first upload: measured / quota's limit", "≤ 1.1×") { result in
            let ideal = rate.idealSeconds(requests: result.ours.first.total)
            return "\(Format.seconds(result.ours.first.spanSeconds)) / \(Format.seconds(ideal)) = "
                + "**\(Format.multiple(result.ours.first.spanSeconds / ideal))**"
        }
        // The floor counts customer pages and the groups request; the revenue pass that follows every
        // full sync lists the store's orders too (one page here: the benchmark's store has none).
        row("second full sync: requests (floor) and writes", "lists only") { result in
            let second = result.ours.second
            let floor = (result.ours.customers + 249) / 250 + 1
            return "\(second.total - second.other) (\(floor)) + \(second.other) orders, \(second.writes) writes"
        }
        row("change-to-store, single changes: p50 / p99", "p99 ≤ 2 s") { result in
            result.latency.map {
                "\(Format.milliseconds(percentile($0.single, 0.5))) / "
                    + "**\(Format.milliseconds(percentile($0.single, 0.99)))**"
            } ?? "–"
        }
        row("change-to-store, burst: p50 / p99 (changes, requests)", "") { result in
            guard let latency = result.latency else { return "–" }
            return "\(Format.milliseconds(percentile(latency.burst, 0.5))) / "
                + "\(Format.milliseconds(percentile(latency.burst, 0.99))) "
                + "(\(latency.burst.count + latency.burstMissed), \(latency.burstRequests.total))"
        }
        row("changes that never reached the store", "0") { result in
            result.latency.map { "\($0.singleMissed + $0.burstMissed)" } ?? "–"
        }
        row("agent CPU time, first upload / second full sync", "") { result in
            "\(Format.seconds(result.ours.firstUsage.cpuSeconds)) / \(Format.seconds(result.ours.secondUsage.cpuSeconds))"
        }
        row("agent peak memory, first upload / second full sync", "< 100 MB at 50,000") { result in
            "\(Format.megabytes(result.ours.firstUsage.maxResidentBytes)) / "
                + "\(Format.megabytes(result.ours.secondUsage.maxResidentBytes))"
        }
        row("agent peak memory, service during the latency run", "") { result in
            result.latency.map { Format.megabytes($0.serviceUsage.maxResidentBytes) } ?? "–"
        }
        return rows
    }

    private func naiveTable() -> [String] {
        var rows = [header(["measure"]), separator(1)]
        let model = sizes.last(where: { $0.naive != nil })?.naive
        func row(_ name: String, _ value: (SizeResult) -> String) {
            rows.append("| \(name) | " + sizes.map(value).joined(separator: " | ") + " |")
        }
        row("naive: requests of the first upload") { result in
            guard let naive = result.naive else { return extrapolated(model, result) { $0.first.total } }
            return Format.count(naive.first.total)
        }
        row("naive: requests per customer created") { result in
            guard let naive = result.naive ?? model else { return "–" }
            return Format.ratio(naive.requestsPerCustomer) + (result.naive == nil ? " (as measured below)" : "")
        }
        row("membersync / naive: requests per customer created") { result in
            guard let naive = result.naive ?? model else { return "–" }
            return "**\(Format.multiple(result.ours.requestsPerCustomer / naive.requestsPerCustomer))**"
        }
        row("naive: first upload time (429s)") { result in
            guard let naive = result.naive else {
                return extrapolatedSeconds(model, result) { $0.first }
            }
            return "\(Format.seconds(naive.first.spanSeconds)) (\(naive.first.rateLimited))"
        }
        row("membersync / naive: first upload time") { result in
            let ours = result.ours.first.spanSeconds
            guard let naive = result.naive else {
                return model.map { "≈ " + Format.multiple(ours / scaledSeconds($0, result) { $0.first }) } ?? "–"
            }
            return "**\(Format.multiple(ours / naive.first.spanSeconds))**"
        }
        row("naive: second full sync requests (writes)") { result in
            guard let naive = result.naive else { return extrapolated(model, result) { $0.second.total } }
            return "\(Format.count(naive.second.total)) (\(Format.count(naive.second.writes)))"
        }
        row("membersync / naive: second full sync requests") { result in
            guard let naive = result.naive else {
                return model.map {
                    "≈ " + Format.multiple(Double(result.ours.second.total) / scaled($0, result) { $0.second.total })
                } ?? "–"
            }
            return "**\(Format.multiple(Double(result.ours.second.total) / Double(naive.second.total)))**"
        }
        row("naive: change-to-store (a whole pass at \(rate.quota) per \(rate.latencyWindowMilliseconds / 1000) s)") {
            result in
            let requests =
                result.naive.map { Double($0.second.total) } ?? model.map { scaled($0, result) { $0.second.total } }
            guard let requests else { return "–" }
            let windows = (requests / Double(rate.quota)).rounded(.up)
            return "≈ " + Format.seconds(windows * Double(rate.latencyWindowMilliseconds) / 1000)
        }
        row("naive: peak memory, first pass") { result in
            result.naive.map { Format.megabytes($0.firstUsage.maxResidentBytes) } ?? "–"
        }
        return rows
    }

    private func rulesLines(_ rules: RulesFigures) -> [String] {
        let sorted = rules.evaluateCPUSeconds.sorted()
        return [
            "| measure | target | value |", "|---|---|---|",
            "| people (profiles with organizations) | | \(Format.count(rules.people)) (\(Format.count(rules.profiles))) |",
            "| CPU time to evaluate the rules for every profile, median of \(sorted.count) (min–max) | < 1 s | "
                + "**\(Format.seconds(sorted[sorted.count / 2]))** (\(Format.seconds(sorted.first!))–"
                + "\(Format.seconds(sorted.last!))) |",
            "| reading MC Trade into a snapshot (not counted above): CPU / wall | | "
                + "\(Format.seconds(rules.readCPUSeconds)) / \(Format.seconds(rules.readWallSeconds)) |",
            "| profiles uploadable | | \(Format.count(rules.uploadable)) |",
        ]
    }

    // MARK: - Helpers

    private func header(_ first: [String]) -> String {
        "| " + (first + sizes.map { Format.count($0.people) + " people" }).joined(separator: " | ") + " |"
    }

    private func separator(_ leading: Int) -> String {
        "|" + String(repeating: "---|", count: leading + sizes.count)
    }

    /// A naive figure scaled from the largest measured size by customers created.
    private func scaled(_ model: UploadFigures, _ result: SizeResult, _ value: (UploadFigures) -> Int) -> Double {
        Double(value(model)) / Double(max(model.customers, 1)) * Double(result.ours.customers)
    }

    private func scaledSeconds(_ model: UploadFigures, _ result: SizeResult, _ pass: (UploadFigures) -> RequestTally)
        -> Double
    {
        pass(model).spanSeconds / Double(max(model.customers, 1)) * Double(result.ours.customers)
    }

    private func extrapolated(_ model: UploadFigures?, _ result: SizeResult, _ value: (UploadFigures) -> Int) -> String
    {
        guard let model else { return "–" }
        return "≈ " + Format.count(Int(scaled(model, result, value).rounded())) + " (extrapolated)"
    }

    private func extrapolatedSeconds(
        _ model: UploadFigures?,
        _ result: SizeResult,
        _ pass: (UploadFigures) -> RequestTally
    ) -> String {
        guard let model else { return "–" }
        return "≈ " + Format.seconds(scaledSeconds(model, result, pass)) + " (extrapolated)"
    }
}

/// The nearest-rank percentile of `values` (`fraction` 0.5 for the median); 0 when empty.
func percentile(_ values: [Double], _ fraction: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let rank = Int((fraction * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

/// Number formats of the report.
enum Format {
    static func count(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(character)
        }
        return result
    }

    static func ratio(_ value: Double) -> String { String(format: "%.3f", value) }

    /// Two decimals, three below 0.1 so that small ratios do not show as zero.
    static func multiple(_ value: Double) -> String {
        value < 0.1 ? String(format: "%.3f×", value) : String(format: "%.2f×", value)
    }

    static func seconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.2f s", value) : String(format: "%.1f s", value)
    }

    static func milliseconds(_ value: Double) -> String { String(format: "%.0f ms", value) }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
}
