import Foundation

/// Text rules of sync-rules section 0: trimming, NFC, and cutting to a length in code points at a
/// grapheme-cluster boundary.
public enum TextNormalizer {
    /// Removes leading and trailing Unicode white space (including no-break and full-width spaces).
    public static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhiteSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isWhiteSpace($0) })!
        return String(scalars[first...last])
    }

    /// Trimmed, NFC, and at most `limit` code points, cut before a grapheme cluster that would not fit.
    public static func normalized(_ text: String?, limit: Int? = nil) -> String {
        guard let text else { return "" }
        var value = composed(trimmed(text))
        if let limit, value.unicodeScalars.count > limit {
            value = trimmed(cut(value, toCodePoints: limit))
        }
        return value
    }

    /// The text in Unicode NFC, nothing else changed.
    public static func composed(_ text: String) -> String {
        // ASCII text is already NFC; the Foundation round trip costs more than the rest of the rules.
        text.utf8.allSatisfy({ $0 < 0x80 }) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The longest prefix of whole grapheme clusters whose code points number at most `limit`.
    public static func cut(_ text: String, toCodePoints limit: Int) -> String {
        var used = 0
        var end = text.startIndex
        for character in text {
            let size = character.unicodeScalars.count
            if used + size > limit { break }
            used += size
            end = text.index(after: end)
        }
        return String(text[..<end])
    }

    /// Unicode white space, and U+FEFF (zero width no-break space, the byte order mark), which is not
    /// Unicode white space but which text pasted or imported from files leaves at the start of a
    /// field; invisible, it would otherwise make an email malformed or a name differ from itself.
    /// Other zero-width characters are kept: joiners can be part of a name.
    static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "\u{FEFF}"
    }

    /// The text with control characters shown as `\u{…}` escapes, so that quoting MC Trade's data in a
    /// message or on a terminal can never break a line or send an escape sequence.
    public static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
