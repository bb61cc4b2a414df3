import BCSandbox
import Foundation
import MemberSync
import Testing

/// Owned fields edited in the store, through the real API over loopback HTTP: what the rules would
/// have cleaned up on MC Trade's side is still drift on the store's side (sync-rules sections 0, 4, 5).
@Suite(.serialized)
struct StoreDriftEndToEndTests {
    static let longPhone = String(repeating: "5", count: 60)
    static let hundredKs = String(repeating: "K", count: 100)

    @Test func storeEditsThatTheRulesWouldTrimOrCutAreSetBackAndALeaveKeepsTheStoresValues() async throws {
        let workspace = try await EndToEndWorkspace()
        try member(1, "Ada", "Kovacs", phone: "555-0101", in: workspace)
        try member(2, "Ben", "Okafor", phone: "555-0102", in: workspace)
        try member(3, "Cy", "Lam", in: workspace)
        try member(4, "Dee", "Ng", in: workspace)
        try member(5, "Eve", Self.hundredKs, in: workspace)
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        // Each edit alone: the rules' trimming and cutting would make it look like what is wanted.
        try await edit("ada@example.test", ["first_name": " Ada"], in: workspace)
        try await edit("dee@example.test", ["phone": Self.longPhone], in: workspace)
        try await edit("eve@example.test", ["last_name": Self.hundredKs + "ov"], in: workspace)
        try await edit(
            "ben@example.test",
            ["first_name": " Ben ", "company": "Own Co", "phone": "555 x9"],
            in: workspace
        )
        try await edit("cy@example.test", ["phone": Self.longPhone], in: workspace)
        try workspace.mctrade.updateProfile(id: 2, set: ["is_member": 0])
        try workspace.mctrade.updateProfile(id: 3, set: ["is_member": 0])

        // Two of five members leaving is over the removal rail's share: the operator says it is right.
        let output = try await workspace.membersync("sync", "--full", "--force")
        #expect(output.status == 0, "\(output.all)")
        #expect(try await customer("ada@example.test", in: workspace)?.firstName == "Ada")
        #expect(try await customer("dee@example.test", in: workspace)?.phone == "")
        #expect(try await customer("eve@example.test", in: workspace)?.lastName == Self.hundredKs)
        let ben = try #require(try await customer("ben@example.test", in: workspace))
        #expect(ben.customerGroupID == 0)
        #expect(ben.firstName == " Ben ")
        #expect(ben.lastName == "Okafor")
        #expect(ben.company == "Own Co")
        #expect(ben.phone == "555 x9")
        // A phone longer than the store takes on a write cannot be carried back: the leave sends it as
        // the rules would, and lands.
        let cy = try #require(try await customer("cy@example.test", in: workspace))
        #expect(cy.customerGroupID == 0)
        #expect(cy.phone == "")
        #expect(cy.firstName == "Cy")

        try await workspace.admin.clearRequests()
        #expect(try await workspace.membersync("sync", "--full").status == 0)
        let again = try await workspace.admin.requests()
        #expect(again.allSatisfy { $0.method == "GET" }, "\(again.map { "\($0.method) \($0.path)" })")
    }

    func member(_ id: Int, _ first: String, _ last: String, phone: String? = nil, in workspace: EndToEndWorkspace)
        throws
    {
        try workspace.mctrade.insertIndividual(
            id: id,
            firstName: first,
            lastName: last,
            email: "\(first.lowercased())@example.test",
            phone: phone,
            isMember: true
        )
    }

    func edit(_ email: String, _ fields: [String: Any], in workspace: EndToEndWorkspace) async throws {
        let id = try #require(try await customer(email, in: workspace)?.id)
        try await workspace.admin.updateCustomer(id: id, fields: fields)
    }

    func customer(_ email: String, in workspace: EndToEndWorkspace) async throws -> SandboxDump.Customer? {
        try await workspace.admin.dump().customers.first { $0.email == email }
    }
}
