import Foundation
import Reconcile

/// What `/status` reports (and what is persisted in the state directory between runs).
public struct ControllerStatus: Sendable, Equatable, Codable {
    /// The commit the source points to now.
    public var commit: String?
    /// The last commit that synced successfully.
    public var lastGoodCommit: String?
    /// The last commit rejected as invalid (cleared when a later commit is good).
    public var invalidCommit: String?
    public var lastResult: SyncReport.Result?
    public var lastReason: ControllerStateMachine.SyncReason?
    /// Drifted objects found by the last sync.
    public var driftCount: Int
    public var lastChanges: [String: Int]
    public var nextRun: Date?
    public var lastError: String?
    public var lastSyncTime: Date?
    public var lastSuccessTime: Date?
    public var consecutiveFailures: Int
    public var syncs: Int
    public var dryRun: Bool
    public var phase: String
    /// Declared credentials with a rotation schedule, soonest rotation first (as of the last good sync).
    public var upcomingRotations: [CredentialSchedule]?

    public init(dryRun: Bool) {
        commit = nil
        lastGoodCommit = nil
        invalidCommit = nil
        lastResult = nil
        lastReason = nil
        driftCount = 0
        lastChanges = [:]
        nextRun = nil
        lastError = nil
        lastSyncTime = nil
        lastSuccessTime = nil
        consecutiveFailures = 0
        syncs = 0
        self.dryRun = dryRun
        phase = "starting"
    }

    /// True once a sync succeeded (readiness).
    public var isReady: Bool { lastSuccessTime != nil }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    public func jsonBytes() -> [UInt8] {
        (try? Array(Self.encoder.encode(self))) ?? Array("{}".utf8)
    }
}
