import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why a notification could not be sent to the service manager.
public struct NotifyError: Error, Sendable, CustomStringConvertible, LocalizedError {
    public var socketPath: String
    public var reason: String

    public var description: String { "cannot notify the service manager at '\(socketPath)': \(reason)" }
    public var errorDescription: String? { description }
}

/// Speaks systemd's notify protocol (`sd_notify`): one datagram of `KEY=value` lines sent to the
/// Unix socket named by `$NOTIFY_SOCKET`. A name starting with `@` is an abstract socket.
public struct SystemdNotifier: Sendable {
    /// The socket as named in `$NOTIFY_SOCKET`.
    public let socketPath: String

    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// The notifier for this process, or nil when no service manager is listening.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        self.init(socketPath: path)
    }

    /// How often the service manager wants `WATCHDOG=1` (`$WATCHDOG_USEC`), when it watches this process.
    public static func watchdogInterval(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let pid = environment["WATCHDOG_PID"].flatMap(Int32.init), pid != getpid() { return nil }
        return .microseconds(microseconds)
    }

    /// Start-up finished: `READY=1` with a status line.
    public func ready(status: String) throws {
        try send("READY=1\nSTATUS=\(Self.oneLine(status))")
    }

    /// A status line shown by `systemctl status`.
    public func status(_ text: String) throws {
        try send("STATUS=\(Self.oneLine(text))")
    }

    /// A keep-alive ping for `WatchdogSec=`.
    public func watchdog() throws {
        try send("WATCHDOG=1")
    }

    /// The service is stopping.
    public func stopping(status: String) throws {
        try send("STOPPING=1\nSTATUS=\(Self.oneLine(status))")
    }

    /// Reloading the configuration; `RELOADING=1` must be followed by `READY=1`.
    public func reloading() throws {
        try send("RELOADING=1")
    }

    /// Sends `message` as one datagram.
    public func send(_ message: String) throws {
        let descriptor = socket(AF_UNIX, Self.datagram, 0)
        guard descriptor >= 0 else { throw NotifyError(socketPath: socketPath, reason: Self.lastError()) }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(socketPath.utf8)
        let isAbstract = name.first == UInt8(ascii: "@")
        if isAbstract { name[0] = 0 }
        guard name.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw NotifyError(socketPath: socketPath, reason: "the socket name is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: name) }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        let length = socklen_t(offset + name.count + (isAbstract ? 0 : 1))
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
        guard sent == bytes.count else { throw NotifyError(socketPath: socketPath, reason: Self.lastError()) }
    }

    #if canImport(Glibc)
        static let datagram = Int32(SOCK_DGRAM.rawValue)
    #else
        static let datagram = SOCK_DGRAM
    #endif

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
