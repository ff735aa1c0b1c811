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
    /// Reads the stack from a directory (recording HEAD when it is in a git work tree) or a git repository.
    static func source(_ options: SourceOptions) async throws -> StackSource {
        if let url = options.gitURL {
            let git = try GitRepositorySource(
                configuration: GitSourceConfiguration(
                    url: url, ref: options.gitRef, path: options.gitPath, cacheDirectory: options.cacheDir,
                    sshKeyFile: options.gitSSHKey, knownHostsFile: options.gitKnownHosts))
            let snapshot = try await git.fetchSnapshot()
            return StackSource(
                root: ".", fileSystem: SnapshotFileSystem(snapshot), commit: snapshot.commit,
                origin: PlanFile.Source(gitURL: snapshot.url, gitRef: options.gitRef, gitPath: options.gitPath, commit: snapshot.commit))
        }
        let workTree = (try? GitWorkTree.discover(from: options.path)) ?? nil
        var commit = workTree?.headCommit
        if let tree = workTree, tree.hasUncommittedChanges, let head = commit { commit = head + "+dirty" }
        return StackSource.directory(options.path, commit: commit)
    }

    /// A client for the stack's API: `local:PATH` starts the emulator in this process.
    static func connect(_ options: APIOptions, stack: StackSpec?, stackRoot: String?) async throws -> Connection {
        let env = ProcessInfo.processInfo.environment
        var url = options.apiURL ?? env["NGROK_API_URL"]
        var relativeTo = FileManager.default.currentDirectoryPath
        if url == nil, let configured = stack?.api.url {
            url = configured
            relativeTo = stackRoot ?? relativeTo
        }
        let requestsPerMinute = stack?.api.requestsPerMinute ?? 120
        let concurrency = stack?.api.concurrency ?? 4
        let budget = APIBudget(.init(requestsPerMinute: requestsPerMinute, concurrency: concurrency))
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
