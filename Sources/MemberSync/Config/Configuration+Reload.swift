import Foundation

extension Configuration {
    /// The keys a running service applies when SIGHUP re-reads the file; every other key takes effect
    /// at the next start.
    public static let keysAppliedOnReload: Set<String> = ["logging.level", "sync.poll_interval_ms"]

    /// The keys whose value differs in `reread` and that a running service applies only after a
    /// restart, in the file's order. Names only: the token is compared, never shown.
    public func keysNeedingRestart(toApply reread: Configuration) -> [String] {
        let current = Dictionary(keyedValues, uniquingKeysWith: { first, _ in first })
        var changed = reread.keyedValues.filter { key, value in current[key] != value }.map(\.0)
        if bigCommerce.accessToken != reread.bigCommerce.accessToken && !changed.contains("bigcommerce.access_token") {
            changed.append("bigcommerce.access_token")
        }
        return changed.filter { !Self.keysAppliedOnReload.contains($0) }
    }
}
