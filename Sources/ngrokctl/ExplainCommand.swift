import ArgumentParser
import Foundation
import NgrokModel
import Reconcile

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Answer who can reach what: IP access to a domain, credential binds, an endpoint's effective configuration.",
        discussion: """
            Works offline on a stack directory (or --git), or on the account with --live. The same \
            rules evaluate both. Exit codes: 0 allowed / found, 3 denied, 1 error.
            """,
        subcommands: [Access.self, Bind.self, Endpoint.self])

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    /// Where the model comes from: the stack's manifests (offline) or the account (`--live`).
    struct ModelOptions: ParsableArguments {
        @Flag(help: "Explain the live account instead of the manifests.") var live = false
        @Option(name: .customLong("git"), help: "Read the manifests from this git repository instead of a directory.")
        var gitURL: String?
        @Option(name: .customLong("ref"), help: "Branch, tag or commit of --git.") var gitRef: String = "main"
        @Option(name: .customLong("path"), help: "Directory of the stack inside the --git repository.") var gitPath: String = ""
        @Option(help: "Cache directory for --git clones.") var cacheDir: String = ".ngrokctl-cache"
        @OptionGroup var api: APIOptions
        @Option(help: "text or json.") var format: Format = .text

        /// Builds the account view; prints why and returns nil on invalid manifests.
        func view(directory: String) async throws -> AccountView? {
            let session = StackSession.standard()
            if live {
                let connection = try await Runtime.connect(api)
                do {
                    let state = try await connection.api.snapshot()
                    await connection.close()
                    return AccountView.live(state, canonicalCIDR: session.canonicalCIDR)
                } catch {
                    await connection.close()
                    throw error
                }
            }
            var source = try SourceOptions.parse([])
            source.path = directory
            source.gitURL = gitURL
            source.gitRef = gitRef
            source.gitPath = gitPath
            source.cacheDir = cacheDir
            let loaded = session.load(try await Runtime.source(source), secrets: .optional)
            guard loaded.ok, let stack = loaded.stack else {
                Terminal.err(DiagnosticRenderer.text(loaded.diagnostics.errors, color: Terminal.useColor(STDERR_FILENO)))
                Terminal.err("The manifests are not valid: fix them, or explain the account with --live.\n")
                return nil
            }
            return AccountView.desired(stack, canonicalCIDR: session.canonicalCIDR)
        }

        /// A yes/no question asked of the view: prints the decision (JSON carries where the view came
        /// from), exits 3 when denied; a question the view cannot answer (unknown host or credential)
        /// is an error, exit 1.
        func decide(
            directory: String, _ evaluate: (AccountView) throws -> (text: String, json: WireValue, allowed: Bool)
        ) async throws {
            guard let view = try await view(directory: directory) else { throw ExitCode(ExitCodes.failure) }
            let decision: (text: String, json: WireValue, allowed: Bool)
            do {
                decision = try evaluate(view)
            } catch let failure as AccessEvaluator.Failure {
                Terminal.err("error: \(failure)\n")
                throw ExitCode(ExitCodes.failure)
            } catch let failure as ACLEvaluator.NotFound {
                Terminal.err("error: \(failure)\n")
                throw ExitCode(ExitCodes.failure)
            }
            var json = decision.json
            if case .object(var o) = json { o["origin"] = .string(view.origin); json = .object(o) }
            try ExplainCommand.emit(decision.text, json: json, format: format, allowed: decision.allowed)
        }
    }

    static func emit(_ text: String, json: WireValue, format: Format, allowed: Bool) throws {
        switch format {
        case .text: Terminal.out(text)
        case .json: Terminal.out(json.serialized(pretty: true) + "\n")
        }
        if !allowed { throw ExitCode(ExplainExit.denied) }
    }

    struct Access: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Would a connection from IP to HOST be let through (IP policies, IP whitelist)?")
        @Argument(help: "The stack directory (offline).") var directory: String = "."
        @Option(help: "The client's IPv4 or IPv6 address.") var ip: String
        @Option(help: "A reserved domain (HOST or HOST:PORT), a TCP address, or ReservedDomain/NAME, ReservedAddress/NAME.")
        var host: String
        @Option(help: "Which slot of a domain: http or https (default https, or http for HOST:80).") var scheme: AccessEvaluator.Scheme?
        @OptionGroup var model: ModelOptions

        func run() async throws {
            try await model.decide(directory: directory) { view in
                let decision = try AccessEvaluator(view: view).evaluate(ip: ip, host: host, scheme: scheme)
                return (decision.text, decision.wireValue, decision.allowed)
            }
        }
    }

    struct Bind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "May this credential's authtoken bind HOST (ACL rules)?")
        @Argument(help: "The stack directory (offline).") var directory: String = "."
        @Option(help: "The credential's name (live: its marker name, imported name or ID).") var credential: String
        @Option(help: "A hostname (app.example.com, *.example.com) or a TCP address HOST:PORT.") var host: String
        @OptionGroup var model: ModelOptions

        func run() async throws {
            try await model.decide(directory: directory) { view in
                let decision = try ACLEvaluator(view: view).evaluate(credential: credential, host: host)
                return (decision.text, decision.wireValue, decision.allowed)
            }
        }
    }

    struct Endpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The effective configuration of a reserved domain or address.",
            discussion: "Usage: explain endpoint [DIR] HOST. Secrets are never shown.")
        @Argument(help: "[DIR] HOST: the stack directory (offline, default .) and the domain, address or Kind/name.")
        var arguments: [String]
        @OptionGroup var model: ModelOptions

        func validate() throws {
            guard (1...2).contains(arguments.count) else { throw ValidationError("give [DIR] HOST") }
        }

        func run() async throws {
            let directory = arguments.count == 2 ? arguments[0] : "."
            let host = arguments.last!
            guard let view = try await model.view(directory: directory) else { throw ExitCode(ExitCodes.failure) }
            do {
                let explanation = try EndpointExplainer(view: view).explain(host)
                try ExplainCommand.emit(explanation.text, json: explanation.json, format: model.format, allowed: true)
            } catch let failure as EndpointLookup.NotFound {
                Terminal.err("error: \(failure)\n")
                throw ExitCode(ExitCodes.failure)
            }
        }
    }
}

extension AccessEvaluator.Scheme: ExpressibleByArgument {}

enum ExplainExit {
    /// `explain`: denied.
    static let denied: Int32 = 3
}
