import Foundation
import MCTradeDemo
import SQLiteDB
import Testing

@testable import MemberSync

/// Hostile MC Trade rows: a copy of the tables without their constraints (as a careless export job
/// could make), filled with NULLs, wrong types, control characters, huge and odd text. The agent must
/// neither crash nor stop: every bad profile gets a report row, everything else is synced. Duplicate
/// relationship rows are combined whatever their order, and a profile of unknown kind is reported and
/// never uploaded.
@Suite struct MCTradeFuzzTests {
    static let looseSchema = """
        CREATE TABLE profiles (profile_id INTEGER PRIMARY KEY, kind, status, merged_into, is_member, membership_level,
            member_expires_on, first_name, last_name, org_name, email, phone, updated_at);
        CREATE TABLE relationships (individual_id, organization_id, relation_type, is_primary, is_main_contact);
        CREATE TABLE bigcommerce_settings (id INTEGER PRIMARY KEY, member_group_id, nonmember_group_id,
            include_individual_nonmembers, include_main_contacts, include_primary_related, auto_sync_time, updated_at);
        CREATE TABLE profile_changes (change_id INTEGER PRIMARY KEY AUTOINCREMENT, profile_id, entity, operation,
            changed_at);
        CREATE TABLE profile_revenue (source, order_id, profile_id, customer_id, status, total_inc_tax, currency_code,
            ordered_at, updated_at);
        INSERT INTO bigcommerce_settings VALUES (1, 4, 3, 1, 1, 1, '05:00', 'x');
        """

    static let nastyTexts: [SQLiteValue] = [
        .null, .text(""), .text("   "), .text("\u{0}\u{1}\u{7}tab\tnew\nline"),
        .text(String(repeating: "Ж", count: 10_000)),
        .text("👩‍👩‍👧‍👦🚀"), .text("مرحبا بالعالم"), .text("\u{202E}evil"), .integer(42), .real(3.5),
        .blob([0xFF, 0xFE, 0x00]),
        .text("Zoe\u{0308}"), .text("O'Brien \"Bob\" <b>"), .text("\u{00A0}\u{3000}padded\u{3000}"),
    ]
    static let nastyEmails: [SQLiteValue] = [
        .null, .text(""), .text("a@@b.test"), .text("no-at-sign"), .text("x@localhost"), .text("sp ace@x.test"),
        .text("ünï@x.test"), .text(String(repeating: "a", count: 300) + "@x.test"), .integer(7), .text("a@b."),
        .text("\"quoted\"@x.test"), .text("a,b@x.test"), .text("ok\u{0}@x.test"),
    ]
    static let nastyDates: [SQLiteValue] = [
        .null, .text("2026-02-30"), .text("yesterday"), .text("9999-12-31"), .text(""), .integer(20_261_203),
        .text("2026-13-01"),
    ]

    @Test(arguments: [1, 2, 3] as [UInt64])
    func hostileRowsNeverStopTheSyncAndEveryBadProfileIsReported(seed: UInt64) async throws {
        let harness = try EngineHarness()
        let path = harness.directory.appendingPathComponent("loose.sqlite").path
        let database = try Database(path: path)
        try database.execute(Self.looseSchema)
        var random = SeededRandom(seed: seed)
        try database.execute("BEGIN")  // one commit for all rows, not one per row
        var goodIDs: [Int] = []
        for id in 1...400 {
            let isGood = id % 3 == 0
            let kinds: [SQLiteValue] = ["individual", "organization", "robot", .null, .integer(1)]
            let statuses: [SQLiteValue] = ["active", "inactive", "deleted", .null, "ACTIVE"]
            let values: [SQLiteValue] =
                isGood
                ? [
                    .integer(Int64(id)), "individual", "active", .null, 1, .null, .null, .text("Good\(id)"), "Person",
                    .null, .text("good\(id)@example.test"), .null, "x",
                ]
                : [
                    .integer(Int64(id)), random.pick(kinds), random.pick(statuses),
                    random.pick([.null, .null, .integer(Int64(random.next(400) + 1)), .text("?")]),
                    random.pick([0, 1, .null, "yes", 2]), .null, random.pick(Self.nastyDates),
                    random.pick(Self.nastyTexts), random.pick(Self.nastyTexts), random.pick(Self.nastyTexts),
                    random.pick(Self.nastyEmails + [.text("bad\(id)@example.test")]), random.pick(Self.nastyTexts),
                    .null,
                ]
            if isGood { goodIDs.append(id) }
            try database.query("INSERT INTO profiles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", values)
        }
        for _ in 0..<600 {
            try database.query(
                "INSERT INTO relationships VALUES (?,?,?,?,?)",
                [
                    random.pick([.integer(Int64(random.next(450) + 1)), .null, "x"]),
                    random.pick([.integer(Int64(random.next(450) + 1)), .null]), random.pick(Self.nastyTexts),
                    random.pick([0, 1, .null, "1"]), random.pick([0, 1, .null]),
                ]
            )
        }
        let (contacts, oddKinds) = try insertDuplicatesAndOddKinds(database, random: &random)
        try database.execute("INSERT INTO profile_changes (profile_id, entity, operation) VALUES (NULL, 'weird', NULL)")
        try database.execute("COMMIT")

        let engine = SyncEngine(
            source: MCTradeSource(path: path),
            state: try StateStore(path: harness.statePath),
            store: harness.store,
            options: {
                var options = harness.options; options.maxGroupRemovalShare = 1; return options
            }(),
            logger: Logger(label: "fuzz", handler: harness.logs)
        )
        let result = try await engine.runFullSync()
        #expect(result.outcome == .ok || result.outcome == .partial)
        for id in goodIDs {
            #expect(harness.store.customer(withEmail: "good\(id)@example.test")?.record.customerGroupID == 4)
        }
        let snapshot = try MCTradeSource(path: path).readSnapshot()
        let rules = MembershipRules(
            settings: snapshot.settings!,
            today: CalendarDay(date: Date(), timeZone: .gmt),
            graceDays: 0
        )
        let linked = try harness.state().links()
        let reported = Set(try harness.report().map(\.profileID))
        for profile in snapshot.profiles.values where profile.kind == .individual {
            let evaluation = rules.evaluate(profile, in: snapshot)
            #expect(
                linked[profile.id] != nil || reported.contains(profile.id),
                "profile \(profile.id) neither synced nor reported"
            )
            if !evaluation.problems.isEmpty && evaluation.groupID != nil {
                #expect(reported.contains(profile.id))
            }
        }
        for customer in harness.store.customers {
            #expect(customer.record.firstName.unicodeScalars.count <= 100)
            #expect(EmailAddress.isWellFormed(customer.record.email))
        }
        checkDuplicatesAndOddKinds(contacts: contacts, oddKinds: oddKinds, harness: harness)
        let report = try harness.report()
        for profile in snapshot.profiles.values where profile.kind == nil {
            #expect(linked[profile.id] == nil, "profile \(profile.id) of unknown kind was uploaded")
            let rows = report.filter { $0.profileID == profile.id }
            // A profile that is not live leaves whatever its kind says; a live one of unknown kind is reported.
            if rules.isLive(profile) {
                #expect(rows.map(\.code) == [.unknownKind] && rows.first?.field == "kind", "profile \(profile.id)")
            } else {
                #expect(rows.map(\.code) == [.notLive], "profile \(profile.id)")
            }
        }
        let second = try await engine.runChangePass()
        #expect(second.outcome == .ok || second.outcome == .partial)
    }

    /// Member organizations 501-505 with main contacts 506-525 whose main-contact flag is on only one of
    /// two duplicate rows (first or second, alternately), and well-formed members 526-533 whose kind is
    /// unknown. Returns both sets of individuals.
    func insertDuplicatesAndOddKinds(_ database: Database, random: inout SeededRandom) throws
        -> (contacts: [Int], oddKinds: [Int])
    {
        for id in 501...505 {
            try database.query(
                "INSERT INTO profiles VALUES (?,'organization','active',NULL,1,NULL,NULL,NULL,NULL,?,NULL,NULL,'x')",
                [.integer(Int64(id)), .text("Org \(id)")]
            )
        }
        let contacts = Array(506...525)
        for id in contacts {
            try database.query(
                "INSERT INTO profiles VALUES (?,'individual','active',NULL,0,NULL,NULL,?,'Contact',NULL,?,NULL,'x')",
                [.integer(Int64(id)), .text("C\(id)"), .text("contact\(id)@example.test")]
            )
            let organization = Int64(501 + random.next(5))
            let flags: [(Int64, String)] = [(0, "Employee"), (1, "Owner")]
            for (isMainContact, type) in id % 2 == 0 ? flags : flags.reversed() {
                try database.query(
                    "INSERT INTO relationships VALUES (?,?,?,0,?)",
                    [.integer(Int64(id)), .integer(organization), .text(type), .integer(isMainContact)]
                )
            }
        }
        let oddKinds = Array(526...533)
        let kinds: [SQLiteValue] = ["robot", .null, "Individual", .integer(1), " individual", "person", "", "org"]
        for (index, id) in oddKinds.enumerated() {
            try database.query(
                "INSERT INTO profiles VALUES (?,?,'active',NULL,1,NULL,NULL,'Odd','Kind',NULL,?,NULL,'x')",
                [.integer(Int64(id)), kinds[index], .text("odd\(id)@example.test")]
            )
        }
        return (contacts, oddKinds)
    }

    func checkDuplicatesAndOddKinds(contacts: [Int], oddKinds: [Int], harness: EngineHarness) {
        for id in contacts {
            #expect(
                harness.store.customer(withEmail: "contact\(id)@example.test")?.record.customerGroupID == 4,
                "main contact \(id) of a member organization, flagged on one of two duplicate rows"
            )
        }
        for id in oddKinds {
            #expect(harness.store.customer(withEmail: "odd\(id)@example.test") == nil, "kind unknown: \(id)")
        }
        let warning = harness.logs.records.first { $0.message == "MC Trade rows read with problems" }
        #expect(warning?.level == .warning)
        let first = warning?.metadata["first"].map { "\($0)" } ?? ""
        #expect(first.contains("is not known") || first.contains("duplicate relationship rows"))
        #expect(Int(warning?.metadata["profiles"].map { "\($0)" } ?? "") ?? 0 >= contacts.count + oddKinds.count)
    }
}

/// A small deterministic generator (SplitMix64) so that a failing seed can be replayed.
struct SeededRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }

    mutating func pick<T>(_ values: [T]) -> T { values[next(values.count)] }
}
