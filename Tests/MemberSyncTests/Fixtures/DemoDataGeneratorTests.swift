import Foundation
import MCTradeDemo
import SQLiteDB
import Testing

struct DemoDataGeneratorTests {
    private static let today = "2026-12-03"

    /// Every row of the data tables, as text, in a fixed order.
    private func contents(of path: String) throws -> [String] {
        let database = try Database(path: path, mode: .readOnly)
        var lines: [String] = []
        for table in ["profiles", "relationships", "bigcommerce_settings"] {
            try database.forEachRow("SELECT * FROM \(table) ORDER BY 1, 2") { row in
                lines.append(table + " " + row.values.map { "\($0)" }.joined(separator: "|"))
            }
        }
        return lines
    }

    @Test func sameSeedGivesTheSameRowsAndAnotherSeedDoesNot() throws {
        try FixtureTestSupport.withTemporaryDirectory { directory throws in
            let paths = ["a", "b", "c"].map { directory.appendingPathComponent("\($0).sqlite").path }
            let generator = DemoDataGenerator(people: 400, organizations: 40, seed: 7, today: Self.today)
            let first = try generator.write(to: paths[0])
            let second = try generator.write(to: paths[1])
            try DemoDataGenerator(people: 400, organizations: 40, seed: 8, today: Self.today).write(to: paths[2])

            #expect(first == second)
            #expect(try contents(of: paths[0]) == contents(of: paths[1]))
            #expect(try contents(of: paths[0]) != contents(of: paths[2]))
        }
    }

    @Test func everyCategoryIsPresent() throws {
        try FixtureTestSupport.withTemporaryDirectory { directory throws in
            let path = directory.appendingPathComponent("demo.sqlite").path
            let summary = try DemoDataGenerator(today: Self.today).write(to: path)

            #expect(summary.people == 3000)
            #expect(summary.organizations == 400)
            let counts: KeyValuePairs<String, Int> = [
                "memberOrganizations": summary.memberOrganizations,
                "nonmemberOrganizations": summary.nonmemberOrganizations,
                "individualMembers": summary.individualMembers, "lapsedMembers": summary.lapsedMembers,
                "membersExpiringTomorrow": summary.membersExpiringTomorrow,
                "primaryRelationships": summary.primaryRelationships, "mainContacts": summary.mainContacts,
                "peopleInTwoOrganizations": summary.peopleInTwoOrganizations,
                "inactiveProfiles": summary.inactiveProfiles, "deletedProfiles": summary.deletedProfiles,
                "mergedProfiles": summary.mergedProfiles, "duplicateEmailProfiles": summary.duplicateEmailProfiles,
                "missingEmails": summary.missingEmails, "malformedEmails": summary.malformedEmails,
                "missingNames": summary.missingNames, "nonASCIINames": summary.nonASCIINames,
                "overlongNames": summary.overlongNames, "overlongPhones": summary.overlongPhones,
            ]
            for (name, count) in counts {
                #expect(count > 0, "no \(name)")
            }
            #expect(summary.memberOrganizations + summary.nonmemberOrganizations == 400)
        }
    }

    @Test func fixedCasesAreWrittenAsGiven() throws {
        try FixtureTestSupport.withTemporaryDirectory { directory throws in
            let path = directory.appendingPathComponent("demo.sqlite").path
            try DemoDataGenerator(people: 100, organizations: 10, today: Self.today).write(to: path)
            let database = try MCTradeDatabase(path: path)

            let emails = try database.dictionaries("SELECT email FROM profiles WHERE kind = 'individual'")
                .compactMap { $0["email"]?.string }
            #expect(emails.contains("a@@b.test"))
            #expect(emails.contains("  casey.jones@example-mail.test "))
            let outsideTest = emails.filter { email in
                let trimmed = email.trimmingCharacters(in: .whitespaces)
                return !trimmed.isEmpty && !trimmed.hasSuffix(".test") && trimmed != "nora@test"
            }
            #expect(outsideTest.isEmpty)

            let names = try database.dictionaries("SELECT first_name FROM profiles").compactMap {
                $0["first_name"]?.string
            }
            #expect(names.contains("Zoe\u{0308}"))
            #expect(names.contains("小明"))

            let lapsedOrganization = try database.dictionaries("SELECT * FROM profiles WHERE profile_id = 1")[0]
            #expect(lapsedOrganization["member_expires_on"] == "2026-12-02")
            let mainContact = try database.dictionaries(
                "SELECT * FROM relationships WHERE organization_id = 1 AND is_main_contact = 1"
            )
            #expect(mainContact.count == 1)
        }
    }

    @Test func changeLogIsPurgedUnlessAskedToKeepIt() throws {
        try FixtureTestSupport.withTemporaryDirectory { directory throws in
            let purged = directory.appendingPathComponent("purged.sqlite").path
            let kept = directory.appendingPathComponent("kept.sqlite").path
            let summary = try DemoDataGenerator(people: 50, organizations: 5, today: Self.today).write(to: purged)
            try DemoDataGenerator(people: 50, organizations: 5, purgesChangeLog: false, today: Self.today)
                .write(to: kept)

            #expect(summary.isChangeLogPurged)
            #expect(summary.lastChangeID > 55)
            #expect(try MCTradeDatabase(path: purged).changeRows().isEmpty)
            let keptChanges = try MCTradeDatabase(path: kept).changeRows()
            #expect(keptChanges.count == summary.lastChangeID)

            // The next change continues after the purged ids, as a real purged log does.
            let database = try MCTradeDatabase(path: purged)
            try database.updateProfile(id: 6, set: ["phone": "555"])
            #expect(try database.maxChangeID() == summary.lastChangeID + 1)
        }
    }

    @Test func smallCountsKeepOnlyTheCasesThatFit() throws {
        try FixtureTestSupport.withTemporaryDirectory { directory throws in
            let path = directory.appendingPathComponent("tiny.sqlite").path
            let summary = try DemoDataGenerator(people: 3, organizations: 0, today: Self.today).write(to: path)
            #expect(summary.people == 3)
            #expect(summary.organizations == 0)
            #expect(summary.relationships == 0)
        }
    }

    @Test func invalidTodayIsRejected() {
        #expect(throws: MCTradeDatabaseError.invalidDate("2026-02-30")) {
            try DemoDataGenerator(today: "2026-02-30").write(to: "/nonexistent/never.sqlite")
        }
    }

    @Test func generatesFiftyThousandPeople() throws {
        try FixtureTestSupport.withTemporaryDirectory { directory throws in
            let path = directory.appendingPathComponent("large.sqlite").path
            let summary = try DemoDataGenerator(people: 50_000, organizations: 5_000, today: Self.today)
                .write(to: path)
            #expect(summary.people == 50_000)
            let count = try Database(path: path).scalar("SELECT count(*) FROM profiles").int
            #expect(count == 55_000)
        }
    }
}
