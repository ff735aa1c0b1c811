import NgrokModel

/// The controller's scheduling decisions as a pure value type: inputs are the clock, poll
/// results, sync results and webhooks; outputs are the next action and when to wake. No I/O,
/// no real time, no randomness except a seeded generator (deterministic in tests).
public struct ControllerStateMachine: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public struct Configuration: Sendable, Equatable {
        /// Time between polls of the source.
        public var interval: Duration
        /// Time after the last successful sync at which a sync runs even when the commit did not
        /// change, to correct drift in the account.
        public var driftInterval: Duration
        /// Fraction of the interval added or removed at random (0 ... 0.5), so that many
        /// controllers do not poll in lock-step.
        public var jitter: Double
        /// First retry delay after a failure; doubled per consecutive failure, up to the cap.
        public var backoffBase: Duration
        public var backoffCap: Duration
        /// Webhook-triggered syncs start at most once per this interval.
        public var webhookMinInterval: Duration

        public init(
            interval: Duration = .seconds(60), driftInterval: Duration = .seconds(600), jitter: Double = 0.1,
            backoffBase: Duration = .seconds(5), backoffCap: Duration = .seconds(300),
            webhookMinInterval: Duration = .seconds(10)
        ) {
            self.interval = interval
            self.driftInterval = driftInterval
            self.jitter = min(max(jitter, 0), 0.5)
            self.backoffBase = backoffBase
            self.backoffCap = backoffCap
            self.webhookMinInterval = webhookMinInterval
        }
    }

    /// What became of a webhook.
    public enum WebhookOutcome: Sendable, Equatable {
        /// A sync will run when the webhook interval allows (`wake`: the idle loop must be woken
        /// to reschedule).
        case scheduled(wake: Bool)
        /// The pushed commit already synced (or is being synced): nothing to do.
        case alreadySynced
        /// A webhook sync is already queued: this push is covered by it.
        case alreadyQueued
    }

    public enum SyncReason: String, Sendable, Equatable, Codable {
        /// The first sync after start.
        case initial
        /// The watched reference moved.
        case newCommit
        /// The drift interval elapsed.
        case drift
        /// A webhook asked for a sync.
        case webhook
        /// A failed sync of this commit is being retried.
        case retry
    }

    public enum Action: Sendable, Equatable {
        /// Ask the source which commit the reference points to now.
        case poll
        /// Reconcile with this commit's snapshot.
        case sync(commit: String, reason: SyncReason)
        /// Nothing to do until then (or until a webhook).
        case sleep(until: Instant)
    }

    /// How a sync ended, as far as scheduling is concerned.
    public enum SyncOutcome: Sendable, Equatable {
        case succeeded
        case invalid
        case failed
    }

    public enum Phase: String, Sendable, Equatable {
        case idle, polling, syncing
    }

    public let configuration: Configuration
    public private(set) var phase: Phase = .idle
    /// The commit the source reported last.
    public private(set) var observedCommit: String?
    /// The last commit that synced successfully: enforced on drift checks while the current
    /// commit is invalid.
    public private(set) var lastGoodCommit: String?
    /// The last observed commit the engine rejected as invalid (not retried until it changes).
    public private(set) var invalidCommit: String?
    /// The last commit whose sync concluded (succeeded or invalid); a different observed
    /// commit triggers a sync.
    public private(set) var lastConcludedCommit: String?
    public private(set) var consecutiveFailures = 0
    public private(set) var nextPollAt: Instant
    /// When the next drift check is due (nil before the first successful sync).
    public private(set) var nextDriftAt: Instant?
    public private(set) var webhookPending = false
    /// When the pending webhook may start a sync (the rate limit).
    public private(set) var webhookDueAt: Instant?
    /// When the last webhook-triggered sync started.
    public private(set) var lastWebhookSyncAt: Instant?
    private var random: SplitMix64

    public init(configuration: Configuration, now: Instant, lastGoodCommit: String? = nil, seed: UInt64 = 0x9E37_79B9) {
        self.configuration = configuration
        self.nextPollAt = now
        self.lastGoodCommit = lastGoodCommit
        self.random = SplitMix64(seed: seed)
    }

    /// When the controller wants to act next, while idle.
    public var nextWakeAt: Instant {
        var next = nextPollAt
        if let nextDriftAt, lastGoodCommit != nil, consecutiveFailures == 0 { next = min(next, nextDriftAt) }
        if webhookPending, let webhookDueAt { next = min(next, webhookDueAt) }
        return next
    }

    /// A pending webhook whose rate limit has passed.
    private func isWebhookDue(_ now: Instant) -> Bool {
        webhookPending && (webhookDueAt.map { now >= $0 } ?? true)
    }

    // MARK: Inputs

    /// Start (or wake from a sleep): poll when due or when a webhook is pending; else sleep.
    public mutating func wake(now: Instant) -> Action {
        precondition(phase == .idle, "wake while \(phase)")
        if isWebhookDue(now) || now >= nextWakeAt {
            phase = .polling
            return .poll
        }
        return .sleep(until: nextWakeAt)
    }

    /// A webhook asked for a sync. Returns true when the controller is idle and should be woken;
    /// when busy, the sync runs right after the current step.
    @discardableResult
    public mutating func webhookReceived() -> Bool {
        if case .scheduled(let wake) = webhookReceived(after: nil, now: .now) { return wake }
        return false
    }

    /// A push webhook whose `after` commit is given (nil when the payload has none). A push of a
    /// commit that already synced, or is being synced, is ignored; while a webhook sync is
    /// queued, further pushes are covered by it; webhook-triggered syncs start at most once per
    /// `webhookMinInterval` (a push inside the interval is synced when it has passed).
    public mutating func webhookReceived(after: String?, now: Instant) -> WebhookOutcome {
        if let after, !after.isEmpty, after == lastConcludedCommit || (phase == .syncing && after == observedCommit) {
            return .alreadySynced
        }
        if webhookPending { return .alreadyQueued }
        webhookPending = true
        let earliest = lastWebhookSyncAt.map { $0 + configuration.webhookMinInterval } ?? now
        webhookDueAt = max(now, earliest)
        return .scheduled(wake: phase == .idle)
    }

    public mutating func pollSucceeded(commit: String, now: Instant) -> Action {
        precondition(phase == .polling, "poll result while \(phase)")
        observedCommit = commit
        let forced = isWebhookDue(now)
        if forced || commit != lastConcludedCommit {
            // Due, or a new commit that this sync covers (the push it announced).
            webhookPending = false
            webhookDueAt = nil
        }
        if forced { lastWebhookSyncAt = now }
        if commit != lastConcludedCommit {
            let reason: SyncReason =
                forced ? .webhook
                : consecutiveFailures > 0 ? .retry
                : lastConcludedCommit == nil && lastGoodCommit == nil ? .initial : .newCommit
            return startSync(commit, reason)
        }
        if forced || isDriftDue(now) {
            // The current commit is known-invalid: keep enforcing the last good one.
            let target = commit == invalidCommit ? lastGoodCommit : commit
            if let target { return startSync(target, forced ? .webhook : .drift) }
        }
        return sleep(now: now)
    }

    public mutating func pollFailed(now: Instant) -> Action {
        precondition(phase == .polling, "poll result while \(phase)")
        if isWebhookDue(now) {
            webhookPending = false
            webhookDueAt = nil
        }
        consecutiveFailures += 1
        // The source is unreachable, but the account can still drift: enforce the last good
        // commit (its files are cached) when a drift check is due.
        if isDriftDue(now), let lastGoodCommit {
            return startSync(lastGoodCommit, .drift)
        }
        return sleep(now: now)
    }

    public mutating func syncFinished(commit: String, outcome: SyncOutcome, now: Instant) -> Action {
        precondition(phase == .syncing, "sync result while \(phase)")
        switch outcome {
        case .succeeded:
            consecutiveFailures = 0
            lastGoodCommit = commit
            if commit == observedCommit || observedCommit == nil {
                lastConcludedCommit = commit
                if invalidCommit == commit { invalidCommit = nil }
            }
            nextDriftAt = now + configuration.driftInterval
        case .invalid:
            // Deterministic: retrying the same commit cannot help. Wait for a new commit and
            // keep enforcing the last good one on drift checks.
            consecutiveFailures = 0
            invalidCommit = commit
            lastConcludedCommit = commit
            if nextDriftAt == nil, lastGoodCommit != nil { nextDriftAt = now + configuration.driftInterval }
        case .failed:
            consecutiveFailures += 1
        }
        if isWebhookDue(now) {
            // Still pending: the poll result consumes it.
            phase = .polling
            return .poll
        }
        return sleep(now: now)
    }

    // MARK: Helpers

    private func isDriftDue(_ now: Instant) -> Bool {
        guard let nextDriftAt else { return false }
        return now >= nextDriftAt
    }

    private mutating func startSync(_ commit: String, _ reason: SyncReason) -> Action {
        phase = .syncing
        return .sync(commit: commit, reason: reason)
    }

    private mutating func sleep(now: Instant) -> Action {
        phase = .idle
        nextPollAt = now + jittered(consecutiveFailures > 0 ? backoff(consecutiveFailures) : configuration.interval)
        return .sleep(until: nextWakeAt)
    }

    /// `base · 2^(failures-1)`, capped (jitter is added by `sleep`, as for the interval, so that
    /// controllers failing together do not retry in lock-step).
    func backoff(_ failures: Int) -> Duration {
        let exponent = min(failures - 1, 30)
        var delay = configuration.backoffBase * (1 << exponent)
        if delay > configuration.backoffCap { delay = configuration.backoffCap }
        return delay
    }

    private mutating func jittered(_ duration: Duration) -> Duration {
        guard configuration.jitter > 0 else { return duration }
        let unit = Double(random.next() >> 11) / Double(1 << 53)  // [0, 1)
        let factor = 1 + configuration.jitter * (unit * 2 - 1)
        return duration * factor
    }
}
