import Foundation
import MemberSync
import Testing

struct LoggerTests {
    private static let token = "tok_TESTONLY_0123456789abcdef"

    @Test func levelsParseFromConfigNamesAndAreOrdered() {
        #expect(
            Logger.Level.allCases.map(\.rawValue) == [
                "trace", "debug", "info", "notice", "warning", "error", "critical",
            ]
        )
        #expect(Logger.Level(name: "WARNING") == .warning)
        #expect(Logger.Level(name: "verbose") == nil)
        #expect(Logger.Level.trace < .debug)
        #expect(Logger.Level.error < .critical)
        #expect(Logger.Level.notice > .info)
    }

    @Test func dropsEventsBelowTheLevelWithoutEvaluatingThem() {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "t", level: .notice, handler: handler)
        var evaluated = false
        logger.info(
            {
                evaluated = true; return "hidden"
            }()
        )
        logger.notice("shown")
        logger.critical("also shown")
        #expect(!evaluated)
        #expect(handler.records.map(\.level) == [.notice, .critical])
        #expect(handler.messages == ["shown", "also shown"])
    }

    @Test func everyLevelMethodLogsAtItsLevel() {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "t", level: .trace, handler: handler)
        logger.trace("m")
        logger.debug("m")
        logger.info("m")
        logger.notice("m")
        logger.warning("m")
        logger.error("m")
        logger.critical("m")
        #expect(handler.records.map(\.level) == Logger.Level.allCases)
    }

    @Test func callMetadataOverridesLoggerMetadata() {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "t", metadata: ["run.id": "7", "shared": "logger"], handler: handler)
        logger[metadataKey: "store"] = "abc"
        logger.info("m", metadata: ["shared": "call", "count": .stringConvertible(3)])
        #expect(logger[metadataKey: "store"] == "abc")
        #expect(handler.records.first?.metadata == ["run.id": "7", "shared": "call", "store": "abc", "count": "3"])
    }

    @Test func redactsSecretsInMessageMetadataAndLabel() {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "t", level: .trace, handler: handler).redacting([Self.token, ""])
        struct Failure: CustomStringConvertible, Sendable {
            var description: String { "401 echoing X-Auth-Token: \(LoggerTests.token)" }
        }
        logger.debug(
            "request with \(Self.token) failed",
            metadata: [
                "error": .stringConvertible(Failure()),
                "headers": ["X-Auth-Token": .string(Self.token)],
                "list": [.string("prefix-\(Self.token)-suffix")],
            ]
        )
        let line = handler.lines.joined()
        #expect(!line.contains(Self.token))
        #expect(line.contains("request with <redacted> failed"))
        #expect(line.contains("X-Auth-Token: <redacted>"))
        #expect(line.contains("prefix-<redacted>-suffix"))
        #expect(handler.records.first?.metadata["headers"] == ["X-Auth-Token": "<redacted>"])
    }

    @Test func redactionReplacesTheLongestSecretWhole() {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "t", handler: handler).redacting(["abc"]).redacting(["abcdef"])
        logger.info("abcdef and abc")
        #expect(handler.messages == ["<redacted> and <redacted>"])
    }

    @Test func loggerWithoutSecretsKeepsTextAsIs() {
        let handler = InMemoryLogHandler()
        Logger(label: "t", handler: handler).redacting([""]).info("nothing to hide")
        #expect(handler.messages == ["nothing to hide"])
    }

    @Test func inMemoryHandlerIsSafeToShareBetweenTasks() async {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "t", handler: handler)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask { for index in 0..<100 { logger.info("event", metadata: ["n": "\(task)-\(index)"]) } }
            }
        }
        #expect(handler.records.count == 800)
        handler.removeAll()
        #expect(handler.records.isEmpty)
    }
}
