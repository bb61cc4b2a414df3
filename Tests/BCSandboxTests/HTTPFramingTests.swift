import BCSandbox
import Foundation
import Testing

/// What goes over the wire, read from a raw socket: HEAD, 204 and the lower-case header fault.
struct HTTPFramingTests {
    static let token = "X-Auth-Token: \(SandboxFixture.token)\r\n"

    /// The header names of the first answer in `text`.
    static func headerNames(_ text: String) -> [String] {
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        return head.components(separatedBy: "\r\n").dropFirst().compactMap { $0.split(separator: ":").first }
            .map(String.init)
    }

    @Test func headAnswersWithoutABodySoTheNextAnswerOnTheConnectionParses() async throws {
        let fixture = try SandboxFixture()
        defer { fixture.close() }
        try await fixture.seedCustomers(2)
        let socket = try LoopbackSocket(port: fixture.server.port)
        defer { socket.close() }
        let path = "/stores/sandbox/v3/customers"
        try socket.send(
            "HEAD \(path) HTTP/1.1\r\nHost: x\r\n\(Self.token)\r\nGET \(path) HTTP/1.1\r\nHost: x\r\n\(Self.token)\r\n"
        )
        let text = try socket.receive(until: {
            $0.components(separatedBy: "HTTP/1.1 200 OK").count == 3 && $0.hasSuffix("}")
        })
        let answers = Array(text.components(separatedBy: "HTTP/1.1 200 OK").dropFirst())
        let headBlock = answers[0]
        #expect(headBlock.hasSuffix("\r\n\r\n"), "the HEAD answer ends with its head: \(headBlock)")
        let length = headBlock.components(separatedBy: "\r\n").first { $0.hasPrefix("Content-Length: ") }
        let getBody = try #require(answers[1].components(separatedBy: "\r\n\r\n").last)
        #expect(length == "Content-Length: \(getBody.utf8.count)", "HEAD reports the length GET sends")
        #expect(getBody.hasPrefix("{") && getBody.contains("\"data\":["))
    }

    @Test func noContentCarriesNoContentLength() throws {
        let fixture = try SandboxFixture()
        defer { fixture.close() }
        let socket = try LoopbackSocket(port: fixture.server.port)
        defer { socket.close() }
        try socket.send("GET /stores/sandbox/v2/orders HTTP/1.1\r\nHost: x\r\n\(Self.token)\r\n")
        let text = try socket.receive(until: { $0.contains("\r\n\r\n") })
        #expect(text.hasPrefix("HTTP/1.1 204 No Content\r\n"))
        #expect(!Self.headerNames(text).contains { $0.lowercased() == "content-length" })
    }

    @Test func lowerCaseFaultLowersEveryHeaderNameOn204AndClose() async throws {
        let fixture = try SandboxFixture()
        defer { fixture.close() }
        try await fixture.admin.addFault(["kind": "lowercase_headers", "enabled": true])
        for request in [
            "GET /stores/sandbox/v2/orders HTTP/1.1\r\nHost: x\r\n\(Self.token)Connection: close\r\n\r\n",
            "GET /stores/sandbox/v3/customers HTTP/1.1\r\nHost: x\r\n\(Self.token)Connection: close\r\n\r\n",
        ] {
            let socket = try LoopbackSocket(port: fixture.server.port)
            defer { socket.close() }
            try socket.send(request)
            let text = try socket.receive(until: { $0.contains("\r\n\r\n") })
            let names = Self.headerNames(text)
            #expect(names.contains("connection"), "\(names)")
            #expect(names.contains("x-rate-limit-requests-left"), "\(names)")
            #expect(names.allSatisfy { $0 == $0.lowercased() }, "\(names)")
        }
    }

    @Test func headersKeepTheirCaseWithoutTheFault() throws {
        let fixture = try SandboxFixture()
        defer { fixture.close() }
        let socket = try LoopbackSocket(port: fixture.server.port)
        defer { socket.close() }
        try socket.send(
            "GET /stores/sandbox/v3/customers HTTP/1.1\r\nHost: x\r\n\(Self.token)Connection: close\r\n\r\n"
        )
        let names = Self.headerNames(try socket.receive(until: { $0.contains("\r\n\r\n") }))
        #expect(names.contains("Content-Length") && names.contains("Connection") && names.contains("Content-Type"))
    }
}
