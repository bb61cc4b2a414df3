import Foundation
import Synchronization
import Testing

@testable import MemberSync

/// The heartbeat the watchdog reads, and how `membersync run` feeds it from the store client.
@Suite struct HeartbeatTests {
    @Test func storeClientAnswersBeatTheHeartbeatThroughTheContext() async throws {
        let body = #"[{"id": 4, "name": "Members"}]"#
        let server = try LoopbackServer(answers: [
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        ])
        var configuration = try CommandHarness().configuration
        configuration.bigCommerce.apiURL = try #require(URL(string: "http://127.0.0.1:\(server.port)"))
        let heartbeat = Heartbeat()
        let beats = Mutex<[StoreClientEvent]>([])
        let context = try AgentContext(
            configuration: configuration,
            logHandler: InMemoryLogHandler(),
            onStoreEvent: { event in
                beats.withLock { $0.append(event) }
                heartbeat.beatForStoreEvent()
            }
        )
        try await Task.sleep(for: .milliseconds(300))
        #expect(heartbeat.silence >= .milliseconds(300))

        let asked = ContinuousClock.now
        let groups = try await context.store.customerGroups()
        #expect(groups.map(\.id) == [4])
        #expect(heartbeat.silence <= ContinuousClock.now - asked, "beaten since the request was sent")
        let answered = beats.withLock { $0 }.contains {
            if case .requestFinished(_, _, _, let status, _, _) = $0 { return status == 200 }
            return false
        }
        #expect(answered)
    }

    @Test func revenuePassRequestsDoNotBeatTheHeartbeat() async throws {
        let body = #"[{"id": 4, "name": "Members"}]"#
        let answer =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        let server = try LoopbackServer(answers: [answer, answer])
        var configuration = try CommandHarness().configuration
        configuration.bigCommerce.apiURL = try #require(URL(string: "http://127.0.0.1:\(server.port)"))
        let heartbeat = Heartbeat()
        let context = try AgentContext(
            configuration: configuration,
            logHandler: InMemoryLogHandler(),
            onStoreEvent: { _ in heartbeat.beatForStoreEvent() }
        )
        try await Task.sleep(for: .milliseconds(300))

        _ = try await RevenuePoller.$isInPass.withValue(true) { try await context.store.customerGroups() }
        #expect(heartbeat.silence >= .milliseconds(300), "a revenue pass's request is no sign of a live sync pass")
        let asked = ContinuousClock.now
        _ = try await context.store.customerGroups()
        #expect(heartbeat.silence <= ContinuousClock.now - asked)
    }
}
