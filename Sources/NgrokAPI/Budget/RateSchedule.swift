/// The pure scheduling state of `APIBudget`: when may the next request start? Times are seconds on a
/// monotonic clock. Value type, tested alone.
///
/// Two rules combine:
/// - a token bucket (GCRA form): a sustained rate of `(limit - burst) / window` requests per second
///   times an adaptive factor, with up to `burst` requests at once;
/// - a hard sliding window: never more than `limit` starts within any `window + margin` seconds, so a
///   server counting a rolling window never sees more than its limit.
/// A 429 halves the adaptive factor (down to `minimumFactor`) and pauses everyone until its
/// `Retry-After`; each success recovers the factor additively.
public struct RateSchedule: Sendable, Hashable {
    public var limit: Int
    public var window: Double
    public var burst: Int
    /// Slack added to the sliding window for latency between our clock and the server's.
    public var margin: Double
    public var minimumFactor: Double = 0.1
    public var recoveryStep: Double = 0.02

    /// The current fraction of the sustained rate (1 = full speed).
    public private(set) var factor: Double = 1
    /// No request starts before this time (set by a 429).
    public private(set) var pausedUntil: Double = 0
    private var theoreticalArrival: Double = 0
    /// Start times granted, oldest first (at most `limit`).
    private var granted: [Double] = []
    private var grantedHead = 0

    public init(limit: Int, window: Double = 60, burst: Int = 4, margin: Double = 1) {
        self.limit = max(1, limit)
        self.window = window
        self.burst = max(1, min(burst, max(1, limit / 2)))
        self.margin = margin
    }

    /// Seconds between requests at the current factor.
    public var interval: Double {
        let sustained = Double(max(1, limit - burst)) / window
        return 1 / (sustained * factor)
    }

    /// Reserves the next start time at or after `now` and returns it.
    public mutating func reserve(now: Double) -> Double {
        let tolerance = Double(burst - 1) * interval
        var start = max(now, theoreticalArrival - tolerance, pausedUntil)
        let count = granted.count - grantedHead
        if count >= limit {
            // The `limit`-th previous start must have left the window.
            start = max(start, granted[granted.count - limit] + window + margin)
        }
        theoreticalArrival = max(theoreticalArrival, start) + interval
        granted.append(start)
        if granted.count - grantedHead > limit { grantedHead += 1 }
        if grantedHead > 4 * limit {
            granted.removeFirst(grantedHead)
            grantedHead = 0
        }
        return start
    }

    /// A 429 arrived: slow down and pause everyone for `retryAfter` seconds (or one interval).
    public mutating func rateLimited(now: Double, retryAfter: Double?) {
        factor = max(minimumFactor, factor / 2)
        let pause = retryAfter ?? interval
        pausedUntil = max(pausedUntil, now + pause)
        // No burst right after the pause.
        theoreticalArrival = max(theoreticalArrival, pausedUntil + Double(burst - 1) * interval)
    }

    /// A request succeeded: recover speed gradually.
    public mutating func succeeded() {
        factor = min(1, factor + recoveryStep)
    }
}
