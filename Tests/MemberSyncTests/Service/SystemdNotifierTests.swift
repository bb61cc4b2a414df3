import Foundation
import Testing

@testable import MemberSync

/// The notify protocol over real Unix datagram sockets, by path and by abstract name.
@Suite struct SystemdNotifierTests {
    @Test func sendsReadyAndStatusToASocketPath() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "notify-\(UUID().uuidString.prefix(8))"
        ).path
        let listener = try DatagramListener(name: path)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": path]))
        try notifier.ready(status: "started\nfirst pass")
        #expect(await listener.receive() == "READY=1\nSTATUS=started first pass")
        try notifier.watchdog()
        #expect(await listener.receive() == "WATCHDOG=1")
    }

    @Test func sendsToAnAbstractSocketNamedWithAnAt() async throws {
        let name = "@membersync-test-\(UUID().uuidString)"
        let listener = try DatagramListener(name: name)
        try SystemdNotifier(socketPath: name).status("syncing")
        #expect(await listener.receive() == "STATUS=syncing")
    }

    @Test func noSocketMeansNoNotifierAndAMissingSocketIsAnError() {
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(throws: NotifyError.self) {
            try SystemdNotifier(socketPath: "/nonexistent/notify").watchdog()
        }
    }

    @Test func watchdogIntervalComesFromWatchdogUsecForThisProcessOnly() {
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000"]) == .seconds(30))
        let pid = "\(getpid())"
        #expect(
            SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": pid])
                == .seconds(2)
        )
        #expect(
            SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"]) == nil
        )
        #expect(SystemdNotifier.watchdogInterval(environment: [:]) == nil)
    }
}
