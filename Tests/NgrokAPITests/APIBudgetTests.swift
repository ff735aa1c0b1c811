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

    @Test func neverExceedsTheLimitInAnyWindow() {
        var schedule = RateSchedule(limit: 120, window: 60, burst: 4, margin: 1)
        let starts = (0..<400).map { _ in schedule.reserve(now: 0) }
        #expect(starts.prefix(4).allSatisfy { $0 == 0 })
        #expect(starts[4] > 0)
        #expect(maxInWindow(starts, window: 60) <= 120)
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 })
        // Sustained: about (120 - 4) / 60 per second.
        let rate = Double(starts.count - 1) / starts.last!
        #expect(rate > 1.8 && rate <= 2.0)
    }

    @Test func burstIsAvailableAgainAfterIdle() {
        var schedule = RateSchedule(limit: 120, window: 60, burst: 4)
        for _ in 0..<4 { _ = schedule.reserve(now: 0) }
        #expect(schedule.reserve(now: 100) == 100)
        #expect(schedule.reserve(now: 100) == 100)
    }

    @Test func rateLimitedPausesAndSlowsDown() {
        var schedule = RateSchedule(limit: 60, window: 60, burst: 1)
        #expect(schedule.reserve(now: 0) == 0)
        let before = schedule.interval
        schedule.rateLimited(now: 1, retryAfter: 5)
        #expect(schedule.factor == 0.5)
        #expect(schedule.interval == before * 2)
        #expect(schedule.reserve(now: 1) >= 6)
        for _ in 0..<100 { schedule.succeeded() }
        #expect(schedule.factor == 1)
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
        #expect(RetryPolicy.parseRetryAfter("2") == 2)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
    }
}

@Suite struct APIBudgetTests {
    @Test func capsConcurrency() async throws {
        let budget = APIBudget(APIBudget.Configuration(requestsPerWindow: 10_000, window: 1, burst: 100, concurrency: 3))
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

    @Test func pacesToTheRate() async throws {
        // 10 per second, burst 2: 12 requests take about 1 s.
        let budget = APIBudget(APIBudget.Configuration(requestsPerWindow: 10, window: 1, burst: 2, concurrency: 8, margin: 0))
        let start = ContinuousClock.now
        for _ in 0..<12 {
            let permit = try await budget.acquire()
            budget.release(permit, succeeded: true)
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(900))
        #expect(budget.totalWait > 0.8)
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
        let budget = APIBudget(APIBudget.Configuration(requestsPerWindow: 1000, window: 1, burst: 100, concurrency: 1))
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
