import BCSandbox
import Testing

struct SandboxDateTests {
    @Test func formatsBothStyles() {
        #expect(SandboxDate.iso8601(1_515_618_330) == "2018-01-10T21:05:30Z")
        #expect(SandboxDate.rfc2822(1_515_618_330) == "Wed, 10 Jan 2018 21:05:30 +0000")
    }

    @Test(arguments: [
        "2018-01-10T21:05:30Z", "2018-01-10T21:05:30", "2018-01-10T22:05:30+01:00", "2018-01-10T16:05:30.000-05:00",
        "Wed, 10 Jan 2018 21:05:30 +0000", "Wed, 10 Jan 2018 16:05:30 -0500", "10 Jan 2018 21:05:30 GMT",
    ])
    func parsesEveryAcceptedForm(text: String) {
        #expect(SandboxDate.parseAny(text) == 1_515_618_330)
    }

    @Test func dateOnlyIsMidnightUTC() {
        #expect(SandboxDate.parseISO8601("2018-01-10") == 1_515_542_400)
    }

    @Test(arguments: ["yesterday", "2018-13-01", "2018-01-10T25:00:00Z", "Wed, 10 Foo 2018 21:05:30 +0000"])
    func rejectsNonsense(text: String) {
        #expect(SandboxDate.parseAny(text) == nil)
    }
}
