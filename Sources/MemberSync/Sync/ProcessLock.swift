import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock beside the state file (`<state>.lock`), so that two processes on one
/// state file never write to the store at once. The kernel releases it when the process dies, even
/// by SIGKILL. The file holds the holder's pid and command, to say who holds it.
public final class ProcessLock {
    public let path: String
    private let descriptor: Int32
    private var isReleased = false

    /// Who holds a lock, as written in the lock file.
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public var pid: Int32
        public var command: String

        public var description: String { "process \(pid) ('membersync \(command)')" }
    }

    /// Takes the lock for `statePath`, waiting up to `timeout` seconds. Returns nil (with who holds it)
    /// when the wait ran out.
    public static func acquire(statePath: String, command: String, timeout: TimeInterval) throws
        -> (lock: ProcessLock?, holder: Holder?)
    {
        let path = statePath + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if Date() >= deadline {
                let holder = readHolder(descriptor)
                close(descriptor)
                return (nil, holder)
            }
            usleep(100_000)
        }
        let lock = ProcessLock(path: path, descriptor: descriptor)
        lock.writeHolder(command: command)
        return (lock, nil)
    }

    /// Who holds the lock now, without taking it; nil when nobody does.
    public static func currentHolder(statePath: String) -> Holder? {
        let descriptor = open(statePath + ".lock", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return readHolder(descriptor)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        release()
    }

    /// Gives the lock up (also done when the object goes away or the process ends).
    public func release() {
        guard !isReleased else { return }
        isReleased = true
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private func writeHolder(command: String) {
        let text = "\(getpid()) \(command)\n"
        ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    private static func readHolder(_ descriptor: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pread(descriptor, &buffer, 255, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = text.split(separator: " ", maxSplits: 1)
        guard let first = parts.first, let pid = Int32(first) else { return nil }
        return Holder(pid: pid, command: parts.count > 1 ? String(parts[1]) : "?")
    }
}
