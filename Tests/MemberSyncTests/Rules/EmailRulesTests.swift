import MemberSync
import Testing

/// Sync-rules section 2: well-formed emails, and missing or invalid emails and names.
struct EmailRulesTests {
    typealias F = RuleFixtures

    func problems(email: String?, first: String? = "Ada", last: String? = "Kovacs") -> [ReasonCode] {
        F.evaluate(1, [F.person(1, member: true, first: first, last: last, email: email)]).problems.map(\.code)
    }

    // MARK: - Well formed

    @Test func plainAddressIsWellFormed() {
        #expect(EmailAddress.isWellFormed("ada.kovacs@example.test"))
        #expect(EmailAddress.isWellFormed("a+b_c-d@mail.example.co.uk"))
    }

    @Test func shortestEmailWithTwoLabelsIsWellFormed() {
        #expect(!EmailAddress.isWellFormed("a@"))
        #expect(!EmailAddress.isWellFormed("a@b"))
        #expect(EmailAddress.isWellFormed("a@b.c"))
    }

    @Test func twoHundredFiftyCharactersIsTheLongestWellFormed() {
        let domain = "@example.test"
        let fits = String(repeating: "a", count: 250 - domain.count) + domain
        let tooLong = String(repeating: "a", count: 251 - domain.count) + domain
        #expect(fits.count == 250)
        #expect(EmailAddress.isWellFormed(fits))
        #expect(!EmailAddress.isWellFormed(tooLong))
    }

    @Test func nonAsciiEmailIsNotWellFormed() {
        #expect(!EmailAddress.isWellFormed("zoë@example.test"))
        #expect(!EmailAddress.isWellFormed("ada@exämple.test"))
    }

    @Test func emailNeedsExactlyOneAt() {
        #expect(!EmailAddress.isWellFormed("ada.example.test"))
        #expect(!EmailAddress.isWellFormed("omar.said@@example.test"))
        #expect(!EmailAddress.isWellFormed("a@b@example.test"))
    }

    @Test func emailNeedsALocalPart() {
        #expect(!EmailAddress.isWellFormed("@example.test"))
    }

    @Test func domainNeedsTwoNonEmptyLabels() {
        #expect(!EmailAddress.isWellFormed("ada@localhost"))
        #expect(!EmailAddress.isWellFormed("ada@"))
        #expect(!EmailAddress.isWellFormed("ada@.example.test"))
        #expect(!EmailAddress.isWellFormed("ada@example..test"))
        #expect(!EmailAddress.isWellFormed("ada@example.test."))
    }

    @Test(arguments: [
        "ada kovacs@example.test", "ada@exa mple.test", "ada\t@example.test", "ada@example.test\nx",
        "ada,kovacs@example.test", "\"ada\"@example.test", "<ada@example.test>", "ada<@example.test",
        "ada>@example.test", "ada\u{0}@example.test", "ada\u{7}@example.test", "ada\u{1B}@example.test",
        "ada\u{7F}@example.test", "ada\u{0B}@example.test", "ada\u{0C}@example.test", "ada\r@example.test",
    ])
    func forbiddenCharacterMakesEmailMalformed(email: String) {
        #expect(!EmailAddress.isWellFormed(email))
    }

    // MARK: - Missing and invalid

    @Test func nullEmailIsMissing() {
        #expect(problems(email: nil) == [.missingEmail])
    }

    @Test func whiteSpaceOnlyEmailIsMissing() {
        #expect(problems(email: " \u{3000}\t") == [.missingEmail])
    }

    @Test func malformedEmailIsInvalid() {
        #expect(problems(email: "omar.said@@example.test") == [.invalidEmail])
    }

    @Test func surroundingWhiteSpaceDoesNotMakeEmailInvalid() {
        #expect(problems(email: "  mei.tanaka@example.test ") == [])
    }

    @Test func nullFirstNameIsMissingName() {
        let evaluation = F.evaluate(1, [F.person(1, member: true, first: nil)])
        #expect(evaluation.problems.map(\.code) == [.missingName])
        #expect(evaluation.problems.map(\.field) == ["first_name"])
        #expect(!evaluation.isUploadable)
    }

    @Test func whiteSpaceOnlyLastNameIsMissingName() {
        let evaluation = F.evaluate(1, [F.person(1, member: true, last: "\u{00A0} ")])
        #expect(evaluation.problems.map(\.code) == [.missingName])
        #expect(evaluation.problems.map(\.field) == ["last_name"])
    }

    @Test func nameCutToNothingIsMissingName() {
        // One grapheme cluster of 101 code points (no composed form): nothing of it fits in 100.
        let unfitting = "q" + String(repeating: "\u{0307}", count: 100)
        let evaluation = F.evaluate(1, [F.person(1, member: true, last: unfitting)])
        #expect(evaluation.record?.lastName == "")
        #expect(evaluation.problems.map(\.code) == [.missingName])
        #expect(evaluation.problems.map(\.field) == ["last_name"])
        #expect(evaluation.problems.first?.message.contains("100") == true)
        #expect(!evaluation.isUploadable)
    }

    @Test func everyProblemIsReported() {
        #expect(problems(email: "nope", first: "", last: nil) == [.invalidEmail, .missingName, .missingName])
    }

    @Test func profileWithProblemsKeepsItsGroupButIsNotUploadable() {
        let evaluation = F.evaluate(1, [F.person(1, member: true, email: "nope")])
        #expect(evaluation.groupID == 4)
        #expect(!evaluation.isUploadable)
        #expect(evaluation.wantedEmailKey == nil)
    }

    @Test func problemsAreNotReportedForAProfileWithoutAGroup() {
        let evaluation = F.evaluate(1, [F.person(1, member: false, email: nil)])
        #expect(evaluation.groupID == nil)
        #expect(evaluation.problems.isEmpty)
    }

    @Test func wellFormedMemberIsUploadable() {
        let evaluation = F.evaluate(1, [F.person(1, member: true, email: "Ada@Example.test")])
        #expect(evaluation.isUploadable)
        #expect(evaluation.wantedEmailKey == "ada@example.test")
    }
}
