import Foundation

#if canImport(Glibc)
    import Glibc
    /// Writes to a closed peer fail with EPIPE instead of raising SIGPIPE.
    private let sendFlags = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
    import Darwin
    private let sendFlags: Int32 = 0
#endif

/// Reads requests from one accepted socket and writes the handler's answers, until either side closes.
struct HTTPConnection {
    /// Largest accepted request head, in bytes.
    static let maximumHeadSize = 64 * 1024
    /// Largest accepted request body, in bytes.
    static let maximumBodySize = 16 * 1024 * 1024

    let socket: Int32
    let handler: HTTPServer.Handler
    private var buffer: [UInt8] = []

    init(socket: Int32, handler: @escaping HTTPServer.Handler) {
        self.socket = socket
        self.handler = handler
        buffer.reserveCapacity(16 * 1024)
    }

    /// Serves requests until the peer closes, a request is malformed, or a response drops the connection.
    mutating func run() {
        while let (request, keepAlive) = readRequest() {
            let response = handler(request)
            if response.dropsConnection { return }
            let bytes = response.serialized(keepAlive: keepAlive, includesBody: request.method != "HEAD")
            guard write(bytes), keepAlive else { return }
        }
    }

    private mutating func readRequest() -> (HTTPRequest, Bool)? {
        guard let headEnd = readUntilHeadEnd() else { return nil }
        guard let head = String(validating: buffer[..<headEnd], as: UTF8.self) else {
            reject(status: 400)
            return nil
        }
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else {
            reject(status: 400)
            return nil
        }
        var headers = HTTPHeaders()
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.add(String(line[..<colon]), value)
        }
        let length = Int(headers["Content-Length"] ?? "0") ?? -1
        guard length >= 0, length <= Self.maximumBodySize, headers["Transfer-Encoding"] == nil else {
            reject(status: length > Self.maximumBodySize ? 413 : 400)
            return nil
        }
        let bodyStart = headEnd + 4
        if buffer.count < bodyStart + length, headers["Expect"]?.lowercased() == "100-continue" {
            guard write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return nil }
        }
        guard fill(atLeast: bodyStart + length) else { return nil }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)

        let version = requestLine[2]
        let connection = headers["Connection"]?.lowercased() ?? ""
        let keepAlive = version == "HTTP/1.1" ? connection != "close" : connection == "keep-alive"
        let request = HTTPRequest(
            method: String(requestLine[0]),
            target: String(requestLine[1]),
            headers: headers,
            body: body
        )
        return (request, keepAlive)
    }

    /// Reads until the buffer holds a full head; returns the offset of the blank line.
    private mutating func readUntilHeadEnd() -> Int? {
        var searchFrom = 0
        while true {
            if let end = Self.findHeadEnd(in: buffer, from: searchFrom) { return end }
            if buffer.count > Self.maximumHeadSize {
                reject(status: 431)
                return nil
            }
            searchFrom = max(0, buffer.count - 3)
            guard receive() else { return nil }
        }
    }

    private static func findHeadEnd(in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = start
        while index <= bytes.count - 4 {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }

    private mutating func fill(atLeast count: Int) -> Bool {
        while buffer.count < count {
            guard receive() else { return false }
        }
        return true
    }

    /// Appends whatever the socket has; false on end of stream or error.
    private mutating func receive() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count < 0, errno == EINTR { continue }
            return false
        }
    }

    private func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(socket, $0.baseAddress! + offset, $0.count - offset, sendFlags)
            }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private func reject(status: Int) {
        _ = write(HTTPResponse.empty(status).serialized(keepAlive: false))
    }
}
