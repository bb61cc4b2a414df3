import Foundation

/// Records the store's orders of linked customers as rows of MC Trade's `profile_revenue`.
///
/// A pass lists `GET /v2/orders` with `min_date_modified` = the high-water mark minus the overlap,
/// sorted by id, 250 a page, until a short page (see `isLastPage`), so its cost is one request per page
/// of orders. It
/// then writes one row per order whose `customer_id` is linked to a profile (links of the state file),
/// and moves the mark forward only once every page is committed to MC Trade.
///
/// Decisions:
/// - **Every status is recorded**, with the store's status name (`Pending`, `Shipped`, `Refunded`,
///   `Cancelled`, ...) and `total_inc_tax` exactly as given. What counts as revenue is MC Trade's
///   business; a later change of status, total or refund updates the row in place.
/// - **Not recorded:** guest orders (`customer_id` 0) and orders of customers linked to no profile.
/// - **A customer linked by adoption or relink** (a shopper whose email a member has) may have
///   shopped before the link. The engine notes such customers in the state file with the link; every
///   pass then lists each noted customer's orders by `customer_id` (one request per 250 orders) and
///   records them, and only then drops the note.
/// - **Orders already recorded keep their profile** when the customer's link moves (see
///   `ProfileRevenueTable.write`).
///   Customers the agent created have no older orders and cost nothing.
/// - **The mark** is the newest `date_modified` the store returned, so it runs on the store's clock,
///   not the agent's. Before the first pass there is none and the agent's clock stands in: the service
///   records orders from its first start on, and `membersync revenue --since DATE` brings older ones.
/// - **The overlap** (`revenue.overlap_minutes`, default 10) lists again the orders modified shortly
///   before the mark: orders that the store saved with an earlier time but indexed late, and orders
///   modified in the same second as the mark. Orders seen twice cost nothing: they are de-duplicated
///   by id within a pass and written only when they differ from the row MC Trade holds.
/// - **The window is checked**: an order whose `date_modified` lies before the `min_date_modified` asked
///   for is ignored and logged, so that a store that silently ignored the filter (a date format it
///   did not apply) cannot make the agent record or mark anything from it.
/// - **Dates** go to the store as RFC 2822 in UTC (`Tue, 01 Dec 2026 05:00:00 +0000`), the format the
///   v2 filters document, and to MC Trade as ISO 8601 UTC with milliseconds, like its own times.
///
/// Crash safety: rows are upserted on `(source, order_id)` and the mark is advanced in the state file
/// only after the last page is committed. A crash anywhere in a pass leaves the mark where it was, so
/// the next pass lists the same orders again and rewrites the same rows: nothing lost, nothing twice.
/// The mark cannot advance page by page because pages are sorted by id, not by date. A pass whose
/// task is cancelled (the service stopping) stops before its next page: the pages committed stay, the
/// mark does not move.
public actor RevenueRecorder {
    /// Settings of the recorder that come from the configuration.
    public struct Options: Sendable {
        /// How far before the mark each listing starts; default 10 minutes.
        public var overlap: Duration = .seconds(600)
        /// Orders per page (the store's maximum is 250).
        public var pageSize = 250
        /// How long a write waits for MC Trade's own lock before the pass fails; default 2 s.
        public var busyTimeoutMilliseconds: Int32 = 2_000

        public init() {}
    }

    let store: any CustomerStore
    let state: StateStore
    let mctradePath: String
    let options: Options
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        store: any CustomerStore,
        state: sending StateStore,
        mctradePath: String,
        options: Options = Options(),
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.state = state
        self.mctradePath = mctradePath
        self.options = options
        self.logger = logger
        self.now = now
    }

    /// The live pass: orders modified since the high-water mark minus the overlap.
    public func recordRecentOrders(kind: RevenuePassResult.Kind = .live) async throws -> RevenuePassResult {
        let mark = try state.revenueMark() ?? now()
        return try await recordOrders(modifiedSince: mark.addingTimeInterval(-options.overlap.seconds), kind: kind)
    }

    /// Records every order modified at or after `since`, then moves the mark forward (never back).
    public func recordOrders(
        modifiedSince since: Date,
        kind: RevenuePassResult.Kind = .backfill
    ) async throws -> RevenuePassResult {
        let start = now()
        let started = ContinuousClock.now
        let since = Date(timeIntervalSince1970: since.timeIntervalSince1970.rounded(.down))
        var result = RevenuePassResult(kind: kind, since: since)
        let runID = try state.startRevenueRun(kind: kind, since: since)
        let requestsBefore = await orderRequests()
        do {
            let newest = try await listAndRecord(&result)
            logOutsideWindow(result)
            result.requests = await orderRequests() - requestsBefore
            let hadMark = try state.revenueMark() != nil
            // Before any mark, the pass's own start stands in, so that the next pass leaves no hole.
            let candidate = [newest, hadMark ? nil : start].compactMap { $0 }.max()
            result.mark = try candidate.map { try state.advanceRevenueMark(to: $0) } ?? state.revenueMark()
            try await recordOrdersOfNewlyLinkedCustomers(&result)
            result.requests = await orderRequests() - requestsBefore
            result.duration = ContinuousClock.now - started
            try state.finishRevenueRun(runID, result, error: nil)
            return result
        } catch {
            result.requests = await orderRequests() - requestsBefore
            result.duration = ContinuousClock.now - started
            result.mark = try? state.revenueMark()
            let stopped = error is CancellationError || Task.isCancelled
            try? state.finishRevenueRun(runID, result, error: "\(error)", stopped: stopped)
            throw error
        }
    }

    /// Whether a page of `count` orders, asked for `limit` a page, ends the listing. A page shorter than
    /// asked ends it, unless it holds a whole number of the store's default pages (50): the largest
    /// `limit` of `/v2/orders` (250) is documented only generically, and a store that served 50 a page
    /// whatever was asked would otherwise end every listing after its first page and lose the orders
    /// behind it for good (the mark moves past them). Such a page costs one more request, which
    /// answers empty when the listing was really over.
    static func isLastPage(_ count: Int, limit: Int) -> Bool {
        count < limit && (count == 0 || !count.isMultiple(of: defaultStorePageSize))
    }

    /// The page size of the store's listings when `limit` is not applied.
    static let defaultStorePageSize = 50

    /// Lists every page and commits each page's rows; returns the newest `date_modified` in the window.
    private func listAndRecord(_ result: inout RevenuePassResult) async throws -> Date? {
        let customerProfiles = try profilesByCustomer()
        let table = try ProfileRevenueTable(path: mctradePath, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        var seen = Set<Int>()
        var newest: Date?
        var page = 1
        while true {
            try Task.checkCancellation()
            let orders = try await store.orders(modifiedSince: result.since, page: page, limit: options.pageSize)
            result.pages += 1
            let fresh = orders.filter { seen.insert($0.id).inserted }
            if !orders.isEmpty && fresh.isEmpty {
                throw RevenueError.pageRepeated(
                    page: page,
                    listing: "the orders modified since \(RFC2822Date.format(result.since))"
                )
            }
            result.listed += fresh.count
            let rows = sort(fresh, into: &result, customerProfiles: customerProfiles, newest: &newest)
            let counts = try table.write(rows)
            result.inserted += counts.inserted
            result.updated += counts.updated
            result.unchanged += counts.unchanged
            if Self.isLastPage(orders.count, limit: options.pageSize) { return newest }
            page += 1
        }
    }

    /// Lists and records the orders of every customer noted as newly linked, and drops each note once
    /// its rows are committed. An order of another customer (a store that ignored the filter) is
    /// ignored.
    private func recordOrdersOfNewlyLinkedCustomers(_ result: inout RevenuePassResult) async throws {
        let owed = try state.customersOwedOrders()
        guard !owed.isEmpty else { return }
        let customerProfiles = try profilesByCustomer()
        let table = try ProfileRevenueTable(path: mctradePath, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        for (customerID, queuedAt) in owed {
            if let profileID = customerProfiles[customerID] {
                try await recordOrders(ofCustomer: customerID, profileID: profileID, into: table, &result)
            }
            try state.settleOrdersOwed(customerID: customerID, queuedAt: queuedAt)
            result.customersFetched += 1
        }
    }

    private func recordOrders(
        ofCustomer customerID: Int,
        profileID: Int,
        into table: ProfileRevenueTable,
        _ result: inout RevenuePassResult
    ) async throws {
        var page = 1
        var seen = Set<Int>()
        while true {
            try Task.checkCancellation()
            let orders = try await store.orders(customerID: customerID, page: page, limit: options.pageSize)
            result.pages += 1
            let fresh = orders.filter { seen.insert($0.id).inserted }
            if !orders.isEmpty && fresh.isEmpty {
                throw RevenueError.pageRepeated(page: page, listing: "the orders of customer \(customerID)")
            }
            let rows = fresh.filter { $0.customerID == customerID }.compactMap {
                RevenueRow(order: $0, profileID: profileID)
            }
            result.listed += fresh.count
            result.outsideWindow += fresh.count - rows.count
            let counts = try table.write(rows)
            result.inserted += counts.inserted
            result.updated += counts.updated
            result.unchanged += counts.unchanged
            if Self.isLastPage(orders.count, limit: options.pageSize) { return }
            page += 1
        }
    }

    /// The rows to record among `orders`; counts the others and keeps the newest in-window date.
    private func sort(
        _ orders: [StoreOrder],
        into result: inout RevenuePassResult,
        customerProfiles: [Int: Int],
        newest: inout Date?
    ) -> [RevenueRow] {
        var rows: [RevenueRow] = []
        for order in orders {
            guard let modified = UTCTimestamp.parse(order.dateModified), modified >= result.since,
                UTCTimestamp.parse(order.dateCreated) != nil
            else {
                result.outsideWindow += 1
                logger.debug(
                    "order outside the window asked for; ignored",
                    metadata: ["order.id": "\(order.id)", "order.date_modified": "\(order.dateModified)"]
                )
                continue
            }
            newest = max(newest ?? modified, modified)
            guard order.customerID != 0 else {
                result.guests += 1
                continue
            }
            guard let profileID = customerProfiles[order.customerID],
                let row = RevenueRow(order: order, profileID: profileID)
            else {
                result.unlinked += 1
                continue
            }
            rows.append(row)
        }
        return rows
    }

    /// Customer id → profile id, from the links of the state file.
    private func profilesByCustomer() throws -> [Int: Int] {
        var profiles: [Int: Int] = [:]
        for (profile, customer) in try state.links() { profiles[customer] = profile }
        return profiles
    }

    private func orderRequests() async -> Int {
        await store.requestCounts().byKind[StoreRequestKind.orders.rawValue] ?? 0
    }

    private func logOutsideWindow(_ result: RevenuePassResult) {
        guard result.outsideWindow > 0 else { return }
        logger.warning(
            "store returned orders outside the window asked for; ignored them",
            metadata: [
                "orders.outside": "\(result.outsideWindow)", "window.since": "\(RFC2822Date.format(result.since))",
            ]
        )
    }
}
