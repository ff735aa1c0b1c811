import Foundation
import GitSource
import Logging
import Manifests
import NgrokAPI
import NgrokModel
import Reconcile

/// The real `SyncEngine`: the same load → validate → plan → apply as `ngrokctl apply` (through
/// `ApplySession`, with the operator's guards), over the files of a git snapshot.
public struct ReconcileEngine: SyncEngine {
    public var session: StackSession
    public var client: NgrokClient
    public var logger: Logger
    /// The operator's settings from the controller config: the stack it manages, the deletion cap,
    /// the token directory (manifests read from git have no directory of their own).
    public var policy: OperatorPolicy
    /// Directories outside the git tree that `{file: PATH}` may read.
    public var fileDirectories: [String]
    /// The operator's `tokenCommand` (controller config); a manifest's is never run by the controller.
    public var tokenCommand: TokenCommand?

    public init(
        session: StackSession, client: NgrokClient, logger: Logger, policy: OperatorPolicy, fileDirectories: [String] = []
    ) {
        self.session = session
        self.client = client
        self.logger = logger
        self.policy = policy
        self.fileDirectories = fileDirectories
    }

    /// Default guards, with tokens under `tokenBase` (tests and benchmarks).
    public init(session: StackSession, client: NgrokClient, logger: Logger, tokenBase: String) {
        self.init(
            session: session, client: client, logger: logger,
            policy: OperatorPolicy(apiURL: client.configuration.baseURL, tokenBase: tokenBase))
    }

    /// The engine a controller runs with `configuration` and the API URL it connected to.
    public init(session: StackSession, client: NgrokClient, logger: Logger, configuration: ControllerConfiguration) {
        self.init(
            session: session, client: client, logger: logger,
            policy: OperatorPolicy(
                apiURL: client.configuration.baseURL, maxDeletions: configuration.maxDeletions,
                stackName: configuration.stack, tokenBase: configuration.tokenBase,
                tokenDirectory: configuration.tokenDirectory),
            fileDirectories: configuration.fileDirectories)
        tokenCommand = configuration.tokenCommand.map { TokenCommand(command: $0, directory: configuration.stateDirectory) }
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
            return APIRequestCount(method: key.method, collection: key.collection, code: key.status, count: delta)
        }.sorted { a, b in
            (a.method.rawValue, APIStatistics.label(a.collection), a.code) < (b.method.rawValue, APIStatistics.label(b.collection), b.code)
        }
        report.apiBudgetWait = .milliseconds(Int((after.budgetWaitSeconds - before.budgetWaitSeconds) * 1000))
        return report
    }

    func reconcile(
        _ snapshot: SourceSnapshot, dryRun: Bool, shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async throws -> SyncReport {
        let source = StackSource.gitTree(
            fileSystem: SnapshotFileSystem(snapshot), commit: snapshot.commit,
            origin: PlanFile.Source(gitURL: snapshot.url, gitRef: snapshot.ref, gitPath: snapshot.path, commit: snapshot.commit),
            fileDirectories: fileDirectories)
        var applying = ApplySession(
            session: session, policy: policy, api: NgrokClientAPI(client: client), concurrency: 4, logger: logger)
        let loaded = applying.load(source)
        guard loaded.ok, let stack = loaded.stack else {
            return SyncReport(
                result: .invalid, errorText: loaded.diagnostics.errors.map(\.description).joined(separator: "\n"))
        }
        applying.concurrency = stack.spec.api.concurrency
        let plan = try await applying.plan(loaded, options: PlanOptions(sourceCommit: snapshot.commit))
        var report = try await reconcile(
            plan, stack: stack, session: applying, snapshot: snapshot, dryRun: dryRun, shouldStop: shouldStop)
        report.credentials = plan.credentials
        return report
    }

    func reconcile(
        _ plan: Plan, stack: Stack, session: ApplySession, snapshot: SourceSnapshot, dryRun: Bool,
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
        if shouldStop() { return SyncReport(result: .failed, changes: changes, driftObjects: drift, errorText: "stopped before applying (shutdown)") }
        let logger = self.logger
        let result = try await session.apply(plan, stack: stack, tokenCommand: tokenCommand, shouldStop: shouldStop) { event in
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
