import ArgumentParser
import Controller
import Foundation
import Logging
import Manifests
import NgrokAPI
import Reconcile
import ServiceLifecycle
import UnixSignals

struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Keep the account equal to a git branch: poll, apply new commits, correct drift.",
        discussion: """
            Serves /healthz, /readyz, /status, /metrics and POST /webhook/github on --listen. \
            SIGTERM/SIGINT stop the apply in progress between operations (within shutdownTimeout) \
            and exit 0. Settings come from --config FILE \
            (JSON, see docs/controller.md) or from the flags below.
            """)

    @Option(help: "Controller config file (JSON). Flags given as well override it.") var config: String?
    @Option(name: .customLong("git"), help: "Repository URL (path, file://, https://, ssh:// or git@host:repo.git).") var gitURL: String?
    @Option(name: .customLong("git-ssh-key"), help: "Private key file for an SSH remote.") var gitSSHKey: String?
    @Option(name: .customLong("git-known-hosts"), help: "known_hosts file pinning the SSH remote's host key.") var gitKnownHosts: String?
    @Option(help: "Branch, tag or commit to follow.") var ref: String?
    @Option(help: "Stack directory inside the repository.") var path: String?
    @Option(help: "Poll interval, e.g. 1m.") var interval: String?
    @Option(help: "Drift check interval, e.g. 10m.") var driftInterval: String?
    @Option(help: "HTTP listen address HOST:PORT.") var listen: String?
    @Flag(help: "Only report what would change.") var dryRun = false
    @Option(help: "State directory (lock, git cache, last good commit).") var stateDir: String?
    @Option(help: "Environment variable holding the GitHub webhook secret.") var webhookSecretEnv: String?
    @Option(help: "File holding the GitHub webhook secret.") var webhookSecretFile: String?
    @Option(help: "text or json.") var logFormat: String?
    @OptionGroup var api: APIOptions
    @Option(help: "The stack this controller manages (a commit naming another stack is not applied).") var stack: String?
    @Option(help: "The deletion cap (default 10); the stack's maxDeletions can only lower it.") var maxDeletions: Int?
    @Option(help: "Where credential tokens are written (a stack's tokenDirectory is relative to it; default: the state directory).") var tokenDir: String?
    @Option(name: .customLong("file-dir"), help: "A directory {file: PATH} may read outside the git tree. Repeatable.")
    var fileDirectories: [String] = []

    func run() async throws {
        var configuration: ControllerConfiguration
        if let config {
            configuration = try ControllerConfigFile.load(path: config)
        } else {
            guard let gitURL else { throw ValidationError("give --git URL (or --config FILE)") }
            configuration = ControllerConfiguration(gitURL: gitURL, stateDirectory: stateDir ?? ".ngrokctl-controller")
        }
        if let gitURL { configuration.gitURL = gitURL }
        if let gitSSHKey { configuration.gitSSHKeyFile = gitSSHKey }
        if let gitKnownHosts { configuration.gitKnownHostsFile = gitKnownHosts }
        if let ref { configuration.ref = ref }
        if let path { configuration.path = path }
        if let stateDir { configuration.stateDirectory = stateDir }
        if dryRun { configuration.dryRun = true }
        if let stack { configuration.stack = stack }
        if let maxDeletions { configuration.maxDeletions = maxDeletions }
        if let tokenDir { configuration.tokenDirectory = DirectoryFileSystem.absolute(tokenDir) }
        if !fileDirectories.isEmpty { configuration.fileDirectories = fileDirectories.map { DirectoryFileSystem.absolute($0) } }
        if let interval { configuration.interval = try Self.duration(interval, "--interval") }
        if let driftInterval { configuration.driftInterval = try Self.duration(driftInterval, "--drift-interval") }
        if let listen {
            (configuration.listenHost, configuration.listenPort) = try ControllerConfigFile.parseListen(listen)
        }
        if let webhookSecretEnv { configuration.webhookSecret = .env(webhookSecretEnv) }
        if let webhookSecretFile { configuration.webhookSecret = .file(webhookSecretFile) }
        if let logFormat {
            guard let format = ControllerConfiguration.LogFormat(rawValue: logFormat) else {
                throw ValidationError("--log-format takes text or json")
            }
            configuration.logFormat = format
        }
        let json = configuration.logFormat == .json
        LoggingSystem.bootstrap { label in
            json ? JSONLogHandler(label: label) as any LogHandler : StreamLogHandler.standardError(label: label)
        }
        let logger = Logger(label: "ngrokctl.controller")
        let policy = OperatorPolicy(
            apiURL: Runtime.baseURL(api, configured: configuration.apiURL), tokenBase: configuration.tokenBase)
        let connection = try await Runtime.connect(api, policy: policy, stack: nil, share: configuration.apiShare)
        let engine = ReconcileEngine(
            session: StackSession.standard(), client: connection.client, logger: logger, configuration: configuration)
        let controller = try Controller(configuration: configuration, engine: engine, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: controller)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await connection.close()
    }

    static func duration(_ text: String, _ flag: String) throws -> Duration {
        guard let value = ControllerConfigFile.parseDuration(text) else {
            throw ValidationError("\(flag) takes a duration such as 30s, 1m or 1h")
        }
        return value
    }
}

struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Install and manage the controller as a systemd service (like `ngrok service`).",
        subcommands: [Install.self, Uninstall.self, Start.self, Stop.self, Restart.self, Status.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the config, write the unit, enable and start it.")
        @Option(help: "Controller config file (validated first).") var config: String
        @Option(help: "Unit name.") var name = "ngrokctl-controller"
        @Option(help: "Run as this user.") var user: String?

        func run() throws {
            let executable = CommandLine.arguments[0].hasPrefix("/")
                ? CommandLine.arguments[0]
                : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]
            let configPath = config.hasPrefix("/") ? config : FileManager.default.currentDirectoryPath + "/" + config
            let unit = SystemdUnit(name: name, executablePath: executable, configPath: configPath, user: user)
            let path = try ServiceManager().install(unit) { path in _ = try ControllerConfigFile.load(path: path) }
            Terminal.out("installed and started \(path)\n")
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop, disable and remove the unit.")
        @Option(help: "Unit name.") var name = "ngrokctl-controller"
        func run() throws {
            try ServiceManager().uninstall(SystemdUnit(name: name, executablePath: "", configPath: ""))
            Terminal.out("removed \(name)\n")
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start the service.")
        @Option(help: "Unit name.") var name = "ngrokctl-controller"
        func run() throws { try ServiceCommand.control(.start, name) }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the service.")
        @Option(help: "Unit name.") var name = "ngrokctl-controller"
        func run() throws { try ServiceCommand.control(.stop, name) }
    }

    struct Restart: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Restart the service.")
        @Option(help: "Unit name.") var name = "ngrokctl-controller"
        func run() throws { try ServiceCommand.control(.restart, name) }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the service's status.")
        @Option(help: "Unit name.") var name = "ngrokctl-controller"
        func run() throws { try ServiceCommand.control(.status, name) }
    }

    static func control(_ command: ServiceManager.Command, _ name: String) throws {
        Terminal.out(try ServiceManager().control(command, SystemdUnit(name: name, executablePath: "", configPath: "")))
    }
}
