import Foundation

/// A git repository read at a reference: a bare clone in a cache directory, fetched when the
/// remote moved, and read from the commit's tree without a checkout.
///
/// All libgit2 work runs on one serial dispatch queue per source — never on Swift's cooperative
/// pool — and every network operation has a deadline.
public final class GitRepositorySource: Sendable {
    public let configuration: GitSourceConfiguration
    /// The URL given to libgit2 (a relative local path made absolute).
    public let resolvedURL: String
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
        self.resolvedURL = Self.resolve(url: configuration.url)
        self.path = try Self.normalise(path: configuration.path)
        self.token = environment[configuration.tokenEnvironmentVariable]
        let cacheRoot = configuration.cacheDirectory.isEmpty ? "." : configuration.cacheDirectory
        self.cachePath = cacheRoot + "/" + Self.cacheName(for: resolvedURL)
        self.handle = RepositoryHandle(path: cachePath)
        self.runner = BlockingRunner(label: "ngrokctl.git.\(Self.cacheName(for: resolvedURL))")
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
        return try await runner.run(deadline: deadline, operation: "poll \(configuration.url)") { flag throws(GitSourceError) in
            let context = TransferContext(
                flag: flag, deadline: deadline, url: url, username: username, token: token, tokenSource: tokenSource)
            return try handle.poll(url: url, reference: reference, context: context)
        }
    }

    /// The files of `commit` under the configured path. The commit must be in the cache
    /// (returned by `poll`).
    public func snapshot(commit: String) async throws(GitSourceError) -> SourceSnapshot {
        let handle = handle
        let path = path
        let maxBytes = configuration.maxSnapshotBytes
        let files = try await runner.run(
            deadline: .now + .seconds(600), operation: "read \(commit.prefix(12))"
        ) { _ throws(GitSourceError) in
            try handle.files(commit: commit, path: path, maxBytes: maxBytes)
        }
        return SourceSnapshot(commit: commit, files: files, ref: configuration.ref, url: configuration.url, path: path)
    }

    /// Polls, then reads the resulting commit: the one-shot form used by `plan --git`.
    public func fetchSnapshot(timeout: Duration = .seconds(120)) async throws(GitSourceError) -> SourceSnapshot {
        let result = try await poll(deadline: .now + timeout)
        return try await snapshot(commit: result.commit)
    }

    // MARK: Helpers

    static func resolve(url: String) -> String {
        if url.contains("://") || url.hasPrefix("git@") { return url }
        if url.hasPrefix("/") { return url }
        let cwd = FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: url, relativeTo: URL(fileURLWithPath: cwd + "/")).standardizedFileURL.path
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
