import Foundation

/// The command line: a mode word (`naive`, or none for the benchmark) and `--name value` options.
struct BenchOptions: Sendable {
    static let usage = """
        usage: membersync-bench [--sizes 1000,10000,50000] [--naive-sizes 1000,10000] [--samples 30]
                                [--burst 500] [--quota 150] [--window-ms 1000] [--latency-window-ms 30000]
                                [--rules-people 100000] [--work DIR] [--keep]

        Runs the release membersync and bc-sandbox found beside this executable over loopback and prints
        the benchmark tables (Markdown). The upload runs against a quota of --quota requests per
        --window-ms (a shortened window; the ratio to the quota's limit is what is reported); the
        change-to-store latency runs at --quota per --latency-window-ms (the standard 150 per 30 s).
        """

    var mode: String?
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    init(_ arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == "--keep" || word == "--help" || word == "-h" {
                flags.insert(word)
            } else if word.hasPrefix("--") {
                guard index + 1 < arguments.count else { throw BenchError("\(word) needs a value") }
                values[word] = arguments[index + 1]
                index += 1
            } else if mode == nil {
                mode = word
            } else {
                throw BenchError("unexpected argument '\(word)'")
            }
            index += 1
        }
    }

    func value(_ name: String) -> String? { values[name] }

    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func integer(_ name: String, default fallback: Int) throws -> Int {
        guard let text = values[name] else { return fallback }
        guard let number = Int(text), number > 0 else { throw BenchError("\(name) needs a positive whole number") }
        return number
    }

    /// A comma-separated list of positive whole numbers; `[]` for `none`.
    func integers(_ name: String, default fallback: [Int]) throws -> [Int] {
        guard let text = values[name] else { return fallback }
        if text == "none" { return [] }
        let numbers = text.split(separator: ",").map { Int($0.replacingOccurrences(of: "_", with: "")) }
        guard !numbers.isEmpty, numbers.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw BenchError("\(name) needs whole numbers separated by commas, e.g. 1000,10000")
        }
        return numbers.compactMap { $0 }
    }
}
