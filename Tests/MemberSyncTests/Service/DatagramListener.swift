import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A Unix datagram socket bound to a path or an abstract name (`@name`), standing in for systemd's
/// notify socket. Like systemd, it reads every datagram as soon as it arrives (on a thread of its own,
/// outside the test run's small thread pool), so a sender never finds the socket's short queue full;
/// tests take the datagrams from its inbox, with a deadline so that a test never hangs.
final class DatagramListener: Sendable {
    typealias Datagram = (message: String, at: ContinuousClock.Instant)

    let name: String
    private let inbox = Inbox()

    /// What the reader thread has read, and whether the listener is gone.
    private final class Inbox: Sendable {
        let state = Mutex<(datagrams: [Datagram], isClosed: Bool)>(([], false))
        var isClosed: Bool { state.withLock { $0.isClosed } }
    }

    init(name: String) throws {
        self.name = name
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        let isAbstract = bytes.first == UInt8(ascii: "@")
        if isAbstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (isAbstract ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw CocoaError(.fileWriteUnknown)
        }
        let inbox = self.inbox
        Thread { Self.read(descriptor, into: inbox, name: name) }.start()
    }

    deinit {
        inbox.state.withLock { $0.isClosed = true }
    }

    /// Reads datagrams into `inbox` until the listener goes (checked every 50 ms), then closes the
    /// socket and removes its path.
    private static func read(_ descriptor: Int32, into inbox: Inbox, name: String) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while !inbox.isClosed {
            guard poll(&waiting, 1, 50) > 0 else { continue }
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count > 0 else { continue }
            let datagram = (String(decoding: buffer[..<count], as: UTF8.self), ContinuousClock.now)
            inbox.state.withLock { $0.datagrams.append(datagram) }
        }
        close(descriptor)
        if !name.hasPrefix("@") { unlink(name) }
    }

    private func next() -> Datagram? {
        inbox.state.withLock { $0.datagrams.isEmpty ? nil : $0.datagrams.removeFirst() }
    }

    /// The next datagram, or nil after a minute without one (long, because the whole test run shares a
    /// small thread pool, and a busy run can hold this task back for seconds).
    func receive() async -> String? {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let datagram = next() { return datagram.message }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// Datagrams until one contains `text` (or the wait runs out), all of them.
    func receive(until text: String) async -> [String] {
        var messages: [String] = []
        while let message = await receive() {
            messages.append(message)
            if message.contains(text) { break }
        }
        return messages
    }

    /// Datagrams with when they arrived, until one contains `text` (when given) or `window` has
    /// passed; a zero window takes only those already waiting.
    func receive(until text: String? = nil, within window: Duration) async -> [Datagram] {
        var messages: [Datagram] = []
        let deadline = ContinuousClock.now + window
        while true {
            if let datagram = next() {
                messages.append(datagram)
                if let text, datagram.message.contains(text) { break }
                continue
            }
            guard ContinuousClock.now < deadline else { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return messages
    }
}
