import Foundation

/// Email rules of sync-rules sections 0 and 2.
public enum EmailAddress {
    /// Trimmed of Unicode white space (what is sent; case kept).
    public static func trimmed(_ email: String) -> String {
        TextNormalizer.trimmed(email)
    }

    /// Trimmed and lower-cased: what two emails are compared by.
    public static func comparisonKey(_ email: String) -> String {
        trimmed(email).lowercased()
    }

    /// True when the (already trimmed) email is well formed per sync-rules section 2.
    public static func isWellFormed(_ email: String) -> Bool {
        let scalars = email.unicodeScalars
        guard scalars.allSatisfy({ $0.isASCII }) else { return false }
        let count = scalars.count
        guard count >= 3, count <= 250 else { return false }
        for scalar in scalars {
            switch scalar {
            case " ", ",", "\"", "<", ">", "\t", "\n", "\r": return false
            default: if scalar.value < 0x20 || scalar.value == 0x7F { return false }
            }
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return false }
        return true
    }
}
