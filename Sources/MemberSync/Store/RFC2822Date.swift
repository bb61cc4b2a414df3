import Foundation

/// The dates of the v2 API (RFC 2822, `Wed, 10 Jan 2018 21:05:30 +0000`) and their ISO 8601 UTC form
/// (`2018-01-10T21:05:30Z`). Plain arithmetic on the proleptic Gregorian calendar: no formatter, no
/// locale, safe from any thread.
public enum RFC2822Date {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    private static let weekdayNames = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
        "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
    ]

    /// Parses an RFC 2822 date-time (weekday and seconds optional); nil when it is not one.
    public static func parse(_ text: String) -> Date? {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let comma = body.firstIndex(of: ",") {
            body = String(body[body.index(after: comma)...])
        }
        let tokens = body.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard tokens.count == 5 || tokens.count == 4,
            let day = Int(tokens[0]), (1...31).contains(day),
            let monthIndex = months.firstIndex(of: tokens[1].lowercased()),
            var year = Int(tokens[2]), tokens[2].count >= 2,
            let clock = parseClock(tokens[3])
        else { return nil }
        if tokens[2].count == 2 { year += year < 50 ? 2000 : 1900 }
        let offsetMinutes = tokens.count == 5 ? parseZone(tokens[4]) : 0
        guard let offsetMinutes, day <= daysIn(month: monthIndex + 1, year: year) else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        let seconds = days * 86_400 + clock - offsetMinutes * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// `Wed, 10 Jan 2018 21:05:30 +0000` for `date` (whole seconds, UTC).
    public static func format(_ date: Date) -> String {
        let (days, secondOfDay) = split(date)
        let (year, month, day) = civilFromDays(days)
        let weekday = weekdayNames[((days % 7) + 7) % 7]
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d +0000",
            weekday,
            day,
            monthNames[month - 1],
            year,
            secondOfDay / 3600,
            secondOfDay / 60 % 60,
            secondOfDay % 60
        )
    }

    /// `2018-01-10T21:05:30Z` for `date` (whole seconds, UTC).
    public static func iso8601(_ date: Date) -> String {
        let (days, secondOfDay) = split(date)
        let (year, month, day) = civilFromDays(days)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ",
            year,
            month,
            day,
            secondOfDay / 3600,
            secondOfDay / 60 % 60,
            secondOfDay % 60
        )
    }

    /// The ISO 8601 UTC form of an RFC 2822 date; nil when `text` is not one.
    public static func iso8601(fromRFC2822 text: String) -> String? {
        parse(text).map(iso8601)
    }

    private static func split(_ date: Date) -> (days: Int, secondOfDay: Int) {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(total) / 86_400).rounded(.down))
        return (days, total - days * 86_400)
    }

    private static func parseClock(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        let hour = parts[0]!
        let minute = parts[1]!
        let second = parts.count == 3 ? parts[2]! : 0
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return hour * 3600 + minute * 60 + second
    }

    private static func parseZone(_ text: String) -> Int? {
        if let named = zones[text.lowercased()] { return named }
        guard text.count == 5, let sign = text.first, sign == "+" || sign == "-",
            let hours = Int(text.dropFirst().prefix(2)), let minutes = Int(text.suffix(2)), minutes < 60
        else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 60 + minutes)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
