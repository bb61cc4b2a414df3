import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure to open the listening socket.
public struct HTTPServerError: Error, CustomStringConvertible, LocalizedError {
    public let operation: String
    public let errorNumber: Int32

    public var description: String {
        "http server: \(operation) failed: \(String(cString: strerror(errorNumber))) (errno \(errorNumber))"
    }

    public var errorDescription: String? { description }
}

/// A small HTTP/1.1 server on POSIX sockets, bound to 127.0.0.1, with one thread per connection.
///
/// Keep-alive and `Content-Length` bodies are supported; chunked request bodies are not.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    private struct State {
        var listener: Int32 = -1
        var connections: Set<Int32> = []
        var isRunning = false
    }

    private let handler: Handler
    private let state = Mutex(State())

    public init(handler: @escaping Handler) { self.handler = handler }

    /// Binds and starts accepting; returns the port (useful when `port` is 0).
    public func start(port: UInt16) throws -> UInt16 {
        let listener = try Self.openListener(port: port)
        let boundPort = try Self.localPort(of: listener)
        state.withLock {
            $0.listener = listener
            $0.isRunning = true
        }
        let thread = Thread { [self] in acceptLoop(listener: listener) }
        thread.name = "bc-sandbox-accept"
        thread.start()
        return boundPort
    }

    /// Stops accepting and closes every open connection.
    public func stop() {
        let (listener, connections) = state.withLock { state in
            let result = (state.listener, state.connections)
            state.isRunning = false
            state.listener = -1
            state.connections = []
            return result
        }
        if listener >= 0 {
            _ = shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
        for connection in connections { _ = shutdown(connection, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop(listener: Int32) {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let accepted = state.withLock { state -> Bool in
                guard state.isRunning else { return false }
                state.connections.insert(client)
                return true
            }
            guard accepted else {
                close(client)
                return
            }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in
                var connection = HTTPConnection(socket: client, handler: handler)
                connection.run()
                self.state.withLock { state in
                    state.connections.remove(client)
                    return
                }
                close(client)
            }
            thread.name = "bc-sandbox-connection"
            thread.start()
        }
    }

    private static func openListener(port: UInt16) throws -> Int32 {
        #if canImport(Glibc)
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let listener = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard listener >= 0 else { throw HTTPServerError(operation: "socket", errorNumber: errno) }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(listener)
            throw HTTPServerError(operation: "bind to 127.0.0.1:\(port)", errorNumber: code)
        }
        guard listen(listener, 256) == 0 else {
            let code = errno
            close(listener)
            throw HTTPServerError(operation: "listen", errorNumber: code)
        }
        return listener
    }

    private static func localPort(of listener: Int32) throws -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        guard result == 0 else { throw HTTPServerError(operation: "getsockname", errorNumber: errno) }
        return UInt16(bigEndian: address.sin_port)
    }
}
