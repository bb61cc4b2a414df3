import Foundation
import MemberSync
import Testing

struct RFC2822DateTests {
    @Test(arguments: [
        ("Wed, 10 Jan 2018 21:05:30 +0000", "2018-01-10T21:05:30Z"),
        ("Thu, 20 Apr 2017 11:32:00 -0400", "2017-04-20T15:32:00Z"),
        ("20 Apr 2017 11:32 GMT", "2017-04-20T11:32:00Z"),
        ("Mon, 1 Jan 01 00:30:00 +0100", "2000-12-31T23:30:00Z"),
        ("Tue, 29 Feb 2028 23:59:59 PST", "2028-03-01T07:59:59Z"),
        ("Fri, 31 Dec 1999 23:59:60 +0000", "2000-01-01T00:00:00Z"),
    ])
    func convertsToISO8601UTC(rfc2822: String, iso: String) {
        #expect(RFC2822Date.iso8601(fromRFC2822: rfc2822) == iso)
    }

    @Test(arguments: [
        "", "2018-01-10T21:05:30Z", "Wed, 32 Jan 2018 21:05:30 +0000", "Wed, 10 Foo 2018 21:05:30 +0000",
        "Wed, 10 Jan 2018 25:05:30 +0000", "Wed, 10 Jan 2018 21:05:30 +00", "Thu, 29 Feb 2018 10:00:00 +0000",
    ])
    func rejectsMalformedDates(text: String) {
        #expect(RFC2822Date.parse(text) == nil)
    }

    @Test func formatsForTheOrdersFilter() throws {
        let date = try #require(RFC2822Date.parse("10 Jan 2018 23:05:30 +0200"))

        #expect(RFC2822Date.format(date) == "Wed, 10 Jan 2018 21:05:30 +0000")
        #expect(RFC2822Date.format(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(RFC2822Date.iso8601(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test func roundTripsWholeSeconds() throws {
        for seconds in stride(from: -86_400 * 400, to: 86_400 * 365 * 80, by: 86_400 * 37 + 3_601) {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(RFC2822Date.parse(RFC2822Date.format(date)) == date)
        }
    }
}
