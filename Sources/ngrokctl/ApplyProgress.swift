import Foundation
import NgrokAPI
import NgrokModel
import Reconcile
import Synchronization

/// What apply shows while it runs. On a terminal: a progress bar redrawn in place with an ETA computed
/// from the operations left and the API budget (failures and skips are printed above it); otherwise one
/// line per finished operation, as logs and CI want. Before starting, a long apply says how long it
/// will take (1,000 creates at ngrok's 120 requests per minute: about 8 minutes).
final class ApplyProgress: Sendable {
    private struct State {
        var finished = 0
        var failed = 0
        var lastDraw = -1.0
    }

    let total: Int
    let budget: APIBudget
    let concurrency: Int
    let terminal: Bool
    let color: Bool
    private let width: Int
    private let state = Mutex(State())
    private let started = ContinuousClock.now

    init(total: Int, budget: APIBudget, concurrency: Int, terminal: Bool, color: Bool) {
        self.total = total
        self.budget = budget
        self.concurrency = max(1, concurrency)
        self.terminal = terminal
        self.color = color
        width = String(total).count
    }

    /// Whether standard output is a terminal that can redraw a line.
    static var stdoutIsTerminal: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Seconds `remaining` operations need: the API budget's window (each operation is about one
    /// request), or the pace seen so far at this concurrency, whichever is longer.
    func estimatedSeconds(remaining: Int, elapsed: Double, finished: Int) -> Double {
        let byBudget = budget.estimatedSeconds(forRequests: remaining)
        guard finished > 0 else { return byBudget }
        let byPace = elapsed / Double(finished) * Double(remaining)
        return max(byBudget, byPace)
    }

    /// The line printed before applying, or nil when the apply is quick.
    func upfront() -> String? {
        let seconds = budget.estimatedSeconds(forRequests: total)
        guard seconds >= 30 else { return nil }
        let about = seconds >= 90 ? "\(Int((seconds / 60).rounded())) minutes" : "\(Int(seconds.rounded())) seconds"
        return "This takes about \(about): \(total) operations at the API budget of "
            + "\(budget.allowance) requests per \(Int(budget.configuration.window)) s.\n"
    }

    /// Called for every executor event; returns the text to write (possibly empty).
    func render(_ event: Executor.Event) -> String {
        guard case .finished(let outcome) = event.kind else { return "" }
        let elapsed = Self.seconds(event.elapsed)
        let op = event.operation
        let e = OutputEscaping.text
        let label = "\(PlanRenderer.symbol(op)) \(PlanRenderer.verb(op)) \(e(op.target))"
        let (finished, redraw) = state.withLock { state -> (Int, Bool) in
            state.finished += 1
            if case .failed = outcome { state.failed += 1 }
            // At most ~10 redraws a second, and always the last.
            let redraw = state.finished == total || elapsed - state.lastDraw >= 0.1
            if redraw { state.lastDraw = elapsed }
            return (state.finished, redraw)
        }
        let number = String(finished).leftPadded(to: width)
        let time = String(format: "%.1fs", elapsed)
        var line: String?
        switch outcome {
        case .succeeded(let id):
            if !terminal { line = "[\(number)/\(total)] \(label): done\(id.map { " (\(e($0)))" } ?? "") at \(time)" }
        case .failed(let why): line = "[\(number)/\(total)] \(label): FAILED: \(e(why))"
        case .skipped(let why): line = "[\(number)/\(total)] \(label): skipped: \(e(why))"
        }
        guard terminal else { return line.map { $0 + "\n" } ?? "" }
        var out = ""
        if let line { out += "\r\u{1B}[2K" + line + "\n" }
        if redraw || line != nil {
            out += "\r\u{1B}[2K" + bar(finished: finished, elapsed: elapsed)
            if finished == total { out += "\n" }
        }
        return out
    }

    /// `[█████░░░░░░░░░░░░░░░]  250/1000  25%  2.1 ops/s  ETA 6m12s`
    func bar(finished: Int, elapsed: Double) -> String {
        let cells = 24
        let fraction = total == 0 ? 1 : Double(finished) / Double(total)
        let filled = Int((fraction * Double(cells)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
        let percent = Int((fraction * 100).rounded(.down))
        var text = "[\(bar)] \(String(finished).leftPadded(to: width))/\(total) \(String(percent).leftPadded(to: 3))%"
        if elapsed > 0 { text += String(format: "  %.1f ops/s", Double(finished) / elapsed) }
        let remaining = total - finished
        if remaining > 0 {
            text += "  ETA " + Self.duration(estimatedSeconds(remaining: remaining, elapsed: elapsed, finished: finished))
        } else {
            text += "  in " + Self.duration(elapsed)
        }
        return color ? "\u{1B}[1m" + text + "\u{1B}[0m" : text
    }

    /// `45s`, `8m16s`, `1h02m`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + String(format: "%02ds", s % 60) }
        return "\(s / 3600)h" + String(format: "%02dm", s % 3600 / 60)
    }

    static func seconds(_ d: Duration) -> Double {
        d.seconds
    }
}
