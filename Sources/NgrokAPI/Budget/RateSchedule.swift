/// The pure scheduling state of `APIBudget`: when may the next request start? Times are seconds on a
/// monotonic clock supplied by the caller, so the whole behaviour is testable with a fake clock.
///
/// ngrok's semantics: at most `limit` requests in any rolling `window` seconds, counted by the server.
/// The schedule therefore keeps the start times it granted and lets a request start at once unless the
/// `allowance`-th previous start is still inside `window + margin` seconds (the margin covers latency
/// and clock differences between us and the server). Below the allowance there is no pacing at all:
/// 33 list calls go out back to back.
///
/// - `share` (0 < share ≤ 1) is the operator's part of the account's limit for this process, so that
///   several processes (a controller at 0.5, a CLI at 0.5) live on one key.
/// - A 429 halves the allowance (down to 1, at most once per `window / 60` seconds, so that the
///   responses of requests already in flight count as one signal) and pauses every request until its
///   `Retry-After`. Each success then recovers the allowance by `1 / limit` of a halving, so the
///   allowance is back to full after about one window of successful requests.
public struct RateSchedule: Sendable, Hashable {
    /// The account's limit per window (ngrok: 120).
    public var limit: Int
    public var window: Double
    /// Slack added to the window for latency between our clock and the server's.
    public var margin: Double
    /// This process's share of `limit`.
    public var share: Double
    /// The current fraction of the allowance (1 = full; halved by a 429).
    public private(set) var factor: Double = 1
    /// No request starts before this time (set by a 429's `Retry-After`).
    public private(set) var pausedUntil: Double = -Double.infinity
    /// 429s seen.
    public private(set) var rateLimitedCount = 0
    private var lastHalving = -Double.infinity
    /// Start times granted, oldest first (the last `limit` are kept).
    private var granted: [Double] = []
    private var grantedHead = 0

    public init(limit: Int, window: Double = 60, margin: Double = 2, share: Double = 1) {
        self.limit = max(1, limit)
        self.window = window
        self.margin = max(0, margin)
        self.share = min(1, max(0.001, share))
    }

    /// Requests this process may start within any `window + margin` seconds right now.
    public var allowance: Int {
        max(1, Int((Double(limit) * share * factor + 1e-9).rounded(.down)))
    }

    /// The number of starts in `(now - window - margin, now]`.
    public func inWindow(now: Double) -> Int {
        var count = 0
        var index = granted.count - 1
        while index >= grantedHead, granted[index] > now - window - margin {
            count += 1
            index -= 1
        }
        return count
    }

    /// Reserves the next start time at or after `now` and returns it.
    public mutating func reserve(now: Double) -> Double {
        var start = max(now, pausedUntil)
        let allowed = allowance
        let count = granted.count - grantedHead
        if count >= allowed {
            // The `allowed`-th previous start must have left the window.
            start = max(start, granted[granted.count - allowed] + window + margin)
        }
        // Keep the list sorted (a pause may have moved earlier reservations later than this one).
        if let last = granted.last, start < last { start = max(start, last) }
        granted.append(start)
        if granted.count - grantedHead > limit { grantedHead += 1 }
        if grantedHead > 4 * limit {
            granted.removeFirst(grantedHead)
            grantedHead = 0
        }
        return start
    }

    /// When the next request could start if reserved at `now` (without reserving it).
    public func nextStart(now: Double) -> Double {
        var copy = self
        return copy.reserve(now: now)
    }

    /// Seconds `count` more requests take at the current allowance, starting at `now` (for an ETA).
    public func estimatedSeconds(forRequests count: Int, now: Double) -> Double {
        guard count > 0 else { return 0 }
        var copy = self
        var last = now
        for _ in 0..<count { last = copy.reserve(now: now) }
        return last - now
    }

    /// A 429 arrived at `now`: halve the allowance and pause everyone for `retryAfter` seconds.
    public mutating func rateLimited(now: Double, retryAfter: Double?) {
        rateLimitedCount += 1
        if now - lastHalving >= window / 60 {
            factor = max(1 / Double(limit), factor / 2)
            lastHalving = now
        }
        let pause = retryAfter ?? (window / Double(limit))
        pausedUntil = max(pausedUntil, now + max(0, pause))
        // Requests granted but not started yet start after the pause: record them so.
        var index = granted.count - 1
        while index >= grantedHead, granted[index] > now {
            granted[index] = max(granted[index], pausedUntil)
            index -= 1
        }
    }

    /// A request succeeded: recover the allowance gradually (a full halving per `limit` successes).
    public mutating func succeeded() {
        factor = min(1, factor + 0.5 / Double(limit))
    }
}
