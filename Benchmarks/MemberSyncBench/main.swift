// membersync-bench: store requests, time and memory of membersync against bc-sandbox, side by side with a
// naive sync. See BENCHMARKS.md for the figures and Benchmarks/run.sh for the command that makes them.
import Foundation

do {
    let options = try BenchOptions(Array(CommandLine.arguments.dropFirst()))
    if options.has("--help") || options.has("-h") {
        print(BenchOptions.usage)
    } else if options.mode == "naive" {
        try await NaiveSync.main(options)
    } else if let mode = options.mode {
        throw BenchError("unknown mode '\(mode)'\n\(BenchOptions.usage)")
    } else {
        try await Benchmark(options).run()
    }
} catch {
    FileHandle.standardError.write(Data("membersync-bench: \(error)\n".utf8))
    exit(1)
}
