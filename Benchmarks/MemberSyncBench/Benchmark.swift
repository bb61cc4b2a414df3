import Foundation

/// The whole run: for each size, the first upload and a second full sync, the change-to-store latency
/// with the service running, and the naive sync; then the rules over a large file; then the report.
struct Benchmark {
    let sizes: [Int]
    let naiveSizes: Set<Int>
    let samples: Int
    let burstSize: Int
    let rulesPeople: Int
    let rate: RateSettings
    let workDirectory: URL
    let keep: Bool
    let binaries: URL

    init(_ options: BenchOptions) throws {
        sizes = try options.integers("--sizes", default: [1_000, 10_000, 50_000])
        naiveSizes = Set(try options.integers("--naive-sizes", default: [1_000, 10_000]))
        samples = try options.integer("--samples", default: 30)
        burstSize = try options.integer("--burst", default: 500)
        rulesPeople = try options.integer("--rules-people", default: 100_000)
        rate = RateSettings(
            quota: try options.integer("--quota", default: 150),
            windowMilliseconds: try options.integer("--window-ms", default: 1_000),
            latencyWindowMilliseconds: try options.integer("--latency-window-ms", default: 30_000)
        )
        workDirectory = URL(
            fileURLWithPath: options.value("--work")
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("membersync-bench-\(getpid())").path
        )
        keep = options.has("--keep")
        binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    func run() async throws {
        for name in ["membersync", "bc-sandbox"]
        where !FileManager.default.isExecutableFile(
            atPath: binaries.appendingPathComponent(name).path
        ) {
            throw BenchError(
                "\(name) is not beside this executable in \(binaries.path); build the release products first"
            )
        }
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(at: workDirectory) } }
        let started = ContinuousClock.now
        var results: [SizeResult] = []
        for people in sizes {
            results.append(try await measure(people: people))
        }
        progress("rules: generating \(Format.count(rulesPeople)) people and evaluating them")
        let rules = try RulesBenchmark(people: rulesPeople, directory: workDirectory).run()
        let report = BenchReport(sizes: results, rules: rules, rate: rate)
        print(Machine.describe())
        print(settingsText())
        print(report.text)
        print("Whole run: \(Format.seconds((ContinuousClock.now - started).seconds)).")
    }

    private func measure(people: Int) async throws -> SizeResult {
        progress("\(Format.count(people)) people: generating MC Trade data, starting bc-sandbox")
        let workspace = try await BenchWorkspace(
            people: people,
            root: workDirectory,
            binaries: binaries,
            quota: rate.quota,
            windowMilliseconds: rate.windowMilliseconds
        )
        do {
            progress("\(Format.count(people)) people: membersync sync --full, twice")
            let ours = try await UploadBenchmark.membersync(workspace)
            progress("\(Format.count(people)) people: change-to-store latency with membersync run")
            try await workspace.admin.setQuota(quota: rate.quota, windowMilliseconds: rate.latencyWindowMilliseconds)
            let latency = try await LatencyBenchmark(workspace: workspace, samples: samples, burstSize: burstSize).run()
            var naive: UploadFigures?
            if naiveSizes.contains(people) {
                progress("\(Format.count(people)) people: the naive sync, twice")
                naive = try await UploadBenchmark.naive(workspace)
            }
            await workspace.close(keep: keep)
            return SizeResult(people: people, ours: ours, latency: latency, naive: naive)
        } catch {
            await workspace.close(keep: true)
            throw error
        }
    }

    private func settingsText() -> String {
        """
        Upload quota: \(rate.quota) requests per \(rate.windowMilliseconds) ms (the 30 s window shortened; \
        the quota's limit is ⌈requests / \(rate.quota)⌉ windows). Latency run: \(rate.quota) per \
        \(rate.latencyWindowMilliseconds) ms, poll interval 500 ms, \(samples) single changes, a burst of \
        \(burstSize). Naive sync measured at \(naiveSizes.sorted().map(Format.count).joined(separator: ", ")) people.

        """
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("membersync-bench: \(text)\n".utf8))
    }
}

/// The machine the run is on.
enum Machine {
    static func describe() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        let date = ISO8601DateFormatter().string(from: Date())
        return "Machine: \(ProcessInfo.processInfo.activeProcessorCount) CPUs (\(model)), "
            + String(format: "%.1f GiB", memory) + " memory, \(ProcessInfo.processInfo.operatingSystemVersionString). "
            + "Run at \(date).\n"
    }
}
