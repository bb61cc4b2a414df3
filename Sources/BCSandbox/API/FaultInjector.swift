import Foundation
import Synchronization

/// A misbehaviour the sandbox was told to show, as posted to `/__sandbox/faults`.
struct Fault: Sendable {
    enum Kind: String, Sendable {
        case status, dropResponse = "drop_response", latency
        case rateLimitWithoutHeaders = "rate_limit_without_headers", rateLimitAs500 = "rate_limit_as_500"
        case rejectEmail = "reject_email", lowercaseHeaders = "lowercase_headers"
        case putWithoutGroupResets = "put_without_group_resets"
    }

    var kind: Kind
    /// Requests it still applies to; nil = unlimited.
    var remaining: Int?
    var method: String?
    /// Matched against the end of the path after `/stores/{hash}`.
    var pathSuffix: String?
    var status = 500
    var echoesHeaders = false
    var extraHeaders: [(String, String)] = []
    var milliseconds = 0
    var email = ""
    var isEnabled = true

    /// Parses a fault object; the error text names what is wrong.
    init(json: [String: Any]) throws(FaultError) {
        guard let name = json["kind"] as? String, let kind = Kind(rawValue: name) else {
            throw FaultError(message: "unknown fault kind \(String(describing: json["kind"] ?? "nil"))")
        }
        self.kind = kind
        remaining = json["count"] as? Int
        method = (json["method"] as? String)?.uppercased()
        pathSuffix = json["path"] as? String
        status = json["status"] as? Int ?? 500
        echoesHeaders = json["echo_headers"] as? Bool ?? false
        extraHeaders = (json["headers"] as? [String: Any] ?? [:]).map { ($0.key, "\($0.value)") }
        milliseconds = json["ms"] as? Int ?? 0
        email = json["email"] as? String ?? ""
        isEnabled = json["enabled"] as? Bool ?? true
        try validate()
    }

    private func validate() throws(FaultError) {
        switch kind {
        case .status where !(100...599).contains(status): throw FaultError(message: "status must be 100-599")
        case .rejectEmail where email.isEmpty: throw FaultError(message: "reject_email needs an email")
        case .latency where milliseconds <= 0: throw FaultError(message: "latency needs ms > 0")
        default: break
        }
        if let remaining, remaining < 1 { throw FaultError(message: "count must be at least 1") }
    }

    func matches(method requestMethod: String, path: String) -> Bool {
        if let method, method != requestMethod { return false }
        if let pathSuffix, !path.hasSuffix(pathSuffix) { return false }
        return true
    }
}

/// A fault object that could not be understood.
struct FaultError: Error, CustomStringConvertible {
    let message: String
    var description: String { "invalid fault: \(message)" }
}

/// The faults in force, consumed as matching requests arrive.
final class FaultInjector: Sendable {
    private let faults = Mutex([Fault]())

    /// Adds `fault`. A disabled `reject_email` lifts the earlier rejections of its email instead of adding one.
    func add(_ fault: Fault) {
        faults.withLock { faults in
            guard fault.kind == .rejectEmail, !fault.isEnabled else { return faults.append(fault) }
            faults.removeAll { $0.kind == .rejectEmail && $0.email.lowercased() == fault.email.lowercased() }
        }
    }

    func clear() { faults.withLock { $0.removeAll() } }

    /// Takes one use of the first fault of one of `kinds` matching the request, if any.
    func take(_ kinds: Set<Fault.Kind>, method: String, path: String) -> Fault? {
        faults.withLock { faults in
            guard
                let index = faults.firstIndex(where: {
                    kinds.contains($0.kind) && $0.matches(method: method, path: path)
                })
            else { return nil }
            let fault = faults[index]
            if let remaining = fault.remaining {
                if remaining <= 1 { faults.remove(at: index) } else { faults[index].remaining = remaining - 1 }
            }
            return fault
        }
    }

    /// Whether a switch-like fault (`lowercase_headers`, `put_without_group_resets`) is on.
    func isEnabled(_ kind: Fault.Kind) -> Bool {
        faults.withLock { faults in faults.last { $0.kind == kind }?.isEnabled ?? false }
    }

    /// The first email of `emails` that a `reject_email` fault matching the request refuses (compared without
    /// case), taking one use of that fault.
    func takeRejectedEmail(in emails: [String], method: String, path: String) -> String? {
        faults.withLock { faults in
            for (index, fault) in faults.enumerated()
            where fault.kind == .rejectEmail && fault.matches(method: method, path: path) {
                let refused = fault.email.lowercased()
                guard let email = emails.first(where: { $0.lowercased() == refused }) else { continue }
                if let remaining = fault.remaining {
                    if remaining <= 1 { faults.remove(at: index) } else { faults[index].remaining = remaining - 1 }
                }
                return email
            }
            return nil
        }
    }
}
