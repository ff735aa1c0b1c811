import Foundation
import NgrokModel
import Synchronization

/// The process-wide API budget shared by every client and caller: ngrok's rolling window (at most
/// `requestsPerWindow × share` requests in any window, no pacing below that; see `RateSchedule`) and a
/// cap on concurrent requests. A 429 halves the allowance and pauses everyone for its `Retry-After`;
/// successes recover it gradually. Inject one instance into every client.
public final class APIBudget: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Requests the account allows per `window` seconds (ngrok: 120 per rolling 60 s).
        public var requestsPerWindow: Int
        public var window: Double
        /// Requests in flight at once.
        public var concurrency: Int
        /// Slack on the rolling window for latency and clock differences, in seconds.
        public var margin: Double
        /// This process's share of the account's limit (0 < share ≤ 1): `--api-share`, the
        /// controller's `apiShare`.
        public var share: Double

        public init(requestsPerMinute: Int = 120, concurrency: Int = 4, share: Double = 1) {
            self.init(requestsPerWindow: requestsPerMinute, window: 60, concurrency: concurrency, share: share)
        }

        public init(requestsPerWindow: Int, window: Double, concurrency: Int = 4, margin: Double? = nil, share: Double = 1) {
            self.requestsPerWindow = max(1, requestsPerWindow)
            self.window = window
            self.concurrency = max(1, concurrency)
            // 2 s on ngrok's 60 s window; proportionally less on the short windows tests use.
            self.margin = margin ?? window / 30
            self.share = min(1, max(0.001, share))
        }
    }

    /// What a caller got: release it when the request is done.
    public struct Permit: Sendable {
        /// Seconds spent waiting for a concurrency slot and a rate slot.
        public let waited: Double
        fileprivate let id: UInt64
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var schedule: RateSchedule
        var inFlight = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 1
        var totalWait: Double = 0
        var rateLimitedCount = 0
    }

    public let configuration: Configuration
    private let state: Mutex<State>
    private let epoch = ContinuousClock.now

    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
        state = Mutex(
            State(
                schedule: RateSchedule(
                    limit: configuration.requestsPerWindow, window: configuration.window, margin: configuration.margin,
                    share: configuration.share)))
    }

    /// An unlimited budget (for tests and local emulators): no rate limit, high concurrency.
    public static func unlimited(concurrency: Int = 64) -> APIBudget {
        APIBudget(Configuration(requestsPerWindow: 1_000_000, window: 1, concurrency: concurrency, margin: 0))
    }

    private var now: Double {
        (ContinuousClock.now - epoch).seconds
    }

    /// Waits for a concurrency slot, then for the request's start time.
    public func acquire() async throws -> Permit {
        let began = now
        let id = try await acquireSlot()
        do {
            var start = state.withLock { $0.schedule.reserve(now: now) }
            while true {
                let wait = start - now
                if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
                // A 429 seen meanwhile pauses everyone, including requests already scheduled.
                let paused = state.withLock { $0.schedule.pausedUntil }
                if paused > now { start = paused } else { break }
            }
        } catch {
            release(Permit(waited: 0, id: id), succeeded: nil)
            throw error
        }
        let waited = now - began
        state.withLock { $0.totalWait += waited }
        return Permit(waited: waited, id: id)
    }

    /// Releases a permit. `succeeded`: true after a success (recovers the rate), nil when unknown.
    public func release(_ permit: Permit, succeeded: Bool?) {
        let next: Waiter? = state.withLock { state in
            if succeeded == true { state.schedule.succeeded() }
            if state.waiters.isEmpty {
                state.inFlight -= 1
                return nil
            }
            return state.waiters.removeFirst()  // the slot passes straight to the next waiter
        }
        next?.continuation.resume()
    }

    /// Reports a 429: slows the rate and pauses everyone until `retryAfter` (seconds) has passed.
    public func rateLimited(retryAfter: Double?) {
        state.withLock { state in
            state.rateLimitedCount += 1
            state.schedule.rateLimited(now: now, retryAfter: retryAfter)
        }
    }

    /// Total seconds callers spent waiting on the budget.
    public var totalWait: Double { state.withLock { $0.totalWait } }
    /// The current fraction of the allowance (1 = full; halved by each 429).
    public var currentRateFactor: Double { state.withLock { $0.schedule.factor } }
    /// Requests allowed per window right now (the share of the limit, halved by 429s).
    public var allowance: Int { state.withLock { $0.schedule.allowance } }
    /// Seconds `count` more requests need at the current allowance (for an ETA; 0 when they fit).
    public func estimatedSeconds(forRequests count: Int) -> Double {
        let now = self.now
        return state.withLock { $0.schedule.estimatedSeconds(forRequests: count, now: now) }
    }
    /// Requests currently holding a permit.
    public var inFlight: Int { state.withLock { $0.inFlight } }

    private func acquireSlot() async throws -> UInt64 {
        let (id, granted) = state.withLock { state -> (UInt64, Bool) in
            let id = state.nextID
            state.nextID += 1
            if state.inFlight < configuration.concurrency {
                state.inFlight += 1
                return (id, true)
            }
            return (id, false)
        }
        if granted { return id }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
        return id
    }
}
