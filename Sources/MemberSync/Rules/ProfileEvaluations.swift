/// Evaluations by profile id, held as one array sorted by id: a dictionary of 50,000 evaluations
/// would be more than half empty buckets, each as wide as an evaluation.
public struct ProfileEvaluations: Sendable {
    /// Every evaluation, ascending by profile id, one per id.
    public private(set) var values: [ProfileEvaluation]

    /// The evaluations in any order; of two for the same profile the later is kept.
    public init(_ evaluations: [ProfileEvaluation]) {
        // Read in profile id order, they are usually sorted already: then the array is kept as it is.
        if zip(evaluations, evaluations.dropFirst()).allSatisfy({ $0.profileID < $1.profileID }) {
            values = evaluations
            return
        }
        var sorted = evaluations
        sorted.sort { $0.profileID < $1.profileID }
        var unique: [ProfileEvaluation] = []
        unique.reserveCapacity(sorted.count)
        for evaluation in sorted {
            if unique.last?.profileID == evaluation.profileID {
                unique[unique.count - 1] = evaluation
            } else {
                unique.append(evaluation)
            }
        }
        values = unique
    }

    public init(_ evaluations: [Int: ProfileEvaluation]) {
        self.init(Array(evaluations.values))
    }

    public var count: Int { values.count }

    public var isEmpty: Bool { values.isEmpty }

    /// Profile ids, ascending.
    public var profileIDs: [Int] { values.map(\.profileID) }

    /// The evaluation of a profile, or nil when the profile was not evaluated.
    public subscript(profileID: Int) -> ProfileEvaluation? {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle].profileID < profileID { low = middle + 1 } else { high = middle }
        }
        return low < values.count && values[low].profileID == profileID ? values[low] : nil
    }
}
