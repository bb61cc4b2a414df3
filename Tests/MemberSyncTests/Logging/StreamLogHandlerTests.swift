import Foundation
import MemberSync
import Synchronization
import Testing

struct StreamLogHandlerTests {
    private static let date = Date(timeIntervalSince1970: 1_796_274_000.123)  // 2026-12-03T05:00:00.123Z

    private func line(_ message: String, _ metadata: Logger.Metadata = [:], level: Logger.Level = .info) -> String {
        StreamLogHandler.format(
            LogRecord(date: Self.date, level: level, label: "membersync.test", message: message, metadata: metadata)
        )
    }

    @Test func formatsTimeLevelLabelSortedMetadataAndMessage() {
        let text = line("applied batch", ["z.last": "1", "a.first": "x", "batch.size": .stringConvertible(10)])
        #expect(
            text
                == #"2026-12-03T05:00:00.123Z info membersync.test a.first=x batch.size=10 z.last=1 msg="applied batch""#
        )
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("two words", #""two words""#),
        ("a=b", #""a=b""#),
        (#"say "hi""#, #""say \"hi\"""#),
        (#"back\slash"#, #""back\\slash""#),
        ("", #""""#),
        ("tab\there", #""tab\there""#),
        ("Nguyễn", "Nguyễn"),
    ])
    func quotesValuesOnlyWhenNeeded(value: String, rendered: String) {
        #expect(line("m", ["k": .string(value)]).hasSuffix(" k=\(rendered) msg=\"m\""))
    }

    @Test func oneEventIsAlwaysOneLine() {
        let text = line("first\nsecond\r\nthird\u{2028}", ["key\nnext": "a\nb"])
        #expect(!text.contains("\n") && !text.contains("\r") && !text.contains("\u{2028}"))
        #expect(text.hasSuffix(#"key\nnext="a\nb" msg="first\nsecond\r\nthird\u{2028}""#))
    }

    @Test func rendersNestedMetadata() {
        let text = line("m", ["list": ["a", "b"], "map": ["y": "2", "x": "1"]])
        #expect(text.contains(#"list="[a, b]" map="[x: 1, y: 2]""#))
    }

    @Test func timestampsBeforeTheEpochAndAtLeapDaysAreCorrect() {
        let leapDay = LogRecord(date: Date(timeIntervalSince1970: 951_782_400), level: .error, label: "l", message: "")
        #expect(StreamLogHandler.format(leapDay).hasPrefix("2000-02-29T00:00:00.000Z error l"))
        let before = LogRecord(date: Date(timeIntervalSince1970: -0.5), level: .error, label: "l", message: "")
        #expect(StreamLogHandler.format(before).hasPrefix("1969-12-31T23:59:59.500Z"))
    }

    @Test func customOutputReceivesNewlineTerminatedLines() {
        let received = Mutex<[String]>([])
        let handler = StreamLogHandler(output: .custom { line in received.withLock { $0.append(line) } })
        let logger = Logger(label: "membersync.test", handler: handler)
        logger.info("started", metadata: ["version": "1"])
        let lines = received.withLock { $0 }
        #expect(lines.count == 1)
        #expect(lines.first?.hasSuffix(#" info membersync.test version=1 msg="started""# + "\n") == true)
    }
}
