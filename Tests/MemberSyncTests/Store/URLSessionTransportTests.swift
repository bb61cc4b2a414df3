import Foundation
import MemberSync
import Testing

struct URLSessionTransportTests {
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
