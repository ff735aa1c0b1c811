import Foundation
import Logging
import NgrokModel

/// The one way to plan and apply a stack with the operator's guards, shared by `ngrokctl plan`,
/// `ngrokctl apply` and the controller: the operator policy's checks (stack name, API URL,
/// token directory), the deletion cap and the empty-stack refusal as plan errors, the saved-plan
/// staleness check, the token sink and the progress events.
public struct ApplySession: Sendable {
    public var session: StackSession
    public var policy: OperatorPolicy
    public var api: any ReconcileAPI
    public var concurrency: Int
    public var logger: Logger

    public init(session: StackSession, policy: OperatorPolicy, api: any ReconcileAPI, concurrency: Int, logger: Logger) {
        self.session = session
        self.policy = policy
        self.api = api
        self.concurrency = concurrency
        self.logger = logger
    }

    /// Loads and validates the stack, then applies the operator's checks that need no API access.
    /// Not `ok` (with the reasons as errors) when the stack may not be planned at all.
    public func load(_ source: StackSource) -> StackSession.Loaded {
        Self.load(source, session: session, policy: policy)
    }

    /// `load(_:)` before there is a connection to the API (the URL depends on the stack).
    public static func load(_ source: StackSource, session: StackSession, policy: OperatorPolicy) -> StackSession.Loaded {
        var loaded = session.load(source)
        if let stack = loaded.stack {
            loaded.diagnostics = (loaded.diagnostics + policy.check(stack)).sortedForDisplay()
        }
        return loaded
    }

    /// Reads the account and plans; the policy's refusals (too many deletions, an emptied stack,
    /// a token directory outside its base) are added to `plan.errors`, so nothing is applied.
    public func plan(_ loaded: StackSession.Loaded, options: PlanOptions) async throws -> Plan {
        try plan(loaded, live: try await api.snapshot(), options: options)
    }

    /// `plan(_:options:)` against a live state already read (callers reuse it, e.g. `--explain-access`).
    /// The token directory is listed, so that a credential whose token file is missing (created,
    /// but its token never delivered) is replaced — the same for the CLI and the controller.
    public func plan(_ loaded: StackSession.Loaded, live: LiveState, options: PlanOptions) throws -> Plan {
        var loaded = loaded
        var options = options
        if var stack = loaded.stack {
            if stack.spec.tokenDirectory == nil, policy.tokenDirectory != nil {
                // The operator's directory serves a stack that names none.
                stack.spec.tokenDirectory = "."
                loaded.stack = stack
            }
            if options.tokenDirectory == nil, let directory = try? policy.tokenDirectory(for: stack.spec) {
                options.tokenDirectory = directory
                if options.tokenFiles == nil, FileManager.default.fileExists(atPath: directory) {
                    options.tokenFiles = TokenSink(directory: directory).existingFiles()
                }
            }
        }
        options.now = options.now ?? Date()
        var plan = try session.plan(loaded, live: live, options: options)
        if let stack = loaded.stack {
            plan.errors += policy.check(stack).filter { !loaded.diagnostics.contains($0) }
            plan.errors += policy.check(plan, stack: stack)
        }
        return plan
    }

    /// Why a saved plan may not be applied in place of `fresh`; nil when it may.
    public func staleness(of saved: PlanFile, fresh: Plan, commit: String?) -> String? {
        saved.staleness(comparedWith: fresh, commit: commit)
    }

    public enum ApplyError: Error, CustomStringConvertible {
        case planHasErrors([Diagnostic])
        public var description: String {
            switch self {
            case .planHasErrors(let errors):
                "the plan has errors, nothing was applied:\n"
                    + errors.map { "  " + OutputEscaping.text($0.description) }.joined(separator: "\n")
            }
        }
    }

    /// Applies `plan` (made by `plan(_:options:)`) in dependency order. Refuses a plan with errors
    /// and re-checks the guards, so a caller cannot skip them.
    public func apply(
        _ plan: Plan, stack: Stack, tokenCommand: TokenCommand? = nil,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        onEvent: @escaping @Sendable (Executor.Event) -> Void = { _ in }
    ) async throws -> Executor.Result {
        let errors = plan.errors + policy.check(plan, stack: stack)
        guard errors.isEmpty else { throw ApplyError.planHasErrors(errors) }
        var spec = stack.spec
        if spec.tokenDirectory == nil, policy.tokenDirectory != nil { spec.tokenDirectory = "." }
        let directory: String?
        do { directory = try policy.tokenDirectory(for: spec) } catch {
            throw ApplyError.planHasErrors([.error(at: stack.spec.source.document, nil, error.message)])
        }
        var executor = Executor(
            api: api, concurrency: concurrency, tokens: directory.map { TokenSink(directory: $0, command: tokenCommand) }, logger: logger)
        executor.shouldStop = shouldStop
        return await executor.execute(plan, onEvent: onEvent)
    }
}
