import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A Unix datagram socket bound to a path or an abstract name (`@name`), standing in for systemd's
/// notify socket. Receives without blocking a thread, with a deadline so that a test never hangs.
final class DatagramListener {
    let name: String
    private let descriptor: Int32

    init(name: String) throws {
        self.name = name
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
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
        guard bound == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    deinit {
        close(descriptor)
        if !name.hasPrefix("@") { unlink(name) }
    }

    /// The next datagram, or nil after a minute without one (long, because the whole test run shares a
    /// small thread pool, and a busy run can hold this task back for seconds).
    func receive() async -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 { return String(decoding: buffer[..<count], as: UTF8.self) }
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
    func receive(until text: String? = nil, within window: Duration) async -> [(
        message: String, at: ContinuousClock.Instant
    )] {
        var messages: [(message: String, at: ContinuousClock.Instant)] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + window
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                let message = String(decoding: buffer[..<count], as: UTF8.self)
                messages.append((message, ContinuousClock.now))
                if let text, message.contains(text) { break }
                continue
            }
            guard ContinuousClock.now < deadline else { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return messages
    }
}
