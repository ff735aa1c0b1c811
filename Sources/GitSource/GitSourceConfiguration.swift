/// Where and what to read: a repository URL (local path, `file://`, `https://`, `ssh://` or
/// scp-like `git@host:repo.git`), a reference, a subdirectory, the cache directory holding the
/// bare clone, credentials, and the caps that bound what one commit may make the reader read.
public struct GitSourceConfiguration: Sendable, Equatable {
    /// A local path, `file://…`, `https://…`, `ssh://…` URL or scp-like `user@host:path`.
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
    /// Upper bound on the total bytes read from one commit (trees, manifests and the files
    /// they reference).
    public var maxSnapshotBytes: Int
    /// Upper bound on one file: a larger blob is never inflated (its size comes from its header).
    public var maxFileBytes: Int
    /// Upper bound on the number of files under the source path.
    public var maxFiles: Int
    /// The private key offered to SSH remotes (OpenSSH or PEM format, no passphrase).
    public var sshKeyFile: String?
    /// Pinned host keys for SSH remotes, in OpenSSH `known_hosts` format (plain host names,
    /// `[host]:port` for other ports). Required for SSH: an unknown or changed key is refused.
    public var knownHostsFile: String?

    public init(
        url: String,
        ref: String = "HEAD",
        path: String = "",
        cacheDirectory: String,
        tokenEnvironmentVariable: String = "NGROKCTL_GIT_TOKEN",
        username: String = "x-access-token",
        maxSnapshotBytes: Int = 64 << 20,
        maxFileBytes: Int = 4 << 20,
        maxFiles: Int = 20_000,
        sshKeyFile: String? = nil,
        knownHostsFile: String? = nil
    ) {
        self.url = url
        self.ref = ref
        self.path = path
        self.cacheDirectory = cacheDirectory
        self.tokenEnvironmentVariable = tokenEnvironmentVariable
        self.username = username
        self.maxSnapshotBytes = maxSnapshotBytes
        self.maxFileBytes = maxFileBytes
        self.maxFiles = maxFiles
        self.sshKeyFile = sshKeyFile
        self.knownHostsFile = knownHostsFile
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
