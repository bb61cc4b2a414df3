import BCSandbox
import Foundation
import MemberSync
import Testing

/// Settings that are incomplete, met by the built `membersync sync` on the change path (sync-rules
/// section 1): nothing written, exit 1 with the reason, and the changes wait for the settings' fix.
@Suite(.serialized)
struct SettingsEndToEndTests {
    @Test func incompleteSettingsStopTheChangePathWithExitOneUntilFixed() async throws {
        let workspace = try await EndToEndWorkspace()
        try workspace.mctrade.insertMember(1, "Ada", "Kovacs", email: "ada@example.test")
        #expect(try await workspace.membersync("sync").status == 0)
        try workspace.mctrade.updateProfile(id: 1, set: ["last_name": "Kovacs-Lee"])
        let before = try await workspace.admin.dump().customers
        try await workspace.admin.clearRequests()

        let incomplete: [(reason: String, apply: () throws -> Void)] = [
            ("member_group_id", { try workspace.mctrade.setSettings(memberGroupID: nil, nonmemberGroupID: 3) }),
            (
                "nonmember_group_id",
                {
                    try workspace.mctrade.setSettings(
                        memberGroupID: 4,
                        nonmemberGroupID: nil,
                        includeIndividualNonmembers: true
                    )
                }
            ),
            ("99", { try workspace.mctrade.setSettings(memberGroupID: 99, nonmemberGroupID: 3) }),
        ]
        for (reason, apply) in incomplete {
            try apply()
            let output = try await workspace.membersync("sync")
            #expect(output.status == 1, "\(reason): \(output.all)")
            #expect(output.standardError.contains(reason), "\(output.standardError)")
            #expect(output.standardError.contains("nothing was written"), "\(output.standardError)")
        }
        #expect(try await workspace.admin.requests().allSatisfy { $0.method == "GET" })
        #expect(try await workspace.admin.dump().customers == before)

        try workspace.mctrade.setSettings(memberGroupID: 4, nonmemberGroupID: 3)
        let fixed = try await workspace.membersync("sync")
        #expect(fixed.status == 0, "\(fixed.all)")
        let ada = try await workspace.admin.dump().customers.first { $0.email == "ada@example.test" }
        #expect(ada?.lastName == "Kovacs-Lee")
        #expect(ada?.customerGroupID == 4)
    }
}
