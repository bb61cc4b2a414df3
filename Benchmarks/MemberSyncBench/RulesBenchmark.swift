import Foundation
import MCTradeDemo
import MemberSync

#if canImport(Glibc)
    import Glibc
#endif

/// CPU time of the rules alone (sync-rules sections 1 and 2) over a large MC Trade file, in this
/// process: the file is read once, then every profile is evaluated several times.
struct RulesFigures: Sendable {
    var people: Int
    var profiles: Int
    var uploadable: Int
    var readCPUSeconds: Double
    var readWallSeconds: Double
    /// One figure per repetition.
    var evaluateCPUSeconds: [Double]
}

struct RulesBenchmark {
    let people: Int
    let directory: URL
    let repetitions = 5

    func run() throws -> RulesFigures {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("rules-\(people).sqlite").path
        try? FileManager.default.removeItem(atPath: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DemoDataGenerator(
            people: people,
            organizations: people / 8,
            seed: 11,
            includeIndividualNonmembers: true,
            today: DayText.today()
        ).write(to: path)

        let readStart = (cpu: Self.processCPUSeconds(), wall: ContinuousClock.now)
        let snapshot = try MCTradeSource(path: path).readSnapshot()
        let readCPU = Self.processCPUSeconds() - readStart.cpu
        let readWall = (ContinuousClock.now - readStart.wall).seconds
        guard let settings = snapshot.settings else { throw BenchError("the generated file has no settings") }
        let rules = MembershipRules(
            settings: settings,
            today: CalendarDay(date: Date(), timeZone: TimeZone(identifier: "UTC")!),
            graceDays: 0
        )
        var times: [Double] = []
        var uploadable = 0
        for _ in 0..<repetitions {
            let before = Self.processCPUSeconds()
            let evaluations = rules.evaluateAll(snapshot)
            times.append(Self.processCPUSeconds() - before)
            uploadable = evaluations.values.filter(\.isUploadable).count
        }
        return RulesFigures(
            people: people,
            profiles: snapshot.profiles.count,
            uploadable: uploadable,
            readCPUSeconds: readCPU,
            readWallSeconds: readWall,
            evaluateCPUSeconds: times
        )
    }

    /// `CLOCK_PROCESS_CPUTIME_ID`: CPU time of every thread of this process.
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
