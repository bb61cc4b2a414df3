/// Why a profile is not uploaded, or what happened to it, as reported per profile.
///
/// The first six are sync-rules' codes. The rest name what the rules leave unsaid: profiles that
/// section 1 gives no group, and failures of the store.
public enum ReasonCode: String, Sendable, Codable, CaseIterable {
    case missingEmail = "missing_email"
    case invalidEmail = "invalid_email"
    case missingName = "missing_name"
    case duplicateEmail = "duplicate_email"
    case emailConflict = "email_conflict"
    case relinked
    /// Not live: inactive, deleted or merged into another profile.
    case notLive = "not_live"
    /// The profile's `kind` is neither `individual` nor `organization`: not known to be a person, so
    /// not uploaded, and a linked customer is left as it is until the kind is fixed.
    case unknownKind = "unknown_kind"
    /// Live, but section 1 gives no group (not a member, no qualifying organization, or non-members off).
    case noGroup = "no_group"
    /// The store refused the record (a 4xx); retried only when the profile changes or on `retry`.
    case storeRejected = "store_rejected"
    /// The store could not be reached or kept failing; retried on the next pass.
    case storeUnavailable = "store_unavailable"
    /// A create whose answer was lost, settled: the customer found by email was adopted, or none was
    /// found and the customer was created. Kept, like `relinked`, until the profile is planned again.
    case createInDoubt = "create_in_doubt"

    /// True for codes that mean a failure rather than a decision of the rules.
    public var isFailure: Bool {
        self == .storeRejected || self == .storeUnavailable
    }
}
