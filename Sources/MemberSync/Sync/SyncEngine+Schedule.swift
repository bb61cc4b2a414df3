import Foundation

extension SyncEngine {
    /// Why a full sync should run now, if one should: owed (first start, gap, settings change, crash),
    /// requested by `sync --full` while the service runs, or the daily time has come.
    public func fullSyncDue() throws -> String? {
        if let owed = try fullSyncOwed() { return owed }
        if let requested = try state.meta(MetaKey.fullSyncRequested) { return "requested: \(requested)" }
        guard let settings = try source.readSettings(), let scheduled = lastScheduledTime(settings.autoSyncTime)
        else { return nil }
        let lastStart = try state.meta(MetaKey.lastFullSyncStarted).flatMap(ISO8601.date(from:)) ?? .distantPast
        return lastStart < scheduled ? "daily full sync at \(settings.autoSyncTime)" : nil
    }

    /// True (once) when an operator asked the service for a pass past the safety rails.
    public func takeForceRequest() -> Bool {
        guard (try? state.meta(MetaKey.forceRequested)) ?? nil != nil else { return false }
        try? state.setMeta(MetaKey.forceRequested, nil)
        return true
    }

    /// True while an operator's request (a full sync, a forced pass) waits for the service.
    public func hasOperatorRequest() -> Bool {
        ((try? state.meta(MetaKey.fullSyncRequested)) ?? nil) != nil
            || ((try? state.meta(MetaKey.forceRequested)) ?? nil) != nil
    }

    /// Asks the running service for a full sync (MC Trade's "Upload Profiles" button).
    public func requestFullSync(by requester: String) throws {
        try state.setMeta(MetaKey.fullSyncRequested, requester)
    }

    /// The latest moment at or before now that matches `HH:MM` in the configured time zone.
    func lastScheduledTime(_ time: String) -> Date? {
        let parts = time.split(separator: ":").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count >= 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = options.timeZone
        let current = now()
        guard let today = calendar.date(bySettingHour: parts[0], minute: parts[1], second: 0, of: current) else {
            return nil
        }
        return today <= current ? today : calendar.date(byAdding: .day, value: -1, to: today)
    }

    /// The next daily full sync after now, for `status`.
    public func nextScheduledFullSync() throws -> Date? {
        guard let settings = try source.readSettings(), let last = lastScheduledTime(settings.autoSyncTime) else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = options.timeZone
        return calendar.date(byAdding: .day, value: 1, to: last)
    }
}
