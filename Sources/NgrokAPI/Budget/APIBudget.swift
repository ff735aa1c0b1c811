import Foundation
import Synchronization

/// The process-wide API budget shared by every client and caller: a rate (requests per window, with a
/// small burst) and a cap on concurrent requests. Adaptive: a 429 slows everyone down and pauses them
/// for its `Retry-After`; successes recover the rate gradually. Inject one instance into every client.
public final class APIBudget: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Requests allowed per `window` seconds (ngrok: 120 per 60 s).
        public var requestsPerWindow: Int
        public var window: Double
        /// Requests that may start back to back before the sustained rate applies.
        public var burst: Int
        /// Requests in flight at once.
        public var concurrency: Int
        /// Slack on the sliding window for clock skew and latency.
        public var margin: Double

        public init(
            requestsPerMinute: Int = 120, concurrency: Int = 4, burst: Int = 4
        ) {
            self.init(requestsPerWindow: requestsPerMinute, window: 60, burst: burst, concurrency: concurrency)
        }

        public init(requestsPerWindow: Int, window: Double, burst: Int = 4, concurrency: Int = 4, margin: Double = 1) {
            self.requestsPerWindow = max(1, requestsPerWindow)
            self.window = window
            self.burst = max(1, burst)
            self.concurrency = max(1, concurrency)
            self.margin = margin
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
                    limit: configuration.requestsPerWindow, window: configuration.window, burst: configuration.burst,
                    margin: configuration.margin)))
    }

    /// An unlimited budget (for tests and local emulators): no rate limit, high concurrency.
    public static func unlimited(concurrency: Int = 64) -> APIBudget {
        APIBudget(Configuration(requestsPerWindow: 1_000_000, window: 1, burst: 1_000, concurrency: concurrency, margin: 0))
    }

    private var now: Double {
        let elapsed = ContinuousClock.now - epoch
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
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
    /// The current fraction of the configured rate (1 = full speed).
    public var currentRateFactor: Double { state.withLock { $0.schedule.factor } }
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
