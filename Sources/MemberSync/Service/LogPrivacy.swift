/// Keeps personal data out of log lines: error texts from the store may quote the emails they refused.
enum LogPrivacy {
    /// `text` with every word that holds an `@` replaced by `<email>`.
    static func maskingEmails(_ text: String) -> String {
        let separators: Set<Character> = [" ", "'", "\"", "(", ")", ",", ";", "\t", "\n", "<", ">", "[", "]"]
        var result = ""
        var word = ""
        func flush() {
            result += word.contains("@") ? "<email>" : word
            word = ""
        }
        for character in text {
            if separators.contains(character) {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
    }
}
