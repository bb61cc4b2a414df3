import Foundation
import MCTradeDemo
import SQLiteDB
import Testing

struct MCTradeSchemaTests {
    @Test func embeddedSchemaMatchesTheSQLFile() throws {
        let file = FixtureTestSupport.repositoryRoot().appendingPathComponent("fixtures/mctrade-schema.sql")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(MCTradeSchema.sql == text)
    }

    @Test func schemaCreatesEveryTable() throws {
        let database = try Database(path: ":memory:")
        try database.execute(MCTradeSchema.sql)
        let tables = try database.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .compactMap { $0.string(0) }
        #expect(
            tables == [
                "bigcommerce_settings", "profile_changes", "profile_revenue", "profiles", "relationships",
                "sqlite_sequence",
            ]
        )
    }
}
