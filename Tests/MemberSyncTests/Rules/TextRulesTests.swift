import MemberSync
import Testing

/// Sync-rules section 0 (trimming, NFC, length) and the text fields of section 2.
struct TextRulesTests {
    typealias F = RuleFixtures

    func member(first: String? = "Ada", last: String? = "Kovacs", email: String? = F.idEmail, phone: String? = nil)
        -> CustomerRecord
    {
        F.record(ofMember: F.person(1, member: true, first: first, last: last, email: email, phone: phone))!
    }

    // MARK: - Trimming

    @Test func trimsAsciiSpacesTabsAndLineBreaks() {
        #expect(TextNormalizer.trimmed(" \t\n\r Ada \r\n\t ") == "Ada")
    }

    @Test func trimsNoBreakAndFullWidthSpaces() {
        #expect(TextNormalizer.trimmed("\u{00A0}\u{3000}Ada\u{3000}\u{00A0}") == "Ada")
    }

    @Test func trimsOtherUnicodeWhiteSpace() {
        // Narrow no-break, en quad, line and paragraph separators, next line.
        #expect(TextNormalizer.trimmed("\u{202F}\u{2000}\u{2028}Ada\u{2029}\u{0085}") == "Ada")
    }

    @Test func trimsAByteOrderMarkThoughItIsNotUnicodeWhiteSpace() {
        #expect(!Unicode.Scalar(0xFEFF)!.properties.isWhitespace)
        #expect(TextNormalizer.trimmed("\u{FEFF}Ada\u{FEFF} ") == "Ada")
        #expect(TextNormalizer.trimmed("Zero\u{200B}") == "Zero\u{200B}")
        let evaluation = F.evaluate(1, [F.person(1, member: true, email: "\u{FEFF}ada@example.test")])
        #expect(evaluation.isUploadable)
        #expect(evaluation.record?.email == "ada@example.test")
    }

    @Test func keepsWhiteSpaceInsideText() {
        #expect(TextNormalizer.trimmed("  Mary\u{00A0}Ann  ") == "Mary\u{00A0}Ann")
    }

    @Test func whiteSpaceOnlyTrimsToEmpty() {
        #expect(TextNormalizer.trimmed("\u{3000} \t\n") == "")
    }

    @Test func namesAreSentTrimmed() {
        let record = member(first: "\u{3000}Ada\t", last: "\u{00A0}Kovacs\n")
        #expect(record.firstName == "Ada")
        #expect(record.lastName == "Kovacs")
    }

    // MARK: - NFC

    @Test func decomposedTextIsSentComposed() {
        let record = member(first: "Zoe\u{0308}")
        #expect(record.firstName.unicodeScalars.map(\.value) == [0x5A, 0x6F, 0xEB])
    }

    @Test func composedAndDecomposedNamesGiveEqualRecords() {
        let composed = member(first: "Zo\u{00EB}", last: "\u{00C5}ngstr\u{00F6}m")
        let decomposed = member(first: "Zoe\u{0308}", last: "A\u{030A}ngstro\u{0308}m")
        #expect(composed == decomposed)
        #expect(composed.differingFields(from: decomposed).isEmpty)
    }

    @Test func nonLatinNamesAreKeptAsTheyAre() {
        #expect(member(first: "Nguyễn Thị", last: "Ngọc").firstName == "Nguyễn Thị")
        #expect(member(first: "王", last: "小明").lastName == "小明")
        #expect(member(first: "Sam 🚀", last: "Rivera").firstName == "Sam 🚀")
    }

    // MARK: - Length limits

    @Test func nameOfExactlyOneHundredCodePointsIsKept() {
        let name = String(repeating: "a", count: 100)
        #expect(member(first: name).firstName == name)
    }

    @Test func nameOfOneHundredAndOneCodePointsIsCutToOneHundred() {
        let name = String(repeating: "a", count: 99) + "bc"
        #expect(member(last: name).lastName == String(repeating: "a", count: 99) + "b")
    }

    @Test func lengthIsCountedAfterNfc() {
        // 100 composed characters, 200 code points before NFC.
        let name = String(repeating: "e\u{0301}", count: 100)
        #expect(member(first: name).firstName == String(repeating: "\u{00E9}", count: 100))
    }

    @Test func cutNeverSplitsAnEmojiCluster() {
        // The family emoji is 5 code points; 98 + 5 does not fit in 100.
        let family = "👩\u{200D}👩\u{200D}👧"
        let name = String(repeating: "a", count: 98) + family
        let cut = member(first: name).firstName
        #expect(cut == String(repeating: "a", count: 98))
        #expect(!cut.unicodeScalars.contains("\u{200D}"))
    }

    @Test func cutNeverSplitsACombiningMarkFromItsBase() {
        // "q" + two combining marks has no composed form: a cluster of 3 code points at 99...101.
        let name = String(repeating: "a", count: 98) + "q\u{0307}\u{0323}"
        #expect(member(first: name).firstName == String(repeating: "a", count: 98))
    }

    @Test func cutTextIsTrimmedAgain() {
        let name = String(repeating: "a", count: 98) + "  bcd"
        #expect(member(first: name).firstName == String(repeating: "a", count: 98))
    }

    @Test func cutKeepsWholeClustersThatFit() {
        #expect(TextNormalizer.cut("ab🚀cd", toCodePoints: 3) == "ab🚀")
        #expect(TextNormalizer.cut("abe\u{0301}", toCodePoints: 3) == "ab")
    }

    @Test func companyIsCutAtTwoHundredFiftyFive() {
        let long = String(repeating: "x", count: 254) + "yz"
        let record = F.record(
            ofMember: F.person(1, member: true),
            [F.tie(1, 10, primary: true)],
            extra: [F.organization(10, name: long)]
        )
        #expect(record?.company == String(repeating: "x", count: 254) + "y")
    }

    @Test func phoneOfFiftyCodePointsIsKept() {
        let phone = String(repeating: "1", count: 50)
        #expect(member(phone: " \(phone) ").phone == phone)
    }

    @Test func phoneLongerThanFiftyIsSentEmpty() {
        #expect(member(phone: String(repeating: "1", count: 51)).phone == "")
    }

    @Test func missingPhoneIsSentEmpty() {
        #expect(member(phone: nil).phone == "")
    }

    // MARK: - Emails

    @Test func emailIsSentTrimmedWithCaseKept() {
        #expect(member(email: "\u{00A0} Mei.Tanaka@Example.TEST\t").email == "Mei.Tanaka@Example.TEST")
    }

    @Test func emailsCompareTrimmedAndLowerCased() {
        #expect(EmailAddress.comparisonKey("  Linus.Ortega@Example.TEST ") == "linus.ortega@example.test")
    }

    @Test func caseOnlyEmailChangeGivesAnEqualRecord() {
        let before = member(email: "linus.ortega@example.test")
        let after = member(email: "Linus.Ortega@Example.TEST")
        #expect(before == after)
        #expect(after.differingFields(from: before).isEmpty)
        #expect(Set([before, after]).count == 1)
    }

    @Test func differentEmailGivesADifferentRecord() {
        let before = member(email: "linus.ortega@example.test")
        let after = member(email: "linus.ortega2@example.test")
        #expect(before != after)
        #expect(after.differingFields(from: before) == ["email"])
    }
}

/// Quoting MC Trade's text in messages and on terminals.
struct PrintableTextTests {
    @Test func controlCharactersAreEscapedAndTheRestKept() {
        #expect(TextNormalizer.printable("ok\u{0}tab\there\u{1B}[31m") == "ok\\u{0}tab\\u{9}here\\u{1b}[31m")
        #expect(TextNormalizer.printable("Zoë 王 🚀") == "Zoë 王 🚀")
        #expect(TextNormalizer.printable("\u{202E}evil") == "\\u{202e}evil")
    }

    @Test func invalidEmailMessageNeverCarriesControlCharacters() {
        let evaluation = RuleFixtures.evaluate(1, [RuleFixtures.person(1, member: true, email: "bad\u{0}x@@y.test")])
        let message = evaluation.problems.first { $0.field == "email" }?.message ?? ""
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(message.contains("\\u{0}"))
    }
}
