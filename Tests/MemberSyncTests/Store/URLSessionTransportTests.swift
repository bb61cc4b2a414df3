import Foundation
import MemberSync
import Testing

struct URLSessionTransportTests {
    private func request(_ port: UInt16, method: String = "GET", path: String = "/") -> HTTPRequest {
        HTTPRequest(
            method: method,
            url: URL(string: "http://127.0.0.1:\(port)\(path)")!,
            headers: ["X-Auth-Token": testToken, "Accept": "application/json"],
            body: method == "GET" ? nil : Data("[]".utf8),
            timeout: .seconds(5)
        )
    }

    @Test func returnsStatusHeadersAndBody() async throws {
        let body = #"{"data":[]}"#
        let server = try LoopbackServer(answers: [
            "HTTP/1.1 200 OK\r\nx-rate-limit-requests-left: 7\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        ])

        let response = try await URLSessionTransport().send(request(server.port, path: "/v3/customers?id:in=1"))

        #expect(response.status == 200)
        #expect(response.headers.integer("X-Rate-Limit-Requests-Left") == 7)
        #expect(String(decoding: response.body, as: UTF8.self) == body)
        let head = try #require(server.requests.first)
        #expect(head.hasPrefix("GET /v3/customers?id:in=1 HTTP/1.1"))
        #expect(head.lowercased().contains("x-auth-token: \(testToken.lowercased())"))
    }

    @Test func connectionClosedWithoutAnswerIsAnswerLost() async throws {
        let server = try LoopbackServer(answers: [nil])

        do {
            _ = try await URLSessionTransport().send(request(server.port, method: "POST", path: "/v3/customers"))
            Issue.record("expected a transport error")
        } catch let error as HTTPTransportError {
            #expect(error.kind == .answerLost)
        }
    }

    @Test func doesNotFollowRedirects() async throws {
        let server = try LoopbackServer(answers: [
            "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/elsewhere\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n"
        ])

        let response = try await URLSessionTransport().send(request(server.port))

        #expect(response.status == 302)
        #expect(server.requests.count == 1)
    }

    @Test func refusedConnectionIsNotSent() async throws {
        let transport = URLSessionTransport()
        let request = HTTPRequest(method: "POST", url: URL(string: "http://127.0.0.1:9/")!, timeout: .seconds(5))

        do {
            _ = try await transport.send(request)
            Issue.record("expected a transport error")
        } catch let error as HTTPTransportError {
            #expect(error.kind == .notSent)
        }
    }
}
