import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a finished child process used, as `wait4` reports it.
struct ChildUsage: Sendable {
    /// The exit code, or 128 + the signal that ended it.
    var exitStatus: Int32
    var wallSeconds: Double
    /// User plus system CPU time.
    var cpuSeconds: Double
    /// Peak resident memory (the largest `VmHWM` seen while it ran).
    var maxResidentBytes: Int
}

/// A child process started with `posix_spawn` and reaped with `wait4`, so that its own CPU time and peak
/// memory are known: `getrusage(RUSAGE_CHILDREN)` would mix every child, and Foundation's `Process`
/// reaps its children itself. The peak memory is the child's `VmHWM`, read every 10 ms while it runs:
/// `ru_maxrss` would not do, because Linux carries the high-water mark of the memory a process had
/// before `exec` into it, and a child spawned from this process starts out in this process's memory.
final class SpawnedProcess: Sendable {
    let pid: pid_t
    let name: String
    private let started: ContinuousClock.Instant

    /// Starts `executable` with standard input from `/dev/null` and both outputs appended to `outputPath`.
    init(executable: URL, arguments: [String], environment: [String: String], outputPath: String) throws {
        name = executable.lastPathComponent
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        started = ContinuousClock.now
        let result = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        guard result == 0 else {
            throw BenchError("cannot start \(name): \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    /// Asks the process to stop (`SIGTERM`).
    func terminate() {
        kill(pid, SIGTERM)
    }

    /// Waits for the process to end, on a thread of its own, and returns what it used.
    func wait() async -> ChildUsage {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.waitBlocking()) }
        }
    }

    private func waitBlocking() -> ChildUsage {
        var status: Int32 = 0
        var usage = rusage()
        var peakKiB = 0
        while true {
            peakKiB = max(peakKiB, Self.highWaterKiB(of: pid) ?? 0)
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid || (reaped == -1 && errno != EINTR) { break }
            usleep(10_000)
        }
        let wall = ContinuousClock.now - started
        let signal = status & 0x7f
        let exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return ChildUsage(
            exitStatus: exitStatus,
            wallSeconds: wall.seconds,
            cpuSeconds: Self.seconds(usage.ru_utime) + Self.seconds(usage.ru_stime),
            maxResidentBytes: peakKiB * 1024
        )
    }

    /// `VmHWM` of a running process, in KiB, from `/proc/PID/status`.
    private static func highWaterKiB(of pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    private static func seconds(_ time: timeval) -> Double {
        Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000
    }
}

/// A benchmark step that could not be done; the message says which and why.
struct BenchError: Error, CustomStringConvertible, LocalizedError {
    let message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
    var errorDescription: String? { description }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Milliseconds since the Unix epoch, the clock of the sandbox's request log.
func epochMilliseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
}
