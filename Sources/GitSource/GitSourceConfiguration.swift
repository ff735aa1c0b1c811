/// Where and what to read: a repository URL (local path, `file://` or `https://`), a
/// reference, a subdirectory, and the cache directory holding the bare clone.
public struct GitSourceConfiguration: Sendable, Equatable {
    /// A local path, `file://…` or `https://…` URL.
    public var url: String
    /// The reference as the user wrote it (see `GitReference.init(parsing:)`).
    public var ref: String
    /// The subdirectory whose files make the snapshot (`""` for the repository root).
    public var path: String
    /// The directory holding bare clones, one per URL. Created when missing.
    public var cacheDirectory: String
    /// The environment variable holding an https token for private repositories.
    public var tokenEnvironmentVariable: String
    /// The user name sent with the token (GitHub accepts `x-access-token`).
    public var username: String
    /// Upper bound on the total size of the files of one snapshot.
    public var maxSnapshotBytes: Int

    public init(
        url: String,
        ref: String = "HEAD",
        path: String = "",
        cacheDirectory: String,
        tokenEnvironmentVariable: String = "NGROKCTL_GIT_TOKEN",
        username: String = "x-access-token",
        maxSnapshotBytes: Int = 64 << 20
    ) {
        self.url = url
        self.ref = ref
        self.path = path
        self.cacheDirectory = cacheDirectory
        self.tokenEnvironmentVariable = tokenEnvironmentVariable
        self.username = username
        self.maxSnapshotBytes = maxSnapshotBytes
    }

    public var reference: GitReference { GitReference(parsing: ref) }
}

/// The outcome of a poll: the commit the reference resolves to, and whether objects had to be
/// fetched (an unchanged remote costs one connection and a ref listing, nothing more).
public struct GitPollResult: Sendable, Equatable {
    public var commit: String
    /// The remote ref that was resolved (e.g. `refs/heads/main`), or the commit id itself.
    public var resolvedRef: String
    /// True when a fetch ran; false when the remote had not moved (or the commit was cached).
    public var fetched: Bool

    public init(commit: String, resolvedRef: String, fetched: Bool) {
        self.commit = commit
        self.resolvedRef = resolvedRef
        self.fetched = fetched
    }
}
