/// The files of one commit, read straight from its tree (no checkout).
///
/// Only manifests (`*.yaml`, `*.yml`, `.ngrokctlignore`) are read up front; every other file is
/// listed with its size and read on demand with `read(_:limit:)` (a file a manifest references),
/// its size checked from the object header before it is inflated.
public struct SourceSnapshot: Sendable, Equatable {
    /// The commit id (40 hex digits).
    public var commit: String
    /// The manifests' contents keyed by path relative to `path` (`/`-separated, no leading `./`).
    /// Symbolic links and submodules are not included.
    public var files: [String: [UInt8]]
    /// The other files (and manifests over the per-file cap), not read: path → size in bytes.
    public var unreadFiles: [String: Int]
    /// The reference as configured (e.g. `main`, `refs/tags/v1`, a commit id).
    public var ref: String
    /// The repository URL as configured, without credentials.
    public var url: String
    /// The subdirectory the files were read from (`""` for the root).
    public var path: String
    let reader: BlobReader?

    public init(commit: String, files: [String: [UInt8]], ref: String, url: String, path: String) {
        self.init(commit: commit, files: files, unreadFiles: [:], ref: ref, url: url, path: path, reader: nil)
    }

    init(commit: String, files: [String: [UInt8]], unreadFiles: [String: Int], ref: String, url: String, path: String, reader: BlobReader?) {
        self.commit = commit
        self.files = files
        self.unreadFiles = unreadFiles
        self.ref = ref
        self.url = URLRedaction.redact(url)
        self.path = path
        self.reader = reader
    }

    /// A short form of the commit for logs and status.
    public var shortCommit: String { String(commit.prefix(12)) }

    /// Every file path, read or not, sorted.
    public var allPaths: [String] { (Array(files.keys) + Array(unreadFiles.keys)).sorted() }

    /// A file's bytes: from `files`, or read from the repository now. Throws `tooLarge` (without
    /// inflating the file) when it is larger than `limit` or than the per-file cap, or when
    /// reading it would pass the commit's total cap; `pathNotFound` when there is no such file.
    public func read(_ path: String, limit: Int) throws(GitSourceError) -> [UInt8] {
        if let bytes = files[path] {
            guard bytes.count <= limit else { throw GitSourceError(.tooLarge, "'\(path)' is \(bytes.count) bytes, more than the limit of \(limit)") }
            return bytes
        }
        guard unreadFiles[path] != nil, let reader else {
            throw GitSourceError(.pathNotFound, "'\(path)' is not a file in commit \(shortCommit)")
        }
        return try reader.read(path, limit: limit)
    }

    public static func == (lhs: SourceSnapshot, rhs: SourceSnapshot) -> Bool {
        lhs.commit == rhs.commit && lhs.files == rhs.files && lhs.unreadFiles == rhs.unreadFiles && lhs.ref == rhs.ref
            && lhs.url == rhs.url && lhs.path == rhs.path
    }
}
