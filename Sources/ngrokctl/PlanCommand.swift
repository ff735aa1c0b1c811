import ArgumentParser
import Foundation
import Logging
import NgrokAPI
import NgrokModel
import Reconcile

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the exact changes that apply would make to the account.",
        discussion: """
            Reads the manifests and the account (one paginated list per collection) and prints the \
            operations in the order apply runs them. Exit codes: 0 success, 1 error; with \
            --detailed-exitcode: 0 no changes, 1 error, 2 changes.
            """)

    @OptionGroup var source: SourceOptions
    @OptionGroup var api: APIOptions
    @OptionGroup var targeting: TargetOptions
    @OptionGroup var guards: GuardOptions
    @Option(help: "text, json or markdown.") var format: PlanRenderer.Format = .text
    @Flag(help: "Exit 2 when there are changes, 0 when none.") var detailedExitcode = false
    @Option(help: "Save the plan to this file for `ngrokctl apply FILE`.") var out: String?
    @Flag(help: "No colors (also NO_COLOR=1).") var noColor = false
    @Option(name: .customLong("explain-access"), help: "IP@HOST: also show whether IP can reach HOST before → after. Repeatable.")
    var explainAccess: [String] = []

    func run() async throws {
        let pairs = try explainAccess.map { text in
            guard let pair = AccessChange.Pair(parsing: text) else {
                throw ValidationError("--explain-access \(text): write IP@HOST, e.g. 203.0.113.7@app.example.com")
            }
            return pair
        }
        let prepared = try await PreparedPlan.make(source: source, api: api, guards: guards, targeting: targeting)
        guard let prepared else { throw ExitCode(ExitCodes.failure) }
        let plan = prepared.plan
        let rendered = PlanRenderer.render(plan, format: format, color: format == .text && Terminal.useColor(disabled: noColor))
        Terminal.out(pairs.isEmpty ? rendered : PlanAccess.render(rendered, pairs: pairs, prepared: prepared, format: format))
        if let out {
            let file = PlanFile(plan: plan, source: prepared.loaded.source.origin)
            try file.encoded.write(toFile: out, atomically: true, encoding: .utf8)
            Terminal.err("Saved the plan to \(out); apply it with: ngrokctl apply \(out)\n")
        }
        if api.verbose { Terminal.err(prepared.connection.client.statistics.description + "\n") }
        await prepared.connection.close()
        if !plan.errors.isEmpty { throw ExitCode(ExitCodes.failure) }
        if detailedExitcode && !plan.isEmpty { throw ExitCode(ExitCodes.changes) }
    }
}

extension PlanRenderer.Format: ExpressibleByArgument {}

/// Load, validate, connect, read the account and plan: the common start of plan and apply.
struct PreparedPlan {
    var loaded: StackSession.Loaded
    var connection: Runtime.Connection
    var plan: Plan
    var session: ApplySession
    /// The account as the plan read it.
    var live: LiveState

    /// nil (after printing why) when the manifests are invalid.
    static func make(source: SourceOptions, api: APIOptions, guards: GuardOptions, targeting: TargetOptions) async throws
        -> PreparedPlan?
    {
        let (targets, excludes) = try targeting.addresses()
        let stackSource = try await Runtime.source(source)
        return try await make(
            stackSource: stackSource, api: api, guards: guards, options: PlanOptions(targets: targets, excludes: excludes))
    }

    static func make(stackSource: StackSource, api: APIOptions, guards: GuardOptions, options: PlanOptions) async throws
        -> PreparedPlan?
    {
        let policy = Runtime.policy(api, guards, source: stackSource)
        let standard = StackSession.standard()
        let loaded = ApplySession.load(stackSource, session: standard, policy: policy)
        guard loaded.ok, let stack = loaded.stack else {
            for d in loaded.diagnostics {
                Terminal.err((d.severity == .error ? "error: " : "") + OutputEscaping.text(d.description) + "\n")
            }
            Terminal.err("The manifests are not valid: nothing was read from or sent to the API.\n")
            return nil
        }
        let connection = try await Runtime.connect(api, policy: policy, stack: stack.spec)
        let session = ApplySession(
            session: standard, policy: policy, api: connection.api, concurrency: connection.concurrency,
            logger: Logger(label: "ngrokctl.apply"))
        do {
            let live = try await connection.api.snapshot()
            let plan = try session.plan(loaded, live: live, options: options)
            return PreparedPlan(loaded: loaded, connection: connection, plan: plan, session: session, live: live)
        } catch {
            await connection.close()
            throw error
        }
    }
}
