import GitSource

/// Where the controller gets snapshots: a cheap "which commit now?" and a read of a commit.
/// `GitRepositorySource` is the real one.
public protocol SnapshotSource: Sendable {
    /// The commit the watched reference points to now (fetching when it moved).
    func currentCommit(deadline: ContinuousClock.Instant) async throws -> String
    /// The files of `commit`.
    func snapshot(commit: String) async throws -> SourceSnapshot
}

extension GitRepositorySource: SnapshotSource {
    public func currentCommit(deadline: ContinuousClock.Instant) async throws -> String {
        try await poll(deadline: deadline).commit
    }
}
