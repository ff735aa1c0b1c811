import Foundation
import GitSource
import Logging
import Manifests
import NgrokAPI
import NgrokModel
import Reconcile

/// The real `SyncEngine`: the same load → validate → plan → apply as `ngrokctl apply`, over the
/// files of a git snapshot.
public struct ReconcileEngine: SyncEngine {
    public var session: StackSession
    public var client: NgrokClient
    public var logger: Logger
    /// Where a relative `tokenDirectory` lives: manifests read from git have no directory of
    /// their own, so the controller keeps tokens under its state directory.
    public var tokenBase: String
    /// The operator's `tokenCommand` (controller config); a manifest's is never run by the controller.
    public var tokenCommand: TokenCommand?

    public init(session: StackSession, client: NgrokClient, logger: Logger, tokenBase: String) {
        self.session = session
        self.client = client
        self.logger = logger
        self.tokenBase = tokenBase
    }

    public func sync(_ snapshot: SourceSnapshot, dryRun: Bool) async throws -> SyncReport {
        try await sync(snapshot, dryRun: dryRun, shouldStop: { false })
    }

    public func sync(
        _ snapshot: SourceSnapshot, dryRun: Bool, shouldStop: @escaping @Sendable () -> Bool
    ) async throws -> SyncReport {
        let before = client.statistics
        var report = try await reconcile(snapshot, dryRun: dryRun, shouldStop: shouldStop)
        let after = client.statistics
        report.apiRequests = after.requests.compactMap { key, count in
            let delta = count - (before.requests[key] ?? 0)
            guard delta > 0 else { return nil }
            return APIRequestCount(method: key.method.rawValue, collection: key.collection, code: key.status, count: delta)
        }.sorted { ($0.method, $0.collection, $0.code) < ($1.method, $1.collection, $1.code) }
        report.apiBudgetWait = .milliseconds(Int((after.budgetWaitSeconds - before.budgetWaitSeconds) * 1000))
        return report
    }

    func reconcile(
        _ snapshot: SourceSnapshot, dryRun: Bool, shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async throws -> SyncReport {
        let source = StackSource(
            root: ".", fileSystem: SnapshotFileSystem(snapshot), commit: snapshot.commit,
            origin: PlanFile.Source(gitURL: snapshot.url, gitRef: snapshot.ref, gitPath: snapshot.path, commit: snapshot.commit))
        let loaded = session.load(source)
        guard loaded.ok, let stack = loaded.stack else {
            return SyncReport(
                result: .invalid, errorText: loaded.diagnostics.errors.map(\.description).joined(separator: "\n"))
        }
        let api = NgrokClientAPI(client: client)
        let tokenDirectory = stack.spec.tokenDirectory.map { $0.hasPrefix("/") ? $0 : tokenBase + "/" + $0 }
        var options = PlanOptions(sourceCommit: snapshot.commit)
        options.tokenDirectory = tokenDirectory
        let plan = try await session.plan(loaded, api: api, options: options)
        var report = try await reconcile(
            plan, stack: stack, api: api, tokenDirectory: tokenDirectory, snapshot: snapshot, dryRun: dryRun, shouldStop: shouldStop)
        report.credentials = plan.credentials
        return report
    }

    func reconcile(
        _ plan: Plan, stack: Stack, api: NgrokClientAPI, tokenDirectory: String?, snapshot: SourceSnapshot, dryRun: Bool,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async throws -> SyncReport {
        var changes: [String: Int] = [:]
        for op in plan.operations { changes[op.action.rawValue, default: 0] += 1 }
        let drift = Set(plan.operations.map(\.address)).count
        guard plan.errors.isEmpty else {
            return SyncReport(
                result: .failed, changes: changes, driftObjects: drift,
                errorText: plan.errors.map(\.description).joined(separator: "\n"))
        }
        if plan.isEmpty { return SyncReport(result: .noChange) }
        logger.info(
            "plan has changes",
            metadata: ["commit": "\(snapshot.shortCommit)", "summary": "\(PlanRenderer.summaryLine(plan))"])
        if dryRun { return SyncReport(result: .planned, changes: changes, driftObjects: drift) }
        if plan.deletionCount > stack.spec.maxDeletions {
            return SyncReport(
                result: .failed, changes: changes, driftObjects: drift,
                errorText: "the plan deletes \(plan.deletionCount) objects, more than maxDeletions (\(stack.spec.maxDeletions)); not applied")
        }
        if shouldStop() { return SyncReport(result: .failed, changes: changes, driftObjects: drift, errorText: "stopped before applying (shutdown)") }
        var executor = Executor(
            api: api, concurrency: stack.spec.api.concurrency,
            tokens: tokenDirectory.map { TokenSink(directory: $0, command: tokenCommand) },
            logger: logger)
        executor.shouldStop = shouldStop
        let result = await executor.execute(plan) { event in
            guard case .finished(let outcome) = event.kind else { return }
            switch outcome {
            case .succeeded(let id):
                logger.info("applied", metadata: ["operation": "\(event.operation.action.rawValue)", "target": "\(event.operation.target)", "id": "\(id ?? "")"])
            case .failed(let why):
                logger.error("operation failed", metadata: ["operation": "\(event.operation.action.rawValue)", "target": "\(event.operation.target)", "error": "\(why)"])
            case .skipped(let why):
                logger.warning("operation skipped", metadata: ["target": "\(event.operation.target)", "reason": "\(why)"])
            }
        }
        var rotations: [String: Int] = [:]
        for op in plan.operations where op.action == .rotate {
            if case .succeeded? = result.outcomes[op.id] { rotations["succeeded", default: 0] += 1 } else { rotations["failed", default: 0] += 1 }
        }
        guard result.ok else {
            if shouldStop() {
                var report = SyncReport(
                    result: .failed, changes: changes, driftObjects: drift,
                    errorText: "stopped by shutdown after \(result.succeeded) of \(plan.operations.count) operations (\(result.failed) failed); the next sync resumes")
                report.rotations = rotations
                return report
            }
            var report = SyncReport(
                result: .failed, changes: changes, driftObjects: drift,
                errorText: "\(result.failed) operations failed, \(result.skipped) skipped")
            report.rotations = rotations
            return report
        }
        var report = SyncReport(result: .applied, changes: changes, driftObjects: drift)
        report.rotations = rotations
        return report
    }
}
