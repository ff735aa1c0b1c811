import Foundation

/// A git repository read at a reference: a bare clone in a cache directory, fetched when the
/// remote moved, and read from the commit's tree without a checkout.
///
/// All libgit2 work runs on one serial dispatch queue per source — never on Swift's cooperative
/// pool — and every network operation has a deadline.
public final class GitRepositorySource: Sendable {
    public let configuration: GitSourceConfiguration
    /// The URL given to libgit2 (a relative local path made absolute; user-info of non-SSH
    /// URLs removed: a token in it is offered through the credential callback instead, and only
    /// to this host over https).
    public let resolvedURL: String
    /// The URL as shown in logs and errors (no credentials).
    public let displayURL: String
    private let remote: GitRemoteURL
    /// The bare cache repository for this URL.
    public let cachePath: String
    private let path: String
    private let token: String?
    private let handle: RepositoryHandle
    private let runner: BlockingRunner

    public init(
        configuration: GitSourceConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(GitSourceError) {
        LibGit2.ensureInitialised()
        guard !configuration.url.isEmpty else { throw GitSourceError(.invalidConfiguration, "the git URL is empty") }
        self.configuration = configuration
        let resolved = Self.resolve(url: configuration.url)
        self.remote = GitRemoteURL(parsing: resolved)
        self.resolvedURL = remote.isSSH || remote.scheme.isEmpty ? resolved : Self.withoutUserInfo(resolved)
        self.displayURL = URLRedaction.redact(configuration.url)
        self.path = try Self.normalise(path: configuration.path)
        self.token = environment[configuration.tokenEnvironmentVariable]
        let cacheRoot = configuration.cacheDirectory.isEmpty ? "." : configuration.cacheDirectory
        self.cachePath = cacheRoot + "/" + Self.cacheName(for: resolvedURL)
        self.handle = RepositoryHandle(path: cachePath)
        self.runner = BlockingRunner(label: "ngrokctl.git.\(Self.cacheName(for: resolvedURL))")
        if remote.isSSH {
            guard let knownHosts = configuration.knownHostsFile, !knownHosts.isEmpty else {
                throw GitSourceError(
                    .invalidConfiguration,
                    "\(displayURL) is an SSH remote: set git.knownHostsFile (--git-known-hosts) to a known_hosts file pinning its host key")
            }
        }
    }

    /// Resolves the reference on the remote and fetches only when it moved. An unchanged
    /// remote costs one connection and one ref listing.
    public func poll(deadline: ContinuousClock.Instant) async throws(GitSourceError) -> GitPollResult {
        let url = resolvedURL
        let reference = configuration.reference
        let username = configuration.username
        let token = token
        let tokenSource = configuration.tokenEnvironmentVariable
        let handle = handle
        let remote = remote
        let ssh = TransferContext.SSHSettings(keyFile: configuration.sshKeyFile, knownHostsFile: configuration.knownHostsFile)
        return try await runner.run(deadline: deadline, operation: "poll \(displayURL)") { flag throws(GitSourceError) in
            let context = TransferContext(
                flag: flag, deadline: deadline, url: url, remote: remote, username: username, token: token,
                tokenSource: tokenSource, ssh: ssh)
            return try handle.poll(url: url, reference: reference, context: context)
        }
    }

    /// The files of `commit` under the configured path. The commit must be in the cache
    /// (returned by `poll`). Manifests are read now, other files on demand; a commit over a cap
    /// throws `tooLarge`.
    public func snapshot(commit: String) async throws(GitSourceError) -> SourceSnapshot {
        let handle = handle
        let path = path
        let limits = ReadLimits(
            maxFileBytes: configuration.maxFileBytes, maxFiles: configuration.maxFiles,
            maxTotalBytes: configuration.maxSnapshotBytes)
        let read = try await runner.run(
            deadline: .now + .seconds(600), operation: "read \(commit.prefix(12))"
        ) { _ throws(GitSourceError) in
            try handle.files(commit: commit, path: path, limits: limits)
        }
        let reader = BlobReader(path: cachePath, commit: commit, entries: read.unread, limits: limits, alreadyRead: read.bytes)
        return SourceSnapshot(
            commit: commit, files: read.files, unreadFiles: read.unread.mapValues(\.size), ref: configuration.ref,
            url: displayURL, path: path, reader: reader)
    }

    /// Polls, then reads the resulting commit: the one-shot form used by `plan --git`.
    public func fetchSnapshot(timeout: Duration = .seconds(120)) async throws(GitSourceError) -> SourceSnapshot {
        let result = try await poll(deadline: .now + timeout)
        return try await snapshot(commit: result.commit)
    }

    // MARK: Helpers

    static func resolve(url: String) -> String {
        if url.contains("://") || !GitRemoteURL(parsing: url).scheme.isEmpty { return url }
        if url.hasPrefix("/") { return url }
        let cwd = FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: url, relativeTo: URL(fileURLWithPath: cwd + "/")).standardizedFileURL.path
    }

    /// `scheme://host/path` without `user:password@`.
    static func withoutUserInfo(_ url: String) -> String {
        guard let range = url.range(of: "://") else { return url }
        let rest = url[range.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<range.upperBound]) + rest[rest.index(after: at)...]
    }

    static func normalise(path: String) throws(GitSourceError) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }
        if parts.contains("..") {
            throw GitSourceError(.invalidConfiguration, "the source path '\(path)' must not contain '..'")
        }
        return parts.joined(separator: "/")
    }

    /// `<last path component>-<FNV-1a 64 of the URL>.git`: stable, readable, collision-safe enough.
    static func cacheName(for url: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in url.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        var base = url.split(separator: "/").last.map(String.init) ?? "repo"
        if base.hasSuffix(".git") { base.removeLast(4) }
        let safe = String(base.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.prefix(40))
        let hex = String(hash, radix: 16)
        return "\(safe.isEmpty ? "repo" : safe)-\(String(repeating: "0", count: 16 - hex.count))\(hex).git"
    }
}
