import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Formatting and parsing of the timestamp styles the store API uses, on Unix seconds (UTC).
public enum SandboxDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `2020-02-06T17:46:33Z`, as v3 answers carry.
    public static func iso8601(_ seconds: Int) -> String {
        let parts = components(seconds)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))"
            + "T\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))Z"
    }

    /// `Wed, 10 Jan 2018 21:05:30 +0000`, as v2 answers carry.
    public static func rfc2822(_ seconds: Int) -> String {
        let parts = components(seconds)
        return "\(weekdays[Int(parts.tm_wday)]), \(pad(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(pad(parts.tm_year + 1900, 4)) \(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)) +0000"
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fff]]` with optional `Z` or `±hh[:]mm`; un-zoned means UTC.
    public static func parseISO8601(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let scalars = Array(trimmed.utf8)
        guard scalars.count >= 10, scalars[4] == 45, scalars[7] == 45 else { return nil }
        guard let year = number(scalars, 0, 4), let month = number(scalars, 5, 2), let day = number(scalars, 8, 2)
        else { return nil }
        guard scalars.count > 10 else { return epoch(year, month, day, 0, 0, 0) }
        guard scalars[10] == 84 || scalars[10] == 116 || scalars[10] == 32, scalars.count >= 16,
            let hour = number(scalars, 11, 2), scalars[13] == 58, let minute = number(scalars, 14, 2)
        else { return nil }
        var index = 16
        var second = 0
        if index < scalars.count, scalars[index] == 58 {
            guard let value = number(scalars, index + 1, 2) else { return nil }
            second = value
            index += 3
        }
        if index < scalars.count, scalars[index] == 46 {
            index += 1
            while index < scalars.count, (48...57).contains(scalars[index]) { index += 1 }
        }
        guard let offset = zoneOffset(scalars, from: index) else { return nil }
        return epoch(year, month, day, hour, minute, second).map { $0 - offset }
    }

    /// Parses `Wed, 10 Jan 2018 21:05:30 +0000` (the weekday is optional).
    public static func parseRFC2822(_ text: String) -> Int? {
        var words = text.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        if let first = words.first, weekdays.contains(first) { words.removeFirst() }
        guard words.count == 5, let day = Int(words[0]), let month = months.firstIndex(of: words[1]),
            let year = Int(words[2])
        else { return nil }
        let time = words[3].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3, let offset = zoneOffset(Array(words[4].utf8), from: 0) else { return nil }
        return epoch(year, month + 1, day, time[0], time[1], time[2]).map { $0 - offset }
    }

    /// Either format, as the v2 date filters accept.
    public static func parseAny(_ text: String) -> Int? { parseISO8601(text) ?? parseRFC2822(text) }

    private static func components(_ seconds: Int) -> tm {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return parts
    }

    private static func epoch(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int)
        -> Int?
    {
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            return nil
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Int(timegm(&parts))
    }

    /// Seconds east of UTC for `Z`, `+hhmm`, `+hh:mm` or nothing at all (UTC).
    private static func zoneOffset(_ bytes: [UInt8], from index: Int) -> Int? {
        guard index < bytes.count else { return 0 }
        if bytes[index] == 90 || bytes[index] == 122 { return index + 1 == bytes.count ? 0 : nil }
        if bytes.count - index == 3 && String(decoding: bytes[index...], as: UTF8.self) == "GMT" { return 0 }
        guard bytes[index] == 43 || bytes[index] == 45 else { return nil }
        let digits = bytes[(index + 1)...].filter { $0 != 58 }
        guard digits.count == 4, let value = number(Array(digits), 0, 4) else { return nil }
        let seconds = (value / 100) * 3600 + (value % 100) * 60
        return bytes[index] == 45 ? -seconds : seconds
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    private static func pad(_ value: Int32, _ width: Int = 2) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
