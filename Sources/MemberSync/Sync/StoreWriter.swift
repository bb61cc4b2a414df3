/// What became of one record sent to the store.
enum WriteOutcome: Sendable {
    /// The store accepted it and holds this customer now.
    case accepted(StoreCustomer)
    /// The store refused this very record (isolated by splitting the batch).
    case refused(StoreError)
    /// The request failed for reasons that say nothing about the record (5xx, transport, auth).
    case failed(StoreError)
    /// A create whose answer was lost: the customer may exist.
    case inDoubt(StoreError)
    /// The customer to update no longer exists in the store.
    case vanished
    /// The pass was stopped (SIGTERM, SIGINT) before the store answered: not a failure, the write stays
    /// owed. `mayHaveLanded` for a create that was on its way: it stays in doubt (looked up before it is
    /// sent again).
    case abandoned(mayHaveLanded: Bool)

    /// The store refused this very record.
    var isRefusal: Bool {
        if case .refused = self { return true }
        return false
    }
}

/// Sends creates and updates in batches, splitting a refused batch until the refused records stand
/// alone, so that one bad record never sinks the others.
struct StoreWriter: Sendable {
    let store: any CustomerStore

    /// Sends one batch of updates; returns an outcome per update, in order.
    func send(updates: [PlannedUpdate]) async -> [(PlannedUpdate, WriteOutcome)] {
        do {
            let answered = try await store.updateCustomers(
                updates.map { CustomerUpdate(customerID: $0.customerID, record: $0.record) }
            )
            let byID = Dictionary(answered.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return updates.map { update in
                (
                    update,
                    .accepted(byID[update.customerID] ?? StoreCustomer(id: update.customerID, record: update.record))
                )
            }
        } catch let error as StoreError {
            switch error {
            case .rejected, .notFound:
                if updates.count > 1 { return await split(updates) { await send(updates: $0) } }
                return [(updates[0], await isolatedUpdateOutcome(updates[0], error: error))]
            default:
                return updates.map { ($0, .failed(error)) }
            }
        } catch is CancellationError {
            return updates.map { ($0, .abandoned(mayHaveLanded: true)) }
        } catch {
            let wrapped = StoreError.unavailable(endpoint: "PUT /v3/customers", attempts: 1, lastError: "\(error)")
            return updates.map { ($0, .failed(wrapped)) }
        }
    }

    /// Sends one batch of creates; returns an outcome per create, in order.
    func send(creates: [PlannedCreate]) async -> [(PlannedCreate, WriteOutcome)] {
        do {
            let answered = try await store.createCustomers(creates.map(\.record))
            var byKey: [String: StoreCustomer] = [:]
            for customer in answered { byKey[customer.record.emailKey] = customer }
            return creates.map { create in
                guard let customer = byKey[create.record.emailKey] else {
                    let error = StoreError.invalidResponse(
                        endpoint: "POST /v3/customers",
                        detail: "the answer lacks the customer created for profile \(create.profileID)"
                    )
                    return (create, .inDoubt(error))
                }
                return (create, .accepted(customer))
            }
        } catch let error as StoreError {
            switch error {
            case .rejected:
                if creates.count > 1 { return await split(creates) { await send(creates: $0) } }
                return [(creates[0], .refused(error))]
            case .createInDoubt where Task.isCancelled:
                return creates.map { ($0, .abandoned(mayHaveLanded: true)) }
            case .createInDoubt, .invalidResponse:
                return creates.map { ($0, .inDoubt(error)) }
            default:
                return creates.map { ($0, .failed(error)) }
            }
        } catch is CancellationError {
            // Stopped while waiting for a turn: the client throws this only before the request is sent.
            return creates.map { ($0, .abandoned(mayHaveLanded: false)) }
        } catch {
            let wrapped = StoreError.createInDoubt(endpoint: "POST /v3/customers", underlying: "\(error)")
            return creates.map { ($0, .inDoubt(wrapped)) }
        }
    }

    /// A single update the store refused: gone from the store, or refused for its data.
    func isolatedUpdateOutcome(_ update: PlannedUpdate, error: StoreError) async -> WriteOutcome {
        if case .notFound = error { return .vanished }
        do {
            let found = try await store.customers(withIDs: [update.customerID])
            return found.isEmpty ? .vanished : .refused(error)
        } catch let lookupError as StoreError {
            return .failed(lookupError)
        } catch is CancellationError {
            return .abandoned(mayHaveLanded: true)
        } catch {
            return .refused(
                error as? StoreError
                    ?? .rejected(endpoint: "PUT /v3/customers", status: 422, title: "\(error)", errors: [:])
            )
        }
    }

    func split<Item: Sendable>(
        _ items: [Item],
        _ send: ([Item]) async -> [(Item, WriteOutcome)]
    ) async -> [(Item, WriteOutcome)] {
        let middle = items.count / 2
        let first = await send(Array(items[..<middle]))
        let second = await send(Array(items[middle...]))
        return first + second
    }
}
