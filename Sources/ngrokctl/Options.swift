import ArgumentParser
import NgrokModel

/// Where the manifests come from: a directory (default `.`) or a git repository.
struct SourceOptions: ParsableArguments {
    @Argument(help: "The stack directory (holding ngrokctl.yaml); for apply, also a saved plan file.")
    var path: String = "."

    @Option(name: .customLong("git"), help: "Read the manifests from this git repository (path, file://, https://, ssh:// or git@host:repo.git) instead of a directory.")
    var gitURL: String?

    @Option(name: .customLong("ref"), help: "Branch, tag or commit of --git.")
    var gitRef: String = "main"

    @Option(name: .customLong("path"), help: "Directory of the stack inside the --git repository.")
    var gitPath: String = ""

    @Option(help: "Cache directory for --git clones.")
    var cacheDir: String = ".ngrokctl-cache"

    @Option(name: .customLong("git-ssh-key"), help: "Private key file for an SSH --git remote (ssh://… or git@host:repo.git).")
    var gitSSHKey: String?

    @Option(name: .customLong("git-known-hosts"), help: "known_hosts file pinning the SSH --git remote's host key (required for SSH).")
    var gitKnownHosts: String?

    @Option(
        name: .customLong("file-dir"),
        help: "Also allow {file: PATH} references (absolute paths) inside this directory, e.g. /run/secrets. Repeatable.")
    var fileDirectories: [String] = []
}

/// The operator's guards on what a plan may do (a manifest can only narrow them).
struct GuardOptions: ParsableArguments {
    @Option(help: "The operator's deletion cap (default 10); the stack's maxDeletions can only lower it.")
    var maxDeletions: Int = 10

    @Option(help: "Approve this many deletions for this run, whatever the caps say (after reviewing the plan).")
    var allowDeletions: Int?

    @Flag(help: "Allow a plan that deletes every object the stack owns (the stack declares no resources).")
    var allowEmptyStack = false

    @Option(help: "Write new credential tokens here; the stack's tokenDirectory is then relative to it.")
    var tokenDir: String?
}

/// How to reach the ngrok API.
struct APIOptions: ParsableArguments {
    @Option(help: "API base URL, or local:PATH for the embedded emulator with its SQLite file (env NGROK_API_URL).")
    var apiURL: String?

    @Flag(help: "Use the stack's spec.api.url (never local:) instead of refusing a URL that differs from the operator's.")
    var allowManifestApiUrl = false

    @Option(help: "Read the API key from this file instead of NGROK_API_KEY.")
    var apiKeyFile: String?

    @Flag(help: "Print API request counts and budget waits at the end.")
    var verbose = false
}

/// Which resources a plan covers.
struct TargetOptions: ParsableArguments {
    @Option(name: .customLong("target"), help: "Only this resource (Kind/name) and what it depends on. Repeatable.")
    var targets: [String] = []

    @Option(name: .customLong("exclude"), help: "Leave this resource (Kind/name) alone. Repeatable.")
    var excludes: [String] = []

    func addresses() throws -> (targets: [ResourceAddress], excludes: [ResourceAddress]) {
        func parse(_ text: String) throws -> ResourceAddress {
            guard let address = ResourceAddress(parsing: text) else {
                throw ValidationError(
                    "'\(text)' is not a resource address; use Kind/name, e.g. IPPolicy/office (kinds: "
                        + Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            return address
        }
        return (try targets.map(parse), try excludes.map(parse))
    }
}
