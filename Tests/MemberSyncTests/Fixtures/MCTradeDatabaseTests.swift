import Foundation
import MCTradeDemo
import SQLiteDB
import Testing

struct MCTradeDatabaseTests {
    private static let fixedNow = Date(timeIntervalSince1970: 1_796_274_000.123)  // 2026-12-03T05:00:00.123Z

    private func withDatabase(_ body: (MCTradeDatabase) throws -> Void) throws {
        try FixtureTestSupport.withTemporaryDirectory { directory throws in
            let path = directory.appendingPathComponent("mctrade.sqlite").path
            try body(MCTradeDatabase.create(at: path, now: { Self.fixedNow }))
        }
    }

    private func changes(_ database: MCTradeDatabase, after id: Int = 0) throws -> [String] {
        try database.changeRows(after: id).map { row in
            "\(row["profile_id"]?.int.map(String.init) ?? "-") \(row["entity"]!.string!) \(row["operation"]!.string!)"
        }
    }

    @Test func createUsesWriteAheadLogAndRefusesToOverwrite() throws {
        try withDatabase { database throws in
            #expect(try database.database.scalar("PRAGMA journal_mode").string == "wal")
            #expect(throws: MCTradeDatabaseError.fileExists(path: database.path)) {
                try MCTradeDatabase.create(at: database.path)
            }
            #expect(try MCTradeDatabase(path: database.path).maxChangeID() == 0)
        }
    }

    @Test func openingAMissingFileFails() {
        #expect(throws: MCTradeDatabaseError.fileNotFound(path: "/nonexistent/mctrade.sqlite")) {
            try MCTradeDatabase(path: "/nonexistent/mctrade.sqlite")
        }
    }

    @Test func profileWritesFireTheTriggers() throws {
        try withDatabase { database throws in
            try database.insertOrganization(id: 1, name: "Acme", isMember: true)
            try database.insertIndividual(id: 2, firstName: "Ann", lastName: "Lee", email: "ann@acme.test")
            try database.updateProfile(id: 2, set: ["phone": "555", "is_member": 1])
            try database.deleteProfile(id: 1)
            #expect(
                try changes(database) == [
                    "1 profile insert", "2 profile insert", "2 profile update", "1 profile delete",
                ]
            )

            let row = try database.dictionaries("SELECT * FROM profiles WHERE profile_id = 2")[0]
            #expect(row["phone"] == "555")
            #expect(row["is_member"] == 1)
            #expect(row["kind"] == "individual")
            #expect(row["updated_at"] == "2026-12-03T05:00:00.123Z")
        }
    }

    @Test func updateProfileRejectsUnknownColumnsAndIDs() throws {
        try withDatabase { database throws in
            try database.insertIndividual(id: 2)
            #expect(throws: MCTradeDatabaseError.unknownColumn("updated_at")) {
                try database.updateProfile(id: 2, set: ["email": "x@y.test", "updated_at": "never"])
            }
            #expect(throws: MCTradeDatabaseError.noSuchProfile(id: 3)) {
                try database.updateProfile(id: 3, set: ["email": "x@y.test"])
            }
            #expect(try database.dictionaries("SELECT email FROM profiles")[0]["email"] == .null)
        }
    }

    @Test func relationshipWritesLogBothSides() throws {
        try withDatabase { database throws in
            try database.insertOrganization(id: 1, name: "Acme")
            try database.insertIndividual(id: 2)
            let start = try database.maxChangeID()
            try database.relate(individual: 2, organization: 1, isPrimary: true)
            try database.updateRelationship(individual: 2, organization: 1, isMainContact: true)
            try database.unrelate(individual: 2, organization: 1)
            #expect(
                try changes(database, after: start) == [
                    "2 relationship insert", "1 relationship insert",
                    "2 relationship update", "1 relationship update", "2 relationship update", "1 relationship update",
                    "2 relationship delete", "1 relationship delete",
                ]
            )
            #expect(throws: MCTradeDatabaseError.noSuchRelationship(individual: 2, organization: 1)) {
                try database.unrelate(individual: 2, organization: 1)
            }
        }
    }

    @Test func updateRelationshipKeepsFieldsLeftNil() throws {
        try withDatabase { database throws in
            try database.relate(individual: 2, organization: 1, type: "Owner", isPrimary: true)
            try database.updateRelationship(individual: 2, organization: 1, isMainContact: true)
            let row = try database.dictionaries("SELECT * FROM relationships")[0]
            #expect(row["relation_type"] == "Owner")
            #expect(row["is_primary"] == 1)
            #expect(row["is_main_contact"] == 1)
        }
    }

    @Test func settingsAreOneRowInsertedThenUpdated() throws {
        try withDatabase { database throws in
            try database.setSettings(memberGroupID: 4, nonmemberGroupID: nil)
            try database.setSettings(memberGroupID: 4, nonmemberGroupID: 3, includeIndividualNonmembers: true)
            let rows = try database.dictionaries("SELECT * FROM bigcommerce_settings")
            #expect(rows.count == 1)
            #expect(rows[0]["nonmember_group_id"] == 3)
            #expect(rows[0]["include_individual_nonmembers"] == 1)
            #expect(rows[0]["include_main_contacts"] == 1)
            #expect(rows[0]["auto_sync_time"] == "05:00")
            #expect(try changes(database) == ["- settings insert", "- settings update"])
        }
    }

    @Test func purgeDeletesThroughTheGivenIDAndIDsKeepGrowing() throws {
        try withDatabase { database throws in
            for id in 1...3 { try database.insertIndividual(id: id) }
            #expect(try database.purgeChanges(through: 2) == 2)
            #expect(try database.changeRows().map { $0["change_id"] } == [3])
            try database.purgeChanges(through: database.maxChangeID())
            #expect(try database.maxChangeID() == 0)
            try database.insertIndividual(id: 4)
            #expect(try database.maxChangeID() == 4)
        }
    }

    @Test func groupedWritesRollBackTogether() throws {
        try withDatabase { database throws in
            #expect(throws: SQLiteError.self) {
                try database.inTransaction {
                    try database.insertIndividual(id: 1)
                    try database.insertIndividual(id: 1)
                }
            }
            #expect(try database.dictionaries("SELECT * FROM profiles").isEmpty)
            #expect(try database.maxChangeID() == 0)
        }
    }

    @Test func revenueRowsAreReturnedInOrder() throws {
        try withDatabase { database throws in
            try database.execute(
                """
                INSERT INTO profile_revenue VALUES
                    ('bigcommerce', 12, 2, 7, 'Shipped', '10.50', 'USD', '2026-12-01T00:00:00.000Z', 'x'),
                    ('bigcommerce', 11, 2, 7, 'Pending', '3.00', 'USD', '2026-12-01T00:00:00.000Z', 'x')
                """
            )
            let rows = try database.revenueRows()
            #expect(rows.map { $0["order_id"] } == [11, 12])
            #expect(rows[1]["total_inc_tax"] == "10.50")
        }
    }
}
