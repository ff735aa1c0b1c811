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

    /// Parses a `Retry-After` value: delay seconds (HTTP-dates are not used by the API and read as nil).
    public static func parseRetryAfter(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), let seconds = Double(value), seconds >= 0
        else { return nil }
        return seconds
    }
}
