import Controller
import Emulator
import Foundation
import GitSource
import Logging
import Manifests
import NgrokAPI
import NgrokModel
import Reconcile
import Validation

/// Wiring shared by the commands: the session (loader + product rules), sources and API access.
enum Runtime {
    /// Reads the stack from a directory (recording HEAD when it is in a git work tree) or a git
    /// repository. Files are read only inside the stack (or the git tree) and `--file-dir`s.
    static func source(_ options: SourceOptions) async throws -> StackSource {
        if let url = options.gitURL {
            let git = try GitRepositorySource(
                configuration: GitSourceConfiguration(
                    url: url, ref: options.gitRef, path: options.gitPath, cacheDirectory: options.cacheDir,
                    sshKeyFile: options.gitSSHKey, knownHostsFile: options.gitKnownHosts))
            let snapshot = try await git.fetchSnapshot()
            return StackSource.gitTree(
                fileSystem: SnapshotFileSystem(snapshot), commit: snapshot.commit,
                origin: PlanFile.Source(gitURL: snapshot.url, gitRef: options.gitRef, gitPath: options.gitPath, commit: snapshot.commit),
                fileDirectories: options.fileDirectories)
        }
        let workTree = (try? GitWorkTree.discover(from: options.path)) ?? nil
        var commit = workTree?.headCommit
        if let tree = workTree, tree.hasUncommittedChanges, let head = commit { commit = head + "+dirty" }
        return StackSource.directory(
            options.path, commit: commit, fileDirectories: options.fileDirectories,
            isTrackedByGit: { workTree == nil ? false : GitWorkTree.isTracked($0) })
    }

    /// The API base URL the operator chose: `--api-url`, else `NGROK_API_URL`, else the controller
    /// config's `apiURL` (`configured`), else https://api.ngrok.com. Never a manifest's.
    static func baseURL(_ api: APIOptions, configured: String? = nil) -> String {
        let environment = ProcessInfo.processInfo.environment["NGROK_API_URL"].flatMap { $0.isEmpty ? nil : $0 }
        return api.apiURL ?? environment ?? configured ?? NgrokClientConfiguration.defaultBaseURL
    }

    /// The operator's settings from flags and environment.
    static func policy(_ api: APIOptions, _ guards: GuardOptions?, source: StackSource) -> OperatorPolicy {
        let url = baseURL(api)
        // A stack read from git has no directory on disk: its token directory is relative to the
        // current directory.
        let base = source.origin.directory ?? FileManager.default.currentDirectoryPath
        return OperatorPolicy(
            apiURL: url, allowManifestAPIURL: api.allowManifestApiUrl,
            maxDeletions: guards?.maxDeletions ?? OperatorPolicy.defaultMaxDeletions,
            approvedDeletions: guards?.allowDeletions, allowEmptyStack: guards?.allowEmptyStack ?? false,
            tokenBase: base, tokenDirectory: guards?.tokenDir.map { DirectoryFileSystem.absolute($0) })
    }

    /// A client for the operator's API, for commands that read no stack (import, explain --live).
    static func connect(_ options: APIOptions) async throws -> Connection {
        try await connect(
            options, policy: OperatorPolicy(apiURL: baseURL(options), tokenBase: FileManager.default.currentDirectoryPath), stack: nil)
    }

    /// A client for the API the operator chose (`local:PATH` starts the emulator in this process).
    /// The stack may only repeat that URL, unless the operator allows its `spec.api.url`.
    /// `share` is this process's part of the account's limit when `--api-share` is not given.
    static func connect(_ options: APIOptions, policy: OperatorPolicy, stack: StackSpec?, share: Double = 1) async throws
        -> Connection
    {
        let env = ProcessInfo.processInfo.environment
        let url: String
        do { url = try policy.apiURL(manifestURL: stack?.api.url) } catch { throw RefusedError(message: error.message) }
        let requestsPerMinute = stack?.api.requestsPerMinute ?? 120
        let concurrency = stack?.api.concurrency ?? 4
        let budget = APIBudget(
            .init(requestsPerMinute: requestsPerMinute, concurrency: concurrency, share: try options.share(default: share)))
        var emulator: EmulatorServer?
        var baseURL = url
        var key: APIKey
        if url.hasPrefix("local:") {
            var path = String(url.dropFirst("local:".count))
            if !path.isEmpty, !path.hasPrefix("/"), path != ":memory:" {
                path = FileManager.default.currentDirectoryPath + "/" + path
            }
            key = (try? APIKey.load(file: options.apiKeyFile, environment: env)) ?? APIKey(Self.localKey)
            let server = try EmulatorServer(
                configuration: EmulatorConfiguration(
                    dbPath: path.isEmpty || path == ":memory:" ? nil : path, apiKeys: [key.reveal],
                    rateLimit: RateLimit(requests: requestsPerMinute, window: .seconds(60)),
                    logger: Logger(label: "ngrokctl.emulator", factory: { _ in SwiftLogNoOpLogHandler() })))
            baseURL = try await server.start()
            emulator = server
        } else {
            // Refused before the key is even loaded: never over plain http except to loopback.
            if let problem = KeyTransport.problem(baseURL: url) { throw RefusedError(message: problem) }
            key = try APIKey.load(file: options.apiKeyFile, environment: env)
        }
        let client = NgrokClient(configuration: NgrokClientConfiguration(baseURL: baseURL, apiKey: key), budget: budget)
        return Connection(client: client, api: NgrokClientAPI(client: client), emulator: emulator, concurrency: concurrency)
    }

    /// The operator's settings refuse the run (exit 1, the message printed as the error).
    struct RefusedError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The directory annotation and SARIF paths are relative to: `GITHUB_WORKSPACE` in GitHub Actions,
    /// else the top of the git work tree around the current directory, else the current directory.
    static func repositoryBase() -> String {
        let env = ProcessInfo.processInfo.environment
        if let workspace = env["GITHUB_WORKSPACE"], !workspace.isEmpty { return DirectoryFileSystem.absolute(workspace) }
        let cwd = FileManager.default.currentDirectoryPath
        if let tree = (try? GitWorkTree.discover(from: cwd)) ?? nil { return tree.root }
        return cwd
    }

    /// The key the embedded emulator accepts when NGROK_API_KEY is not set (it guards nothing real).
    static let localKey = "ngrokctl-local-emulator"

    struct Connection {
        var client: NgrokClient
        var api: NgrokClientAPI
        var emulator: EmulatorServer?
        var concurrency: Int

        func close() async { await emulator?.stop() }
    }
}
