import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process for tests, started with `posix_spawn`, with the part of `Foundation.Process` that
/// the tests use (executable, arguments, environment, standard output and error, run, isRunning,
/// terminate, waitUntilExit, terminationStatus).
///
/// Not `Foundation.Process`: on Linux, Swift 6.3's `Process.run()` lists `/proc/self/fd` with a read
/// past the end of a directory entry and crashes now and then when the process has many descriptors
/// open (swift-corelibs-foundation pull request 5472), as the test run does. The child gets only its
/// three standard descriptors, as with `Process`, so that it holds none of the test run's sockets.
public final class SpawnedProcess: @unchecked Sendable {
    public var executableURL: URL?
    public var arguments: [String] = []
    /// The child's environment; nil for this process's.
    public var environment: [String: String]?
    /// A `FileHandle` or a `Pipe`; nil to share this process's.
    public var standardOutput: Any?
    public var standardError: Any?

    public private(set) var processIdentifier: pid_t = 0
    private let exit = Mutex<Int32?>(nil)

    public init() {}

    public func run() throws {
        guard let executableURL else { throw CocoaError(.fileNoSuchFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (stream, target) in [(standardOutput, STDOUT_FILENO), (standardError, STDERR_FILENO)] {
            if let descriptor = Self.descriptor(writingTo: stream) {
                posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            }
        }
        Self.addCloseFrom(&actions, 3)
        let words = [executableURL.path] + arguments
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = words.map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let failure = posix_spawn(&pid, executableURL.path, &actions, nil, argv, envp)
        guard failure == 0 else { throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO) }
        processIdentifier = pid
        for stream in [standardOutput, standardError] {
            if let pipe = stream as? Pipe { try? pipe.fileHandleForWriting.close() }
        }
    }

    /// Whether the child has not exited yet (reaps it when it has).
    public var isRunning: Bool {
        guard processIdentifier > 0 else { return false }
        return exit.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            guard waitpid(processIdentifier, &raw, WNOHANG) == processIdentifier else { return true }
            status = Self.decode(raw)
            return false
        }
    }

    /// Sends SIGTERM.
    public func terminate() {
        if isRunning { kill(processIdentifier, SIGTERM) }
    }

    /// Blocks until the child has exited.
    public func waitUntilExit() {
        guard processIdentifier > 0 else { return }
        exit.withLock { status in
            guard status == nil else { return }
            var raw: Int32 = 0
            while waitpid(processIdentifier, &raw, 0) == -1 && errno == EINTR {}
            status = Self.decode(raw)
        }
    }

    /// The exit code, or the number of the signal that ended the child (as `Process` gives it).
    public var terminationStatus: Int32 {
        exit.withLock { $0 } ?? 0
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module
    /// does not declare: the child closes every descriptor from `lowest` up.
    private static let addCloseFrom: @Sendable (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Void = {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { fatalError("glibc 2.34 or later is needed (posix_spawn_file_actions_addclosefrom_np)") }
        let function = unsafeBitCast(symbol, to: AddCloseFrom.self)
        return { actions, lowest in _ = function(actions, lowest) }
    }()

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : signal
    }

    private static func descriptor(writingTo stream: Any?) -> Int32? {
        if let handle = stream as? FileHandle { return handle.fileDescriptor }
        if let pipe = stream as? Pipe { return pipe.fileHandleForWriting.fileDescriptor }
        return nil
    }
}
