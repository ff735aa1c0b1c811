import Foundation
import NgrokModel
import Synchronization

/// A rolling-window limiter per API key: a request is allowed when fewer than `limit.requests`
/// requests were allowed for the key in the last `limit.window`.
final class RateLimiter: Sendable {
    let limit: RateLimit
    private let log = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(limit: RateLimit) { self.limit = limit }

    /// nil when allowed (and recorded); otherwise the whole seconds until a slot frees up.
    func acquire(key: String, now: ContinuousClock.Instant = .now) -> Int? {
        log.withLock { log in
            var times = log[key, default: []]
            let horizon = now - limit.window
            if let firstKept = times.firstIndex(where: { $0 > horizon }) {
                times.removeFirst(firstKept)
            } else {
                times.removeAll()
            }
            guard times.count >= limit.requests else {
                times.append(now)
                log[key] = times
                return nil
            }
            log[key] = times
            let wait = times[0] + limit.window - now
            let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
            return max(1, Int(seconds.rounded(.up)))
        }
    }

    func reset() { log.withLock { $0.removeAll() } }
}

/// Counts requests in flight against a maximum.
final class ConcurrencyGate: Sendable {
    let maximum: Int
    private let inFlight = Mutex(0)
    init(maximum: Int) { self.maximum = maximum }

    func enter() -> Bool {
        inFlight.withLock { count in
            guard count < maximum else { return false }
            count += 1
            return true
        }
    }

    func leave() { inFlight.withLock { $0 -= 1 } }
}

/// The faults one request meets, drawn in one go so a seed gives a reproducible sequence.
struct FaultDecision: Sendable, Equatable {
    var drop = false
    var fail: Int? = nil
    var throttle = false
    var loseResponse = false
    var latency: Duration = .zero
}

final class FaultInjector: Sendable {
    let configuration: FaultConfiguration
    private let rng: Mutex<SplitMix64>

    init(configuration: FaultConfiguration) {
        self.configuration = configuration
        rng = Mutex(SplitMix64(seed: configuration.seed))
    }

    func decide() -> FaultDecision {
        guard configuration.isActive else { return FaultDecision() }
        return rng.withLock { rng in
            // Always draw the same number of values per request.
            let draws = (0..<5).map { _ in Double(rng.next() >> 11) / Double(1 << 53) }
            let failStatuses = [500, 502, 503]
            let failPick = failStatuses[Int(rng.next() % UInt64(failStatuses.count))]
            var decision = FaultDecision()
            decision.drop = draws[0] < configuration.dropRate
            decision.throttle = draws[1] < configuration.throttleRate
            decision.fail = draws[2] < configuration.failRate ? failPick : nil
            decision.loseResponse = draws[3] < configuration.lostResponseRate
            if let latency = configuration.latency {
                let span = latency.max - latency.min
                decision.latency = latency.min + span * draws[4]
            }
            return decision
        }
    }
}

/// A mutex-protected value that closures can capture (a `Mutex` is not copyable).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try mutex.withLock { try body(&$0) }
    }
}
