import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A one-connection-per-answer HTTP server on 127.0.0.1 and an ephemeral port. Each scripted answer
/// is raw HTTP text, or nil to read the request and close the connection without answering.
final class LoopbackServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var received: [String] = []

    /// The raw request heads received so far.
    var requests: [String] { lock.withLock { received } }

    init(answers: [String?]) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(listener, raw, length) == 0 && listen(listener, 8) == 0
                    && getsockname(listener, raw, &length) == 0
            }
        }
        guard listener >= 0, bound else {
            close(listener)
            throw CocoaError(.fileReadUnknown)
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        DispatchQueue.global().async { [self] in serve(answers) }
    }

    deinit {
        close(listener)
    }

    private func serve(_ answers: [String?]) {
        for answer in answers {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let head = readHead(connection)
            lock.withLock { received.append(head) }
            if let answer {
                _ = answer.utf8CString.withUnsafeBufferPointer { send(connection, $0.baseAddress, $0.count - 1, 0) }
            }
            close(connection)
        }
    }

    private func readHead(_ connection: Int32) -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: data, as: UTF8.self).contains("\r\n\r\n") {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }
}
