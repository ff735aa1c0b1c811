import Foundation
import GitSource
import Logging
import NgrokModel
import Reconcile
import ServiceLifecycle
import Synchronization

/// The long-running reconciler: polls git, syncs when the commit changes, the drift interval
/// elapses or a webhook asks, and serves health, readiness, status and metrics over HTTP.
///
/// A `Service`: run it in a `ServiceGroup`; on graceful shutdown (SIGTERM/SIGINT) the apply in
/// flight stops between operations (the ones in flight finish, no new one starts), no new sync
/// starts, and `run()` returns — within `shutdownTimeout`, after which operations still in
/// flight are abandoned.
public final class Controller: Service, Sendable {
    public let configuration: ControllerConfiguration
    public let metrics: ControllerMetrics
    let source: any SnapshotSource
    let engine: any SyncEngine
    let logger: Logger
    let webhook: GitHubWebhook?
    let wake = WakeSignal()
    /// Signalled when graceful shutdown starts, and when the loop has stopped.
    let shutdownStarted = WakeSignal()
    let loopStopped = WakeSignal()
    let loopFinished = Atomic<Bool>(false)
    let shuttingDown = Atomic<Bool>(false)
    let core: Mutex<Core>
    let listening = ListeningPort()

    struct Core {
        var machine: ControllerStateMachine
        var status: ControllerStatus
        var deliveries = DeliveryLog()
    }

    /// - Parameters:
    ///   - source: where snapshots come from (a `GitRepositorySource` in production).
    ///   - engine: the reconcile step.
    ///   - environment: used to resolve `webhookSecret` given as `env`.
    public init(
        configuration: ControllerConfiguration,
        source: any SnapshotSource,
        engine: any SyncEngine,
        logger: Logger,
        metrics: ControllerMetrics = ControllerMetrics(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.configuration = configuration
        self.source = source
        self.engine = engine
        self.logger = logger
        self.metrics = metrics
        if let secretSource = configuration.webhookSecret {
            let secret = try Self.resolve(secretSource, environment: environment)
            webhook = GitHubWebhook(secret: secret, reference: GitReference(parsing: configuration.ref))
        } else {
            webhook = nil
        }
        let machine = ControllerStateMachine(
            configuration: configuration.stateMachineConfiguration, now: .now,
            seed: UInt64.random(in: .min ... .max))
        core = Mutex(Core(machine: machine, status: ControllerStatus(dryRun: configuration.dryRun)))
    }

    /// A controller reading the configured git repository (cache under the state directory).
    public convenience init(
        configuration: ControllerConfiguration, engine: any SyncEngine, logger: Logger,
        metrics: ControllerMetrics = ControllerMetrics(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let source = try GitRepositorySource(configuration: configuration.gitSourceConfiguration, environment: environment)
        try self.init(
            configuration: configuration, source: source, engine: engine, logger: logger, metrics: metrics,
            environment: environment)
    }

    /// The current status (what `/status` serves).
    public var status: ControllerStatus { core.withLock { $0.status } }

    /// The port the HTTP server listens on, once it does (useful with port 0).
    public func waitUntilListening() async throws -> Int { try await listening.wait() }

    public func run() async throws {
        let lock = try StateDirectoryLock.acquire(directory: configuration.stateDirectory)
        defer { withExtendedLifetime(lock) {} }
        restorePersistedState()
        logger.info(
            "controller starting",
            metadata: [
                "url": .string(URLRedaction.redact(configuration.gitURL)), "ref": .string(configuration.ref), "path": .string(configuration.path),
                "listen": .string(configuration.listenAddress), "dryRun": .stringConvertible(configuration.dryRun),
            ])
        defer { listening.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.runHTTPServer() }
            group.addTask {
                await withGracefulShutdownHandler {
                    await self.runLoopWithinShutdownTimeout()
                } onGracefulShutdown: {
                    self.shuttingDown.store(true, ordering: .relaxed)
                    self.wake.signal()
                    self.shutdownStarted.signal()
                }
            }
            // Both end on graceful shutdown (the loop after its sync in flight). A server that
            // fails (address in use) throws here, which cancels the loop.
            while let _ = try await group.next() {}
        }
        logger.info("controller stopped")
    }

    /// Asks for a sync as soon as possible (what a valid webhook does).
    public func requestSync() {
        let wakeNow = core.withLock { $0.machine.webhookReceived() }
        if wakeNow { wake.signal() }
    }

    // MARK: The loop

    /// Runs the loop; once shutdown starts, waits at most `shutdownTimeout` for it to stop (the
    /// apply stops between operations; an operation stuck in flight is abandoned, then cancelled).
    func runLoopWithinShutdownTimeout() async {
        let loop = Task {
            await self.runLoop()
            self.loopFinished.store(true, ordering: .relaxed)
            self.loopStopped.signal()
        }
        let timeout = configuration.shutdownTimeout
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !self.loopFinished.load(ordering: .relaxed), !Task.isCancelled {
                    await self.loopStopped.wait(until: .now + .seconds(3600))
                }
            }
            group.addTask {
                while !self.shuttingDown.load(ordering: .relaxed), !Task.isCancelled {
                    await self.shutdownStarted.wait(until: .now + .seconds(3600))
                }
                guard !Task.isCancelled else { return }
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                self.logger.warning(
                    "shutdown timeout: abandoning the operations still in flight",
                    metadata: ["shutdownTimeout": .string("\(timeout)")])
            }
            await group.next()
            group.cancelAll()
        }
        if !loopFinished.load(ordering: .relaxed) { loop.cancel() }
    }

    private var isStopping: Bool { shuttingDown.load(ordering: .relaxed) || Task.isCancelled }

    func runLoop() async {
        var snapshots: [String: SourceSnapshot] = [:]
        var action = core.withLock { $0.machine.wake(now: .now) }
        while !isStopping {
            switch action {
            case .poll:
                action = await poll()
            case .sync(let commit, let reason):
                action = await sync(commit: commit, reason: reason, snapshots: &snapshots)
            case .sleep(let until):
                updateStatus { $0.phase = "idle"; $0.nextRun = Self.wallClock(until) }
                await wake.wait(until: until)
                if isStopping { break }
                action = core.withLock { $0.machine.wake(now: .now) }
            }
        }
        updateStatus { $0.phase = "stopped"; $0.nextRun = nil }
    }

    private func poll() async -> ControllerStateMachine.Action {
        updateStatus { $0.phase = "polling" }
        do {
            // A poll is safe to abandon on shutdown (unlike a sync, which finishes).
            let source = source
            let deadline = ContinuousClock.now + configuration.fetchTimeout
            let commit = try await cancelWhenGracefulShutdown { try await source.currentCommit(deadline: deadline) }
            metrics.recordSource(commit: commit)
            return core.withLock { core in
                if core.status.commit != commit {
                    logger.info("source at new commit", metadata: ["commit": .string(commit)])
                }
                core.status.commit = commit
                return core.machine.pollSucceeded(commit: commit, now: .now)
            }
        } catch {
            let text = URLRedaction.scrub("\(error)")
            logger.warning("git poll failed", metadata: ["error": .string(text)])
            return core.withLock { core in
                core.status.lastError = "git: \(text)"
                let action = core.machine.pollFailed(now: .now)
                core.status.consecutiveFailures = core.machine.consecutiveFailures
                return action
            }
        }
    }

    private func sync(
        commit: String, reason: ControllerStateMachine.SyncReason, snapshots: inout [String: SourceSnapshot]
    ) async -> ControllerStateMachine.Action {
        updateStatus { $0.phase = "syncing" }
        let start = ContinuousClock.now
        var logger = logger
        logger[metadataKey: "commit"] = .string(String(commit.prefix(12)))
        logger[metadataKey: "reason"] = .string(reason.rawValue)
        logger.info("sync started")
        let report: SyncReport
        do {
            let snapshot: SourceSnapshot
            if let cached = snapshots[commit] {
                snapshot = cached
            } else {
                snapshot = try await source.snapshot(commit: commit)
            }
            // Keep the snapshots of the commit being synced and of the last good commit.
            let keep = core.withLock { $0.machine.lastGoodCommit }
            snapshots = snapshots.filter { $0.key == keep }
            snapshots[commit] = snapshot
            report = try await engine.sync(snapshot, dryRun: configuration.dryRun) { self.shuttingDown.load(ordering: .relaxed) }
        } catch let error as GitSourceError where error.code == .tooLarge {
            // Deterministic: the commit breaks a read cap. Invalid, like a manifest error.
            report = SyncReport(result: .invalid, errorText: "\(error)")
        } catch {
            report = SyncReport(result: .failed, errorText: URLRedaction.scrub("\(error)"))
        }
        let duration = ContinuousClock.now - start
        let now = Date()
        metrics.record(report, duration: duration, wallClock: now.timeIntervalSince1970)
        let outcome: ControllerStateMachine.SyncOutcome =
            report.isSuccess ? .succeeded : report.result == .invalid ? .invalid : .failed
        var metadata: Logger.Metadata = [
            "result": .string(report.result.rawValue), "changes": .stringConvertible(report.totalChanges),
            "drift": .stringConvertible(report.driftObjects), "duration": .string("\(duration)"),
        ]
        if let error = report.errorText { metadata["error"] = .string(URLRedaction.scrub(error)) }
        switch report.result {
        case .invalid: logger.error("commit is invalid: not applied; keeping the last good commit", metadata: metadata)
        case .failed: logger.error("sync failed", metadata: metadata)
        default: logger.info("sync finished", metadata: metadata)
        }
        let (action, status) = core.withLock { core in
            let action = core.machine.syncFinished(commit: commit, outcome: outcome, now: .now)
            core.status.syncs += 1
            core.status.lastResult = report.result
            core.status.lastReason = reason
            core.status.lastSyncTime = now
            core.status.lastChanges = report.changes
            core.status.lastGoodCommit = core.machine.lastGoodCommit
            core.status.invalidCommit = core.machine.invalidCommit
            core.status.consecutiveFailures = core.machine.consecutiveFailures
            if report.isSuccess {
                core.status.driftCount = report.driftObjects
                core.status.upcomingRotations = report.credentials.filter { $0.nextRotation != nil }
                    .sorted { ($0.nextRotation!, $0.credential) < ($1.nextRotation!, $1.credential) }
                core.status.lastSuccessTime = now
                core.status.lastError = nil
            } else {
                core.status.lastError = URLRedaction.scrub(report.errorText ?? report.result.rawValue)
            }
            return (action, core.status)
        }
        if report.isSuccess { persist(status) }
        return action
    }

    private func updateStatus(_ body: (inout ControllerStatus) -> Void) {
        core.withLock { body(&$0.status) }
    }

    static func wallClock(_ instant: ContinuousClock.Instant) -> Date {
        Date().addingTimeInterval(ContinuousClock.now.duration(to: instant).seconds)
    }

    // MARK: Persisted state

    private var statusFile: String { configuration.stateDirectory + "/status.json" }

    private func restorePersistedState() {
        guard let data = FileManager.default.contents(atPath: statusFile),
            let saved = try? ControllerStatus.decoder.decode(ControllerStatus.self, from: data),
            let lastGood = saved.lastGoodCommit
        else { return }
        core.withLock { core in
            core.machine = ControllerStateMachine(
                configuration: core.machine.configuration, now: .now, lastGoodCommit: lastGood)
            core.status.lastGoodCommit = lastGood
        }
        logger.info("restored the last good commit", metadata: ["commit": .string(lastGood)])
    }

    private func persist(_ status: ControllerStatus) {
        do {
            try Data(status.jsonBytes()).write(to: URL(fileURLWithPath: statusFile), options: .atomic)
        } catch {
            logger.warning("cannot persist the controller state", metadata: ["error": .string("\(error)")])
        }
    }

    // MARK: Secrets

    static func resolve(_ source: ControllerConfiguration.SecretSource, environment: [String: String]) throws -> [UInt8] {
        let secret: String
        switch source {
        case .value(let value):
            secret = value
        case .env(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw ControllerError("the webhook secret environment variable \(name) is not set")
            }
            secret = value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ControllerError("cannot read the webhook secret file \(path)")
            }
            secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !secret.isEmpty else { throw ControllerError("the webhook secret is empty") }
        return Array(secret.utf8)
    }
}

/// The bound HTTP port, for callers that asked for port 0.
final class ListeningPort: Sendable {
    private struct State {
        var port: Int?
        var closed = false
        var waiters: [CheckedContinuation<Int, any Error>] = []
    }
    private let state = Mutex(State())

    func set(_ port: Int) {
        let waiters = state.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: port) }
    }

    func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(throwing: ControllerError("the controller stopped before listening")) }
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let result: Result<Int, any Error>? = state.withLock { state in
                if let port = state.port { return .success(port) }
                if state.closed { return .failure(ControllerError("the controller stopped before listening")) }
                state.waiters.append(continuation)
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }
}
