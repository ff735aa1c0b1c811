import Controller
import Testing

@Suite struct ControllerStateMachineTests {
    typealias Machine = ControllerStateMachine
    let t0 = ContinuousClock.now
    let config = Machine.Configuration(
        interval: .seconds(60), driftInterval: .seconds(600), jitter: 0, backoffBase: .seconds(5), backoffCap: .seconds(40))

    func at(_ seconds: Double) -> ContinuousClock.Instant { t0 + .milliseconds(Int64(seconds * 1000)) }

    @Test func firstPollSyncsThenSleepsForTheInterval() {
        var machine = Machine(configuration: config, now: t0)
        #expect(machine.wake(now: t0) == .poll)
        #expect(machine.pollSucceeded(commit: "a", now: at(1)) == .sync(commit: "a", reason: .initial))
        #expect(machine.syncFinished(commit: "a", outcome: .succeeded, now: at(2)) == .sleep(until: at(62)))
        #expect(machine.lastGoodCommit == "a")
        #expect(machine.nextDriftAt == at(602))
        // Woken early: back to sleep until due.
        #expect(machine.wake(now: at(30)) == .sleep(until: at(62)))
    }

    @Test func unchangedCommitDoesNotSyncUntilDriftIsDue() {
        var machine = Machine(configuration: config, now: t0)
        _ = machine.wake(now: t0)
        _ = machine.pollSucceeded(commit: "a", now: t0)
        _ = machine.syncFinished(commit: "a", outcome: .succeeded, now: t0)
        #expect(machine.wake(now: at(60)) == .poll)
        #expect(machine.pollSucceeded(commit: "a", now: at(60)) == .sleep(until: at(120)))
        #expect(machine.wake(now: at(600)) == .poll)
        #expect(machine.pollSucceeded(commit: "a", now: at(600)) == .sync(commit: "a", reason: .drift))
        #expect(machine.syncFinished(commit: "a", outcome: .succeeded, now: at(601)) == .sleep(until: at(661)))
        #expect(machine.nextDriftAt == at(1201))
    }

    @Test func newCommitSyncs() {
        var machine = Machine(configuration: config, now: t0)
        _ = machine.wake(now: t0)
        _ = machine.pollSucceeded(commit: "a", now: t0)
        _ = machine.syncFinished(commit: "a", outcome: .succeeded, now: t0)
        _ = machine.wake(now: at(60))
        #expect(machine.pollSucceeded(commit: "b", now: at(60)) == .sync(commit: "b", reason: .newCommit))
        _ = machine.syncFinished(commit: "b", outcome: .succeeded, now: at(61))
        #expect(machine.lastGoodCommit == "b")
    }

    @Test func invalidCommitIsNotRetriedAndDriftEnforcesTheLastGood() {
        var machine = Machine(configuration: config, now: t0)
        _ = machine.wake(now: t0)
        _ = machine.pollSucceeded(commit: "good", now: t0)
        _ = machine.syncFinished(commit: "good", outcome: .succeeded, now: t0)
        _ = machine.wake(now: at(60))
        #expect(machine.pollSucceeded(commit: "bad", now: at(60)) == .sync(commit: "bad", reason: .newCommit))
        #expect(machine.syncFinished(commit: "bad", outcome: .invalid, now: at(61)) == .sleep(until: at(121)))
        #expect(machine.lastGoodCommit == "good")
        #expect(machine.invalidCommit == "bad")
        // Same invalid commit on the next poll: nothing to do.
        _ = machine.wake(now: at(121))
        #expect(machine.pollSucceeded(commit: "bad", now: at(121)) == .sleep(until: at(181)))
        // Drift check: the last good commit is enforced, not the invalid one.
        _ = machine.wake(now: at(600))
        #expect(machine.pollSucceeded(commit: "bad", now: at(600)) == .sync(commit: "good", reason: .drift))
        _ = machine.syncFinished(commit: "good", outcome: .succeeded, now: at(601))
        #expect(machine.invalidCommit == "bad")
        #expect(machine.lastConcludedCommit == "bad")
        // A fixed commit syncs and clears the invalid one as current.
        _ = machine.wake(now: at(661))
        #expect(machine.pollSucceeded(commit: "fixed", now: at(661)) == .sync(commit: "fixed", reason: .newCommit))
        _ = machine.syncFinished(commit: "fixed", outcome: .succeeded, now: at(662))
        #expect(machine.lastGoodCommit == "fixed")
    }

    @Test func failuresBackOffExponentiallyWithACap() {
        var machine = Machine(configuration: config, now: t0)
        _ = machine.wake(now: t0)
        _ = machine.pollSucceeded(commit: "a", now: t0)
        #expect(machine.syncFinished(commit: "a", outcome: .failed, now: t0) == .sleep(until: at(5)))
        var now = at(5)
        for expected in [10.0, 20, 40, 40] {
            #expect(machine.wake(now: now) == .poll)
            #expect(machine.pollSucceeded(commit: "a", now: now) == .sync(commit: "a", reason: .retry))
            let action = machine.syncFinished(commit: "a", outcome: .failed, now: now)
            #expect(action == .sleep(until: now + .seconds(expected)))
            now = now + .seconds(expected)
        }
        #expect(machine.consecutiveFailures == 5)
        _ = machine.wake(now: now)
        _ = machine.pollSucceeded(commit: "a", now: now)
        #expect(machine.syncFinished(commit: "a", outcome: .succeeded, now: now) == .sleep(until: now + .seconds(60)))
        #expect(machine.consecutiveFailures == 0)
    }

    @Test func pollFailuresBackOffAndStillEnforceDrift() {
        var machine = Machine(configuration: config, now: t0)
        _ = machine.wake(now: t0)
        _ = machine.pollSucceeded(commit: "a", now: t0)
        _ = machine.syncFinished(commit: "a", outcome: .succeeded, now: t0)
        _ = machine.wake(now: at(60))
        #expect(machine.pollFailed(now: at(60)) == .sleep(until: at(65)))
        _ = machine.wake(now: at(65))
        #expect(machine.pollFailed(now: at(65)) == .sleep(until: at(75)))
        // Git is down at the drift check: the cached last good commit is enforced anyway.
        _ = machine.wake(now: at(600))
        #expect(machine.pollFailed(now: at(600)) == .sync(commit: "a", reason: .drift))
    }

    @Test func webhookWakesAnIdleControllerAndForcesASync() {
        var machine = Machine(configuration: config, now: t0)
        _ = machine.wake(now: t0)
        _ = machine.pollSucceeded(commit: "a", now: t0)
        _ = machine.syncFinished(commit: "a", outcome: .succeeded, now: t0)
        let wakeNeeded = machine.webhookReceived()
        #expect(wakeNeeded)
        #expect(machine.wake(now: at(10)) == .poll)
        #expect(machine.pollSucceeded(commit: "a", now: at(10)) == .sync(commit: "a", reason: .webhook))
        _ = machine.syncFinished(commit: "a", outcome: .succeeded, now: at(11))
        #expect(!machine.webhookPending)
    }

    @Test func webhookDuringASyncPollsRightAfter() {
        var machine = Machine(configuration: config, now: t0)
        _ = machine.wake(now: t0)
        _ = machine.pollSucceeded(commit: "a", now: t0)
        let wakeNeeded = machine.webhookReceived()
        #expect(!wakeNeeded)  // busy: no wake needed
        #expect(machine.syncFinished(commit: "a", outcome: .succeeded, now: at(1)) == .poll)
        #expect(machine.pollSucceeded(commit: "b", now: at(2)) == .sync(commit: "b", reason: .webhook))
    }

    @Test func restoredLastGoodCommitIsEnforcedWhenTheCurrentIsInvalid() {
        var machine = Machine(configuration: config, now: t0, lastGoodCommit: "old")
        _ = machine.wake(now: t0)
        #expect(machine.pollSucceeded(commit: "bad", now: t0) == .sync(commit: "bad", reason: .newCommit))
        _ = machine.syncFinished(commit: "bad", outcome: .invalid, now: t0)
        #expect(machine.nextDriftAt == at(600))
        _ = machine.wake(now: at(600))
        #expect(machine.pollSucceeded(commit: "bad", now: at(600)) == .sync(commit: "old", reason: .drift))
    }

    @Test func jitterStaysWithinBounds() {
        let jittery = Machine.Configuration(interval: .seconds(100), driftInterval: .seconds(1000), jitter: 0.2)
        var machine = Machine(configuration: jittery, now: t0, seed: 42)
        _ = machine.wake(now: t0)
        _ = machine.pollSucceeded(commit: "a", now: t0)
        var seen: Set<Duration> = []
        var action = machine.syncFinished(commit: "a", outcome: .succeeded, now: t0)
        for _ in 0..<50 {
            guard case .sleep(let until) = action else { Issue.record("expected sleep"); return }
            let delay = until - t0
            #expect(delay >= .seconds(80) && delay <= .seconds(120))
            seen.insert(delay)
            _ = machine.wake(now: until)
            action = machine.pollSucceeded(commit: "a", now: t0)
        }
        #expect(seen.count > 10)
    }
}
