import Foundation

/// The parts a command works with, built from the configuration: logger, store client, MC Trade
/// reader, state file and engine.
public struct AgentContext: Sendable {
    public let configuration: Configuration
    public let logger: Logger
    public let store: BigCommerceClient
    public let source: MCTradeSource

    /// A stand-in for a missing access token, for commands that never call the store (`offline`):
    /// the store would refuse it, and it is no secret.
    static let offlineToken = "no-access-token-offline"

    /// Builds the parts that need no file: logger (with the token redacted) and store client.
    /// `logLevel` overrides `logging.level` (the service passes `trace` and filters in its handler);
    /// `onStoreEvent` hears every store client event after it is logged.
    /// `offline`: the command never calls the store, so a configuration loaded without a token is
    /// accepted and its client gets `offlineToken`.
    public init(
        configuration: Configuration,
        logHandler: (any LogHandler)? = nil,
        logLevel: Logger.Level? = nil,
        offline: Bool = false,
        onStoreEvent: (@Sendable (StoreClientEvent) -> Void)? = nil
    ) throws {
        self.configuration = configuration
        var token = configuration.bigCommerce.accessToken.exposedValue
        if offline && token.isEmpty { token = Self.offlineToken }
        var logger = Logger(
            label: "membersync",
            level: logLevel ?? configuration.logging.level,
            handler: logHandler ?? StreamLogHandler()
        )
        logger = logger.redacting([token])
        self.logger = logger
        for warning in configuration.warnings {
            logger.warning("configuration", metadata: ["warning": "\(warning)"])
        }
        let clientLogger = logger
        store = try BigCommerceClient(
            configuration: BigCommerceClient.Configuration(
                apiURL: configuration.bigCommerce.apiURL,
                storeHash: configuration.bigCommerce.storeHash,
                accessToken: token,
                rateLimitReserve: configuration.bigCommerce.rateLimitReserve
            ),
            onEvent: { event in
                AgentContext.log(event, to: clientLogger)
                onStoreEvent?(event)
            }
        )
        source = MCTradeSource(path: configuration.mctradeDatabasePath)
    }

    /// Makes an engine on an open state file; `onProgress` hears how far a pass's writes have come.
    public func makeEngine(
        state: sending StateStore,
        onProgress: (@Sendable (SyncProgress) -> Void)? = nil
    ) -> SyncEngine {
        var options = SyncEngine.Options()
        options.graceDays = configuration.membership.graceDays
        options.timeZone = configuration.timeZone
        options.enforceGroups = configuration.sync.enforceGroups
        options.maxGroupRemovalShare = configuration.sync.maxGroupRemovalShare
        options.batchSize = configuration.sync.batchSize
        options.onProgress = onProgress
        return SyncEngine(source: source, state: state, store: store, options: options, logger: logger)
    }

    /// Opens the state file, creating it when missing: for the commands that sync. Throws
    /// `StateDirectoryMissing` when its directory does not exist.
    public func openState() throws -> StateStore {
        try StateDirectoryMissing.check(path: configuration.stateDatabasePath)
        return try StateStore(path: configuration.stateDatabasePath)
    }

    /// Where a dry run keeps its state so as not to create the state file: nil when the file exists
    /// (a dry-run pass writes nothing to it), else a new temporary path, where an empty state is
    /// made and later removed with `removeScratchState(at:)`.
    // TODO: opening an existing state file still upgrades its schema (and turns WAL on); a dry run
    // right after an upgrade, beside an older service, writes that upgrade. A read-only open without
    // migration would avoid it; it matters only in the minutes between an upgrade and the restart.
    public func dryRunScratchPath() -> String? {
        guard !FileManager.default.fileExists(atPath: configuration.stateDatabasePath) else { return nil }
        return FileManager.default.temporaryDirectory
            .appendingPathComponent("membersync-dry-run-\(UUID().uuidString).sqlite").path
    }

    /// Removes a dry run's temporary state file and its SQLite side files.
    public static func removeScratchState(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Opens a state file that must already exist: for the commands that read what the agent did,
    /// so that a wrong `state.database` is an error, not a new empty file.
    public func openExistingState() throws -> StateStore {
        try Self.openExistingState(path: configuration.stateDatabasePath)
    }

    static func openExistingState(path: String) throws -> StateStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StateFileMissing(path: path) }
        return try StateStore(path: path)
    }

    static func log(_ event: StoreClientEvent, to logger: Logger) {
        switch event {
        case .requestFinished(let method, let path, let kind, let status, let duration, let attempt):
            logger.debug(
                "store request",
                metadata: [
                    "http.method": "\(method)", "http.path": "\(path)", "request.kind": "\(kind.rawValue)",
                    "http.status": "\(status.map(String.init) ?? "none")", "duration.ms": "\(duration.milliseconds)",
                    "retry.attempt": "\(attempt)",
                ]
            )
        case .waitingForQuota(let milliseconds, let reason):
            logger.debug(
                "waiting for the store's quota",
                metadata: ["wait.ms": "\(milliseconds)", "reason": "\(reason.rawValue)"]
            )
        case .retrying(let method, let path, let attempt, let delay, let errorKind):
            logger.notice(
                "retrying store request",
                metadata: [
                    "http.method": "\(method)", "http.path": "\(path)", "retry.attempt": "\(attempt)",
                    "retry.delay.ms": "\(delay.milliseconds)", "error.kind": "\(errorKind)",
                ]
            )
        }
    }
}
