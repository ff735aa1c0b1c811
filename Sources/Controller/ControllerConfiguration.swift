import GitSource

/// Everything the controller needs to run, as parsed from flags or a config file.
public struct ControllerConfiguration: Sendable, Equatable {
    public enum LogFormat: String, Sendable, Equatable, Codable { case text, json }

    /// A secret given by reference: an environment variable or a file.
    public enum SecretSource: Sendable, Equatable {
        case env(String)
        case file(String)
        /// The secret itself (tests, embedding).
        case value(String)
    }

    public var gitURL: String
    public var ref: String
    /// The stack directory inside the repository.
    public var path: String
    /// Environment variable holding an https token for private repositories.
    public var gitTokenEnvironmentVariable: String
    public var interval: Duration
    public var driftInterval: Duration
    public var listenHost: String
    /// 0 picks a free port (tests).
    public var listenPort: Int
    public var dryRun: Bool
    /// Holds the lock file, the git cache and the persisted last good commit.
    public var stateDirectory: String
    public var webhookSecret: SecretSource?
    public var jitter: Double
    /// Deadline of one poll/fetch.
    public var fetchTimeout: Duration
    public var backoffBase: Duration
    public var backoffCap: Duration
    public var logFormat: LogFormat
    /// The stack this controller manages: a commit whose Stack has another name is not applied.
    public var stack: String?
    /// The operator's deletion cap; the stack's `maxDeletions` can only lower it.
    public var maxDeletions: Int = 10
    /// Where credential tokens are written (absolute); nil = the stack's `tokenDirectory` under
    /// the state directory. A stack's `tokenDirectory` is relative to it and must stay inside it.
    public var tokenDirectory: String?
    /// Directories outside the git tree that `{file: PATH}` references may read (absolute paths),
    /// e.g. a Kubernetes secret mount or /run/secrets.
    public var fileDirectories: [String] = []
    /// The API base URL (`--api-url` and NGROK_API_URL override it); nil = https://api.ngrok.com.
    public var apiURL: String?

    /// The directory a stack's relative `tokenDirectory` is resolved against and must stay inside.
    public var tokenBase: String { tokenDirectory ?? stateDirectory }
    /// Private key for an SSH remote (never logged).
    public var gitSSHKeyFile: String?
    /// known_hosts file pinning the SSH remote's host key.
    public var gitKnownHostsFile: String?
    /// Caps on what one commit can make the controller read (see `GitSourceConfiguration`).
    public var gitMaxFileBytes = 4 << 20
    public var gitMaxFiles = 20_000
    public var gitMaxBytes = 64 << 20
    /// Webhook-triggered syncs start at most once per this interval (later pushes are
    /// coalesced into one sync when it has passed).
    public var webhookMinInterval: Duration = .seconds(10)
    /// On SIGTERM, how long the apply in flight may take to stop between operations before the
    /// operations still in flight are abandoned.
    public var shutdownTimeout: Duration = .seconds(20)
    /// This controller's share of the account's API limit (`apiShare`, default 0.5): the rest is left
    /// for `ngrokctl plan`/`apply` and other clients of the same account.
    public var apiShare: Double = 0.5
    /// The operator's command run once per new credential token (`tokenCommand`), e.g. to push it
    /// into a secret store; nil = tokens go to files only. A manifest's `tokenCommand` is never run
    /// by the controller.
    public var tokenCommand: String?

    public init(
        gitURL: String, ref: String = "main", path: String = "", gitTokenEnvironmentVariable: String = "NGROKCTL_GIT_TOKEN",
        interval: Duration = .seconds(60), driftInterval: Duration = .seconds(600),
        listenHost: String = "127.0.0.1", listenPort: Int = 9090, dryRun: Bool = false,
        stateDirectory: String, webhookSecret: SecretSource? = nil, jitter: Double = 0.1,
        fetchTimeout: Duration = .seconds(120), backoffBase: Duration = .seconds(5), backoffCap: Duration = .seconds(300),
        logFormat: LogFormat = .text
    ) {
        self.gitURL = gitURL
        self.ref = ref
        self.path = path
        self.gitTokenEnvironmentVariable = gitTokenEnvironmentVariable
        self.interval = interval
        self.driftInterval = driftInterval
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.dryRun = dryRun
        self.stateDirectory = stateDirectory
        self.webhookSecret = webhookSecret
        self.jitter = jitter
        self.fetchTimeout = fetchTimeout
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.logFormat = logFormat
    }

    /// The listen address as `host:port`.
    public var listenAddress: String { "\(listenHost):\(listenPort)" }

    /// The git cache lives in the state directory.
    public var gitCacheDirectory: String { stateDirectory + "/git" }

    public var gitSourceConfiguration: GitSourceConfiguration {
        GitSourceConfiguration(
            url: gitURL, ref: ref, path: path, cacheDirectory: gitCacheDirectory,
            tokenEnvironmentVariable: gitTokenEnvironmentVariable, maxSnapshotBytes: gitMaxBytes,
            maxFileBytes: gitMaxFileBytes, maxFiles: gitMaxFiles, sshKeyFile: gitSSHKeyFile,
            knownHostsFile: gitKnownHostsFile)
    }

    var stateMachineConfiguration: ControllerStateMachine.Configuration {
        .init(
            interval: interval, driftInterval: driftInterval, jitter: jitter, backoffBase: backoffBase, backoffCap: backoffCap,
            webhookMinInterval: webhookMinInterval)
    }
}
