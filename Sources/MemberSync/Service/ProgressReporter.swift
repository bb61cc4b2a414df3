import Foundation
import Synchronization

/// How far a pass's writes have come: records answered of those planned.
public struct SyncProgress: Sendable, Equatable {
    public var done: Int
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }
}

/// Shows a pass's progress: on a terminal, one line rewritten in place (done, total, rate, time
/// left); in a log, a `progress` line every `logInterval`. Passes with fewer than `minimumTotal`
/// writes are not shown.
public final class ProgressReporter: Sendable {
    public enum Mode: Sendable {
        case terminal
        case log
    }

    private struct State {
        var started: Date?
        var lastShown: Date?
    }

    let mode: Mode
    let logger: Logger
    let logInterval: TimeInterval
    let minimumTotal: Int
    let now: @Sendable () -> Date
    let write: @Sendable (String) -> Void
    private let state = Mutex(State())

    public init(
        mode: Mode,
        logger: Logger,
        logInterval: TimeInterval = 5,
        minimumTotal: Int = 20,
        now: @escaping @Sendable () -> Date = { Date() },
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.mode = mode
        self.logger = logger
        self.logInterval = logInterval
        self.minimumTotal = minimumTotal
        self.now = now
        self.write = write
    }

    /// A terminal line when standard error is a terminal, else log lines.
    public static func forStandardError(logger: Logger) -> ProgressReporter {
        ProgressReporter(mode: isatty(STDERR_FILENO) == 1 ? .terminal : .log, logger: logger)
    }

    /// Takes one progress report from the engine.
    public func report(_ progress: SyncProgress) {
        guard progress.total >= minimumTotal else { return }
        let time = now()
        let (started, shouldShow) = state.withLock { state -> (Date, Bool) in
            if progress.done == 0 || state.started == nil { state.started = time }
            let started = state.started!
            let interval = mode == .terminal ? 0.2 : logInterval
            let due = time.timeIntervalSince(state.lastShown ?? started) >= interval
            let show = progress.done == progress.total || (progress.done > 0 && due)
            if show { state.lastShown = time }
            if progress.done == progress.total { state = State() }
            return (started, show)
        }
        guard shouldShow else { return }
        let elapsed = max(time.timeIntervalSince(started), 0.001)
        let rate = Double(progress.done) / elapsed
        let left = rate > 0 ? Double(progress.total - progress.done) / rate : nil
        switch mode {
        case .terminal:
            write(Self.terminalLine(progress, rate: rate, secondsLeft: left))
        case .log:
            logger.info(
                "progress",
                metadata: [
                    "done": "\(progress.done)", "total": "\(progress.total)",
                    "rate.per_s": "\(Self.oneDecimal(rate))", "eta.s": "\(left.map { Int($0.rounded()) } ?? -1)",
                ]
            )
        }
    }

    /// `\r  120/3000 (4 %)  45.2/s  about 1m04s left`, ending in a newline when done.
    static func terminalLine(_ progress: SyncProgress, rate: Double, secondsLeft: Double?) -> String {
        let percent = progress.total > 0 ? progress.done * 100 / progress.total : 100
        var line = "\r  \(progress.done)/\(progress.total) (\(percent) %)  \(oneDecimal(rate))/s"
        if progress.done == progress.total {
            return line + "  done      \n"
        }
        line += "  about \(secondsLeft.map { duration($0) } ?? "?") left   "
        return line
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, total % 3600 / 60)
    }

    static func oneDecimal(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
