import GitSource
import NgrokModel
import Reconcile

/// The reconcile step the controller drives: load, validate, plan and (unless dry-run) apply
/// the manifests of one snapshot. The real engine (manifests + validation + planner +
/// executor) is plugged in by the CLI; tests use fakes.
public protocol SyncEngine: Sendable {
    /// Reconciles the account with `snapshot`. Throwing is treated as a `failed` report.
    func sync(_ snapshot: SourceSnapshot, dryRun: Bool) async throws -> SyncReport
    /// The same, stopping between operations once `shouldStop` returns true (shutdown): the
    /// operations in flight finish, no new one starts. The default ignores `shouldStop`.
    func sync(_ snapshot: SourceSnapshot, dryRun: Bool, shouldStop: @escaping @Sendable () -> Bool) async throws -> SyncReport
}

extension SyncEngine {
    public func sync(
        _ snapshot: SourceSnapshot, dryRun: Bool, shouldStop: @escaping @Sendable () -> Bool
    ) async throws -> SyncReport {
        try await sync(snapshot, dryRun: dryRun)
    }
}

/// What one sync did.
public struct SyncReport: Sendable, Equatable {
    public enum Result: String, Sendable, Equatable, Codable, CaseIterable {
        /// Live state already matched: nothing to do.
        case noChange
        /// Changes were applied successfully.
        case applied
        /// Dry-run: changes were planned, not applied.
        case planned
        /// Applying (or reading live state) failed; retried with backoff.
        case failed
        /// The manifests do not load or validate: never applied; the last good commit stays.
        case invalid
    }

    public var result: Result
    /// Operations by kind of change, e.g. `["create": 2, "update": 1]`.
    public var changes: [String: Int]
    /// Live objects that differed from the desired state (drift found by this sync).
    public var driftObjects: Int
    /// The error or the validation diagnostics, for `failed` and `invalid`.
    public var errorText: String?
    /// API requests made, by method, collection and status code.
    public var apiRequests: [APIRequestCount]
    /// Time spent waiting for the API request budget (rate limiter).
    public var apiBudgetWait: Duration
    /// Declared credentials: newest generation and next rotation (empty when not planned).
    public var credentials: [CredentialSchedule] = []
    /// Rotations attempted by this sync, by result (`succeeded`, `failed`).
    public var rotations: [String: Int] = [:]

    public init(
        result: Result, changes: [String: Int] = [:], driftObjects: Int = 0, errorText: String? = nil,
        apiRequests: [APIRequestCount] = [], apiBudgetWait: Duration = .zero
    ) {
        self.result = result
        self.changes = changes
        self.driftObjects = driftObjects
        self.errorText = errorText
        self.apiRequests = apiRequests
        self.apiBudgetWait = apiBudgetWait
    }

    public var totalChanges: Int { changes.values.reduce(0, +) }

    /// Whether the snapshot was accepted (it becomes the last good commit).
    public var isSuccess: Bool { result == .noChange || result == .applied || result == .planned }
}

/// A counter of API requests with the same method, collection and status code.
public struct APIRequestCount: Sendable, Equatable, Hashable {
    public var method: HTTPMethod
    /// The API collection (nil for a path outside the API's collections).
    public var collection: APICollection?
    /// The HTTP status code, or 0 for a transport error.
    public var code: Int
    public var count: Int

    public init(method: HTTPMethod, collection: APICollection?, code: Int, count: Int) {
        self.method = method
        self.collection = collection
        self.code = code
        self.count = count
    }
}
