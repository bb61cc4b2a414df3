extension Logger {
    /// How severe an event is, from `trace` (most detail) to `critical`.
    public enum Level: String, CaseIterable, Comparable, CustomStringConvertible, Sendable {
        /// Rows and SQL.
        case trace
        /// Batch decisions, each retry and its delay.
        case debug
        /// Lifecycle events and per-run summaries.
        case info
        /// Degraded but running, and worth a look.
        case notice
        /// Degraded but running.
        case warning
        /// A cycle failed.
        case error
        /// The agent cannot go on.
        case critical

        /// Parses a configuration name (`trace` … `critical`), ignoring case.
        public init?(name: String) {
            self.init(rawValue: name.lowercased())
        }

        public var description: String { rawValue }

        private var severity: Int {
            Self.allCases.firstIndex(of: self)!
        }

        public static func < (lhs: Level, rhs: Level) -> Bool {
            lhs.severity < rhs.severity
        }
    }
}
