import Foundation
import Synchronization
import Testing

@testable import NgrokAPI

@Suite struct RateScheduleTests {
    /// The most starts within any `window` seconds.
    private func maxInWindow(_ starts: [Double], window: Double) -> Int {
        var best = 0
        var head = 0
        for (i, start) in starts.enumerated() {
            while starts[head] <= start - window { head += 1 }
            best = max(best, i - head + 1)
        }
        return best
    }

    /// A fake monotonic clock: the schedule is a pure function of the times it is given.
    private struct FakeClock {
        var now = 0.0
        mutating func advance(_ seconds: Double) { now += seconds }
    }

    @Test func noPacingBelowTheAllowance() {
        var schedule = RateSchedule(limit: 120, window: 60, margin: 2)
        let clock = FakeClock()
        let starts = (0..<120).map { _ in schedule.reserve(now: clock.now) }
        #expect(starts.allSatisfy { $0 == 0 }, "120 requests in an empty window start at once")
        #expect(schedule.inWindow(now: 0) == 120)
    }

    @Test func theWindowRollsWithItsMargin() {
        var schedule = RateSchedule(limit: 120, window: 60, margin: 2)
        var clock = FakeClock()
        for i in 0..<120 {
            clock.now = Double(i) * 0.25
            #expect(schedule.reserve(now: clock.now) == clock.now)
        }
        // The 121st waits until the first start has left the 62 s window, the 122nd for the second.
        #expect(schedule.reserve(now: clock.now) == 62)
        #expect(schedule.reserve(now: clock.now) == 62.25)
        clock.now = 100
        #expect(schedule.reserve(now: clock.now) == 100)
    }

    @Test func neverExceedsTheLimitInAnyWindow() {
        var schedule = RateSchedule(limit: 120, window: 60, margin: 2)
        var clock = FakeClock()
        var starts: [Double] = []
        for _ in 0..<1000 {
            starts.append(schedule.reserve(now: clock.now))
            clock.advance(0.01)
        }
        #expect(maxInWindow(starts, window: 61.999) <= 120, "any 62 s (the server counts 60)")
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 })
        // 1,000 requests need 8 full windows after the first: the floor the window sets.
        #expect(starts.last! >= 8 * 62 && starts.last! < 8 * 62 + 1)
    }

    @Test func shareLimitsThisProcess() {
        var schedule = RateSchedule(limit: 120, window: 60, margin: 2, share: 0.5)
        #expect(schedule.allowance == 60)
        let starts = (0..<61).map { _ in schedule.reserve(now: 0) }
        #expect(starts.prefix(60).allSatisfy { $0 == 0 })
        #expect(starts[60] == 62)
        #expect(RateSchedule(limit: 120, share: 0.25).allowance == 30)
        #expect(RateSchedule(limit: 3, share: 0.1).allowance == 1)
    }

    @Test func a429HalvesTheAllowanceAndPausesUntilRetryAfter() {
        var schedule = RateSchedule(limit: 120, window: 60, margin: 2)
        for _ in 0..<10 { _ = schedule.reserve(now: 0) }
        schedule.rateLimited(now: 1, retryAfter: 5)
        #expect(schedule.allowance == 60)
        #expect(schedule.reserve(now: 1) == 6, "nobody starts before Retry-After")
        // Concurrent 429s of requests already in flight count as one signal.
        schedule.rateLimited(now: 1.2, retryAfter: 5)
        #expect(schedule.allowance == 60)
        schedule.rateLimited(now: 3, retryAfter: nil)
        #expect(schedule.allowance == 30)
        #expect(schedule.rateLimitedCount == 3)
        // Halving never goes below one request per window.
        for i in 0..<20 { schedule.rateLimited(now: 10 + Double(i) * 2, retryAfter: 0) }
        #expect(schedule.allowance == 1)
    }

    @Test func theAllowanceHalvesWithinTheWindow() {
        var schedule = RateSchedule(limit: 120, window: 60, margin: 2)
        let first = (0..<50).map { _ in schedule.reserve(now: 0) }
        #expect(first.allSatisfy { $0 == 0 })
        schedule.rateLimited(now: 0.5, retryAfter: 1)
        #expect(schedule.allowance == 60)
        // 50 already in the window: 10 more may start after the pause, then the window must roll.
        let next = (0..<11).map { _ in schedule.reserve(now: 0.5) }
        #expect(next.prefix(10).allSatisfy { $0 == 1.5 })
        #expect(next[10] == 62)
    }

    @Test func successesRecoverTheAllowanceInAboutOneWindow() {
        var schedule = RateSchedule(limit: 120, window: 60, margin: 2)
        schedule.rateLimited(now: 0, retryAfter: 1)
        #expect(schedule.allowance == 60)
        for _ in 0..<60 { schedule.succeeded() }
        #expect(schedule.allowance == 90)
        for _ in 0..<60 { schedule.succeeded() }
        #expect(schedule.allowance == 120)
        for _ in 0..<100 { schedule.succeeded() }
        #expect(schedule.factor == 1)
    }

    @Test func estimatesTheTimeForTheRemainingRequests() {
        var schedule = RateSchedule(limit: 120, window: 60, margin: 2)
        #expect(schedule.estimatedSeconds(forRequests: 100, now: 0) == 0)
        #expect(schedule.estimatedSeconds(forRequests: 1000, now: 0) == 8 * 62)
        _ = schedule.reserve(now: 0)
        #expect(schedule.inWindow(now: 0) == 1, "estimating reserves nothing")
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_445_412_470)  // Wed, 21 Oct 2015 07:27:50 GMT
        #expect(RetryPolicy.parseRetryAfter("2", now: now) == 2)
        #expect(RetryPolicy.parseRetryAfter(" 1.5 ", now: now) == 1.5)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == 10)
        #expect(RetryPolicy.parseRetryAfter("Wednesday, 21-Oct-15 07:28:00 GMT", now: now) == 10)
        #expect(RetryPolicy.parseRetryAfter("Wed Oct 21 07:28:00 2015", now: now) == 10)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == 0, "a past date: retry now")
        #expect(RetryPolicy.parseRetryAfter("-3", now: now) == nil)
        #expect(RetryPolicy.parseRetryAfter("soon", now: now) == nil)
        #expect(RetryPolicy.parseRetryAfter(nil, now: now) == nil)
    }

    @Test func retryPolicyHonoursRetryAfterAndGrows() {
        let policy = RetryPolicy(baseDelay: 0.2, maxDelay: 5)
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...10 {
            let delay = policy.delay(afterAttempt: attempt, retryAfter: nil, using: &generator)
            let step = min(5, 0.2 * pow(2, Double(attempt - 1)))
            #expect(delay >= step / 2 && delay <= step)
        }
        #expect(policy.delay(afterAttempt: 1, retryAfter: 3) >= 3)
    }
}

@Suite struct APIBudgetTests {
    @Test func capsConcurrency() async throws {
        let budget = APIBudget(APIBudget.Configuration(requestsPerWindow: 10_000, window: 1, concurrency: 3))
        let peak = Shared((current: 0, max: 0))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    let permit = try await budget.acquire()
                    peak.withLock { $0.current += 1; $0.max = max($0.max, $0.current) }
                    try await Task.sleep(for: .milliseconds(5))
                    peak.withLock { $0.current -= 1 }
                    budget.release(permit, succeeded: true)
                }
            }
            try await group.waitForAll()
        }
        #expect(peak.withLock { $0.max } == 3)
        #expect(budget.inFlight == 0)
    }

    @Test func waitsForTheWindowOnlyBeyondTheAllowance() async throws {
        // 10 per 1 s: the first 10 start at once, the 11th and 12th after the window rolled.
        let budget = APIBudget(APIBudget.Configuration(requestsPerWindow: 10, window: 1, concurrency: 8, margin: 0))
        let start = ContinuousClock.now
        for _ in 0..<10 {
            let permit = try await budget.acquire()
            budget.release(permit, succeeded: true)
        }
        #expect(budget.totalWait < 0.5)
        for _ in 0..<2 {
            let permit = try await budget.acquire()
            budget.release(permit, succeeded: true)
        }
        #expect(ContinuousClock.now - start >= .milliseconds(900))
    }

    @Test func aRateLimitPausesEveryone() async throws {
        let budget = APIBudget.unlimited()
        budget.rateLimited(retryAfter: 0.3)
        #expect(budget.currentRateFactor == 0.5)
        let start = ContinuousClock.now
        let permit = try await budget.acquire()
        budget.release(permit, succeeded: true)
        #expect(ContinuousClock.now - start >= .milliseconds(250))
    }

    @Test func cancelledWaitersLeaveTheQueue() async throws {
        let budget = APIBudget(APIBudget.Configuration(requestsPerWindow: 1000, window: 1, concurrency: 1))
        let held = try await budget.acquire()
        let waiter = Task { try await budget.acquire() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiter.value }
        budget.release(held, succeeded: true)
        let again = try await budget.acquire()
        budget.release(again, succeeded: true)
        #expect(budget.inFlight == 0)
    }
}
