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
    /// Reads the stack from a directory (recording HEAD when it is in a git work tree) or a git repository.
    static func source(_ options: SourceOptions) async throws -> StackSource {
        if let url = options.gitURL {
            let git = try GitRepositorySource(
                configuration: GitSourceConfiguration(
                    url: url, ref: options.gitRef, path: options.gitPath, cacheDirectory: options.cacheDir))
            let snapshot = try await git.fetchSnapshot()
            return StackSource(
                root: ".", fileSystem: InMemoryFileSystem(files: snapshot.files), commit: snapshot.commit,
                origin: PlanFile.Source(gitURL: url, gitRef: options.gitRef, gitPath: options.gitPath, commit: snapshot.commit))
        }
        let workTree = (try? GitWorkTree.discover(from: options.path)) ?? nil
        var commit = workTree?.headCommit
        if let tree = workTree, tree.hasUncommittedChanges, let head = commit { commit = head + "+dirty" }
        return StackSource.directory(options.path, commit: commit)
    }

    /// A client for the stack's API: `local:PATH` starts the emulator in this process.
    /// `share` is this process's part of the account's limit when `--api-share` is not given.
    static func connect(_ options: APIOptions, stack: StackSpec?, stackRoot: String?, share: Double = 1) async throws
        -> Connection
    {
        let env = ProcessInfo.processInfo.environment
        var url = options.apiURL ?? env["NGROK_API_URL"]
        var relativeTo = FileManager.default.currentDirectoryPath
        if url == nil, let configured = stack?.api.url {
            url = configured
            relativeTo = stackRoot ?? relativeTo
        }
        let requestsPerMinute = stack?.api.requestsPerMinute ?? 120
        let concurrency = stack?.api.concurrency ?? 4
        let budget = APIBudget(
            .init(requestsPerMinute: requestsPerMinute, concurrency: concurrency, share: try options.share(default: share)))
        var emulator: EmulatorServer?
        var baseURL = url ?? NgrokClientConfiguration.defaultBaseURL
        var key: APIKey
        if let url, url.hasPrefix("local:") {
            var path = String(url.dropFirst("local:".count))
            if !path.isEmpty, !path.hasPrefix("/"), path != ":memory:" { path = relativeTo + "/" + path }
            key = (try? APIKey.load(file: options.apiKeyFile, environment: env)) ?? APIKey(Self.localKey)
            let server = try EmulatorServer(
                configuration: EmulatorConfiguration(
                    dbPath: path.isEmpty || path == ":memory:" ? nil : path, apiKeys: [key.reveal],
                    rateLimit: RateLimit(requests: requestsPerMinute, window: .seconds(60)),
                    logger: Logger(label: "ngrokctl.emulator", factory: { _ in SwiftLogNoOpLogHandler() })))
            baseURL = try await server.start()
            emulator = server
        } else {
            key = try APIKey.load(file: options.apiKeyFile, environment: env)
        }
        let client = NgrokClient(configuration: NgrokClientConfiguration(baseURL: baseURL, apiKey: key), budget: budget)
        return Connection(client: client, api: NgrokClientAPI(client: client), emulator: emulator, concurrency: concurrency)
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
