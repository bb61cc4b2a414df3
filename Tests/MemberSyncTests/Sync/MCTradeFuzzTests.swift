import Foundation
import MCTradeDemo
import SQLiteDB
import Testing

@testable import MemberSync

/// Hostile MC Trade rows: a copy of the tables without their constraints (as a careless export job
/// could make), filled with NULLs, wrong types, control characters, huge and odd text. The agent must
/// neither crash nor stop: every bad profile gets a report row, everything else is synced.
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
        try database.execute("INSERT INTO profile_changes (profile_id, entity, operation) VALUES (NULL, 'weird', NULL)")

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
        let second = try await engine.runChangePass()
        #expect(second.outcome == .ok || second.outcome == .partial)
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
