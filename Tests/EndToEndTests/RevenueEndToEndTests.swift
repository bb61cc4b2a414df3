import BCSandbox
import Foundation
import MemberSync
import SQLiteDB
import Testing

/// Store orders recorded in MC Trade's `profile_revenue` by the built `membersync`, against the sandbox.
@Suite(.serialized)
struct RevenueEndToEndTests {
    /// Two members synced to the store (so linked), and a shopper who is in the store only.
    struct Association {
        let workspace: EndToEndWorkspace
        let ada: Int
        let ben: Int
        let shopper: Int
    }

    func makeAssociation(extraConfig: [String: Any] = [:], sync: Bool = true) async throws -> Association {
        let workspace = try await EndToEndWorkspace(extraConfig: extraConfig)
        let db = workspace.mctrade
        try db.insertIndividual(id: 1, firstName: "Ada", lastName: "Kovacs", email: "ada@example.test", isMember: true)
        try db.insertIndividual(id: 2, firstName: "Ben", lastName: "Ortiz", email: "ben@example.test", isMember: true)
        if sync {
            let output = try await workspace.membersync("sync")
            #expect(output.status == 0, "\(output.all)")
        }
        let shopper = try await workspace.admin.createCustomers([
            SandboxCustomerSeed(email: "shopper@example.test", firstName: "Sam", lastName: "Shopper")
        ])[0]
        let dump = try await workspace.admin.dump()
        return Association(
            workspace: workspace,
            ada: dump.customer(email: "ada@example.test")?.id ?? -1,
            ben: dump.customer(email: "ben@example.test")?.id ?? -1,
            shopper: shopper
        )
    }

    func rows(_ workspace: EndToEndWorkspace) throws -> [Int: [String: SQLiteValue]] {
        var rows: [Int: [String: SQLiteValue]] = [:]
        for row in try workspace.mctrade.revenueRows() { rows[row["order_id"]?.int ?? -1] = row }
        return rows
    }

    func orderRequests(_ workspace: EndToEndWorkspace) async throws -> Int {
        try await workspace.admin.requests().filter { $0.path.hasSuffix("/v2/orders") }.count
    }

    @discardableResult
    func revenue(_ workspace: EndToEndWorkspace, _ words: String...) async throws -> ProcessOutput {
        let output = try await ChildProcess.run("membersync", ["revenue"] + words + ["--config", workspace.configPath])
        #expect(output.status == 0, "\(output.all)")
        return output
    }

    static func isoDay(offset: Int) -> String { CalendarDayText.day(offset: offset) + "T08:00:00Z" }

    @Test func ordersOfLinkedCustomersAreRecordedGuestsIgnoredAndChangesUpdatedInPlace() async throws {
        let association = try await makeAssociation()
        let admin = association.workspace.admin
        let adaOrder = try await admin.createOrder(customerID: association.ada, totalIncTax: "49.95", statusID: 11)
        let benOrder = try await admin.createOrder(
            customerID: association.ben,
            totalIncTax: "120",
            statusID: 7,
            currencyCode: "EUR"
        )
        _ = try await admin.createOrder(customerID: 0, totalIncTax: "15.00")
        _ = try await admin.createOrder(customerID: association.shopper, totalIncTax: "30.00")

        try await revenue(association.workspace)
        var rows = try self.rows(association.workspace)
        #expect(rows.keys.sorted() == [adaOrder, benOrder])
        let ada = try #require(rows[adaOrder])
        #expect(ada["profile_id"] == .integer(1))
        #expect(ada["customer_id"] == .integer(Int64(association.ada)))
        #expect(ada["status"] == .text("Awaiting Fulfillment"))
        #expect(ada["total_inc_tax"] == .text("49.9500"))
        #expect(ada["currency_code"] == .text("USD"))
        #expect(ada["ordered_at"]?.string?.hasSuffix(".000Z") == true)
        #expect(rows[benOrder]?["currency_code"] == .text("EUR"))

        try await admin.updateOrder(id: adaOrder, fields: ["status_id": 4, "total_inc_tax": "0.00"])
        try await admin.updateOrder(id: benOrder, fields: ["status_id": 14, "total_inc_tax": "80.00"])
        try await revenue(association.workspace)
        rows = try self.rows(association.workspace)
        #expect(rows.count == 2)
        #expect(rows[adaOrder]?["status"] == .text("Refunded"))
        #expect(rows[adaOrder]?["total_inc_tax"] == .text("0.0000"))
        #expect(rows[benOrder]?["status"] == .text("Partially Refunded"))
        #expect(rows[benOrder]?["total_inc_tax"] == .text("80.0000"))
    }

    @Test func killedInTheMiddleOfAListingLosesNothingAndRecordsNothingTwice() async throws {
        let association = try await makeAssociation()
        let workspace = association.workspace
        let admin = workspace.admin
        let customers = [association.ada, association.ben, 0, association.shopper]
        var linked: [Int] = []
        for index in 0..<610 {
            let customer = customers[index % 4]
            let id = try await admin.createOrder(
                customerID: customer,
                totalIncTax: "\(index).00",
                dateCreated: Self.isoDay(offset: -2)
            )
            if customer == association.ada || customer == association.ben { linked.append(id) }
        }
        let firstPage = linked.filter { $0 <= linked[0] + 249 }.count

        // Page 1 answers at once; page 2 hangs long enough for the kill.
        try await admin.addFault(["kind": "latency", "ms": 1, "count": 1, "path": "/v2/orders"])
        try await admin.addFault(["kind": "latency", "ms": 8_000, "count": 1, "path": "/v2/orders"])
        let process = try workspace.startMembersync("revenue", "--since", CalendarDayText.day(offset: -3))
        let pageCommitted = try await waitUntil(timeout: 20) { try workspace.mctrade.revenueRows().count == firstPage }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(pageCommitted)
        #expect(try StateStore(path: workspace.statePath).revenueMark() == nil)

        try await admin.clearFaults()
        try await admin.updateOrder(id: linked[0], fields: ["status_id": 5])
        try await admin.clearRequests()
        let rerun = try await revenue(workspace, "--since", CalendarDayText.day(offset: -3))
        let rows = try workspace.mctrade.revenueRows()
        #expect(rows.compactMap { $0["order_id"]?.int } == linked)
        #expect(try self.rows(workspace)[linked[0]]?["status"] == .text("Cancelled"))
        #expect(try await orderRequests(workspace) == 3, "610 orders take 3 pages")
        #expect(rerun.standardOutput.contains("610 orders in 3 pages, 3 store requests"), "\(rerun.standardOutput)")

        try await admin.clearRequests()
        let live = try await revenue(workspace)
        #expect(try await orderRequests(workspace) == 1)
        #expect(live.standardOutput.contains("1 orders in 1 pages"), "\(live.standardOutput)")
    }

    @Test func backfillGivesExactlyTheRowsTheLivePathGave() async throws {
        let association = try await makeAssociation()
        let workspace = association.workspace
        let admin = workspace.admin
        var orders: [Int] = []
        for customer in [association.ada, 0, association.ben] {
            orders.append(try await admin.createOrder(customerID: customer, totalIncTax: "10.00"))
        }
        try await revenue(workspace)
        orders.append(try await admin.createOrder(customerID: association.ada, totalIncTax: "25.50", statusID: 1))
        orders.append(try await admin.createOrder(customerID: association.shopper, totalIncTax: "7.00"))
        try await admin.updateOrder(id: orders[0], fields: ["status_id": 10, "total_inc_tax": "12.00"])
        try await revenue(workspace)
        try await admin.updateOrder(id: orders[3], fields: ["status_id": 2])
        try await admin.updateOrder(id: orders[2], fields: ["status_id": 5, "total_inc_tax": "0"])
        try await revenue(workspace)
        let live = try workspace.mctrade.revenueRows()
        #expect(live.count == 3)

        try workspace.mctrade.execute("DELETE FROM profile_revenue")
        try await revenue(workspace, "--since", CalendarDayText.day(offset: -1))
        #expect(try workspace.mctrade.revenueRows() == live)
    }

    @Test func aOneShotFullSyncRecordsOrdersAndThoseAShopperPlacedBeforeBeingAdopted() async throws {
        let association = try await makeAssociation()
        let workspace = association.workspace
        let admin = workspace.admin
        let oldOrder = try await admin.createOrder(
            customerID: association.shopper,
            totalIncTax: "30.00",
            dateCreated: Self.isoDay(offset: -3)
        )
        let adaOrder = try await admin.createOrder(customerID: association.ada, totalIncTax: "49.95")
        let dryRun = try await workspace.membersync("sync", "--full", "--dry-run")
        #expect(dryRun.status == 0, "\(dryRun.all)")
        #expect(try self.rows(workspace).isEmpty, "a dry run records nothing")

        // The shopper becomes a member: the full sync adopts the customer and brings its older order.
        try workspace.mctrade.insertMember(3, "Sam", "Shopper", email: "shopper@example.test")
        try await admin.clearRequests()
        let full = try await workspace.membersync("sync", "--full")
        #expect(full.status == 0, "\(full.all)")
        #expect(full.standardOutput.contains("revenue (full)"), "\(full.standardOutput)")
        let rows = try self.rows(workspace)
        #expect(rows.keys.sorted() == [oldOrder, adaOrder])
        #expect(rows[oldOrder]?["profile_id"] == .integer(3))
        #expect(rows[oldOrder]?["customer_id"] == .integer(Int64(association.shopper)))
        #expect(rows[adaOrder]?["profile_id"] == .integer(1))
        let byCustomer = try await admin.requests().filter {
            $0.path.hasSuffix("/v2/orders") && $0.query.contains("customer_id=\(association.shopper)")
        }
        #expect(byCustomer.count == 1, "one listing for the one adopted customer")

        // Noted once: the next pass does not list the customer again.
        try await admin.clearRequests()
        try await revenue(workspace)
        #expect(try await orderRequests(workspace) == 1)
    }

    @Test func serviceRecordsANewOrderWithinItsPollIntervalAndFollowsChanges() async throws {
        let association = try await makeAssociation(
            extraConfig: ["revenue": ["poll_interval_seconds": 1], "sync": ["poll_interval_ms": 200]]
        )
        let workspace = association.workspace
        let service = try workspace.startMembersync("run")
        defer { if service.isRunning { service.terminate() } }

        let placedAt = Date()
        let order = try await workspace.admin.createOrder(customerID: association.ada, totalIncTax: "64.00")
        #expect(try await waitUntil(timeout: 10) { try self.rows(workspace)[order] != nil })
        let latency = Date().timeIntervalSince(placedAt)
        #expect(latency < 5, "the order took \(latency) s to reach MC Trade")

        try await workspace.admin.updateOrder(id: order, fields: ["status_id": 10])
        #expect(try await waitUntil(timeout: 10) { try self.rows(workspace)[order]?["status"] == .text("Completed") })
        kill(service.processIdentifier, SIGTERM)
        service.waitUntilExit()
        #expect(service.terminationStatus == 0)
    }
}
