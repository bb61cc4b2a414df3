import Foundation
import MemberSync
import Testing

/// `member_expires_on` parsing and "today in the configured time zone" (sync-rules sections 0 and 1).
struct CalendarDayTests {
    @Test func parsesIsoDay() {
        #expect(CalendarDay("2026-06-15") == CalendarDay(year: 2026, month: 6, day: 15))
        #expect(CalendarDay("2026-06-15")?.description == "2026-06-15")
    }

    @Test func parsesLeapDaysOnlyInLeapYears() {
        #expect(CalendarDay("2024-02-29") != nil)
        #expect(CalendarDay("2000-02-29") != nil)
        #expect(CalendarDay("2023-02-29") == nil)
        #expect(CalendarDay("1900-02-29") == nil)
    }

    @Test(arguments: [
        "", "2026-06-31", "2026-00-10", "2026-06-00", "2026-6-15", "26-06-15", "2026/06/15", "2026-06-15T00:00:00Z",
    ])
    func rejectsTextThatIsNotARealDay(text: String) {
        #expect(CalendarDay(text) == nil)
    }

    @Test func addingDaysCrossesMonthsYearsAndLeapDays() {
        let day = CalendarDay(year: 2024, month: 3, day: 1)
        #expect(day.adding(days: -1) == CalendarDay(year: 2024, month: 2, day: 29))
        #expect(
            CalendarDay(year: 2026, month: 12, day: 31).adding(days: 1) == CalendarDay(year: 2027, month: 1, day: 1)
        )
        #expect(day.adding(days: 0) == day)
    }

    @Test func todayDependsOnTheConfiguredTimeZone() throws {
        // 2026-06-15 23:30 UTC is already the 16th in Auckland and still the 15th in Los Angeles.
        let instant = Date(timeIntervalSince1970: 1_781_566_200)
        let utc = try #require(TimeZone(identifier: "UTC"))
        let auckland = try #require(TimeZone(identifier: "Pacific/Auckland"))
        let losAngeles = try #require(TimeZone(identifier: "America/Los_Angeles"))
        #expect(CalendarDay(date: instant, timeZone: utc) == CalendarDay(year: 2026, month: 6, day: 15))
        #expect(CalendarDay(date: instant, timeZone: auckland) == CalendarDay(year: 2026, month: 6, day: 16))
        #expect(CalendarDay(date: instant, timeZone: losAngeles) == CalendarDay(year: 2026, month: 6, day: 15))
    }

    @Test func daysOrderByDate() {
        #expect(CalendarDay(year: 2026, month: 1, day: 31) < CalendarDay(year: 2026, month: 2, day: 1))
        #expect(CalendarDay(year: 2025, month: 12, day: 31) < CalendarDay(year: 2026, month: 1, day: 1))
    }
}
