import Foundation

/// How failed requests are retried: 429, 5xx and transport errors, with jittered exponential backoff
/// that honours `Retry-After`. Only idempotent requests are retried after they may have reached the
/// server; a POST is retried only after a 429 or a connection that never carried it.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, including the first.
    public var maxAttempts: Int
    /// Seconds before the first retry (before jitter).
    public var baseDelay: Double
    /// Upper bound of a computed backoff, in seconds.
    public var maxDelay: Double
    /// Upper bound honoured for a server's `Retry-After`, in seconds.
    public var maxRetryAfter: Double

    public init(maxAttempts: Int = 8, baseDelay: Double = 0.2, maxDelay: Double = 20, maxRetryAfter: Double = 120) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The delay after failed attempt number `attempt` (1-based): "equal jitter" — half the exponential
    /// step fixed, half random — but never less than `retryAfter`.
    public func delay<G: RandomNumberGenerator>(
        afterAttempt attempt: Int, retryAfter: Double?, using generator: inout G
    ) -> Double {
        let exponent = min(max(0, attempt - 1), 30)
        let step = min(maxDelay, baseDelay * Double(1 << exponent))
        let jittered = step / 2 + Double.random(in: 0...(step / 2), using: &generator)
        guard let retryAfter else { return jittered }
        return max(min(retryAfter, maxRetryAfter), jittered)
    }

    public func delay(afterAttempt attempt: Int, retryAfter: Double?) -> Double {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, retryAfter: retryAfter, using: &generator)
    }

    /// Parses a `Retry-After` value: delay seconds, or an HTTP-date (IMF-fixdate, RFC 850 or asctime,
    /// RFC 9110 §10.2.3) read as the seconds from `now` until then (0 when it has passed). nil when absent
    /// or unreadable.
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return seconds >= 0 && seconds.isFinite ? seconds : nil }
        guard let date = httpDate(value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// An HTTP-date in any of the three formats HTTP allows.
    public static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")) {
                return date
            }
        }
        return nil
    }
}
