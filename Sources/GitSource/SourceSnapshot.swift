/// The files of one commit, read straight from its tree (no checkout).
public struct SourceSnapshot: Sendable, Equatable {
    /// The commit id (40 hex digits).
    public var commit: String
    /// File contents keyed by path relative to `path` (`/`-separated, no leading `./`).
    /// Symbolic links and submodules are not included.
    public var files: [String: [UInt8]]
    /// The reference as configured (e.g. `main`, `refs/tags/v1`, a commit id).
    public var ref: String
    /// The repository URL as configured.
    public var url: String
    /// The subdirectory the files were read from (`""` for the root).
    public var path: String

    public init(commit: String, files: [String: [UInt8]], ref: String, url: String, path: String) {
        self.commit = commit
        self.files = files
        self.ref = ref
        self.url = url
        self.path = path
    }

    /// A short form of the commit for logs and status.
    public var shortCommit: String { String(commit.prefix(12)) }
}
