import Foundation
import MCTradeDemo
import SQLiteDB

/// Random edits of MC Trade profiles written from a connection of its own while other things happen
/// (the agent running, being killed, starting again), as MC Trade users keep saving.
enum ChangeStream {
    /// What the stream wrote.
    struct Outcome: Sendable {
        var changes = 0
        /// Every email the stream gave each profile, trimmed and lower-cased.
        var emailsGiven: [Int: Set<String>] = [:]
    }

    /// Starts editing `profiles` of the MC Trade file at `path`, one edit per pause drawn from
    /// `pauseMilliseconds`: a last name, a phone, a new email (unique to the profile), and now and
    /// then membership. Cancel the task to stop it; its value says what was written.
    static func start(path: String, profiles: [Int], pauseMilliseconds: ClosedRange<Int>) -> Task<Outcome, Error> {
        Task.detached {
            let database = try MCTradeDatabase(path: path)
            var random = SystemRandomNumberGenerator()
            var outcome = Outcome()
            while !Task.isCancelled {
                let id = profiles[Int.random(in: 0..<profiles.count, using: &random)]
                try edit(id, number: outcome.changes, in: database, outcome: &outcome, random: &random)
                outcome.changes += 1
                try? await Task.sleep(for: .milliseconds(Int.random(in: pauseMilliseconds, using: &random)))
            }
            return outcome
        }
    }

    private static func edit(
        _ id: Int,
        number: Int,
        in database: MCTradeDatabase,
        outcome: inout Outcome,
        random: inout SystemRandomNumberGenerator
    ) throws {
        // Membership changes are kept rare: group removals beyond the guard rail's share would
        // (rightly) hold the change path back.
        switch Int.random(in: 0..<8, using: &random) {
        case 0...2: try database.updateProfile(id: id, set: ["last_name": .text("Edit\(number)-\(id)")])
        case 3...4: try database.updateProfile(id: id, set: ["phone": .text("555-\(number)")])
        case 5...6:
            let email = "moved\(number).\(id)@example.test"
            try database.updateProfile(id: id, set: ["email": .text(email)])
            outcome.emailsGiven[id, default: []].insert(email)
        default:
            try database.updateProfile(id: id, set: ["is_member": .integer(Int64.random(in: 0...1, using: &random))])
        }
    }
}
