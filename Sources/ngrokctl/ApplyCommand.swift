import ArgumentParser
import Foundation
import Logging
import NgrokAPI
import NgrokModel
import Reconcile

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Plan, show, confirm and apply the changes in dependency order.",
        discussion: """
            `apply DIR` plans and asks for confirmation on a terminal (or --auto-approve). `apply FILE` \
            applies a plan saved with `plan --out FILE`, and refuses it when the account or the source \
            changed since. Exit 0 when everything was applied, 1 otherwise (the next run resumes).
            """)

    @OptionGroup var source: SourceOptions
    @OptionGroup var api: APIOptions
    @OptionGroup var targeting: TargetOptions
    @OptionGroup var guards: GuardOptions
    @OptionGroup var tokenOptions: TokenOptions
    @Flag(help: "Do not ask for confirmation.") var autoApprove = false
    @Flag(help: "No colors (also NO_COLOR=1).") var noColor = false

    func run() async throws {
        var savedPlan: PlanFile?
        var stackSource: StackSource
        var isDirectory: ObjCBool = false
        if source.gitURL == nil, FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory),
            !isDirectory.boolValue
        {
            let file = try PlanFile(contentsOf: source.path)
            savedPlan = file
            stackSource = try await Self.source(of: file, cacheDir: source.cacheDir, given: source)
        } else {
            stackSource = try await Runtime.source(source)
        }
        let (targets, excludes) = try targeting.addresses()
        guard
            let prepared = try await PreparedPlan.make(
                stackSource: stackSource, api: api, guards: guards, options: PlanOptions(targets: targets, excludes: excludes))
        else { throw ExitCode(ExitCodes.failure) }
        let connection = prepared.connection
        let plan = prepared.plan
        let color = Terminal.useColor(disabled: noColor)
        func finish(_ code: Int32) async throws {
            if api.verbose { Terminal.err(connection.client.statistics.description + "\n") }
            await connection.close()
            if code != 0 { throw ExitCode(code) }
        }

        if let savedPlan, let why = prepared.session.staleness(of: savedPlan, fresh: plan, commit: stackSource.commit) {
            Terminal.err("error: the saved plan is stale: \(why). Run `ngrokctl plan --out FILE` again.\n")
            return try await finish(ExitCodes.failure)
        }
        Terminal.out(PlanRenderer.text(plan, color: color))
        guard plan.errors.isEmpty else {
            for error in plan.errors { Terminal.err("error: " + OutputEscaping.text(error.description) + "\n") }
            Terminal.err("The plan has errors: nothing was applied.\n")
            return try await finish(ExitCodes.failure)
        }
        guard !plan.isEmpty else { return try await finish(ExitCodes.ok) }
        let stack = prepared.loaded.stack!
        if savedPlan == nil, !autoApprove,
            !Self.confirmed("Apply these changes to stack \(OutputEscaping.text(stack.name))?", cancelled: "Apply cancelled.")
        {
            return try await finish(ExitCodes.failure)
        }
        let ok = try await Self.apply(plan, stack: stack, prepared: prepared, tokenOptions: tokenOptions, color: color)
        try await finish(ok ? ExitCodes.ok : ExitCodes.failure)
    }

    static func execute(
        _ plan: Plan, stack: Stack, session: ApplySession, connection: Runtime.Connection, color: Bool,
        tokenCommand: TokenCommand? = nil
    ) async throws -> Executor.Result {
        let total = plan.operations.count
        let progress = ApplyProgress(
            total: total, budget: connection.client.budget, concurrency: connection.concurrency,
            terminal: ApplyProgress.stdoutIsTerminal, color: color)
        Terminal.out("\nApplying \(total) operations to stack \(OutputEscaping.text(stack.name))…\n" + (progress.upfront() ?? ""))
        let result = try await session.apply(plan, stack: stack, tokenCommand: tokenCommand, shouldStop: { false }) { event in
            let text = progress.render(event)
            if !text.isEmpty { Terminal.out(text) }
        }
        let stats = connection.client.statistics
        Terminal.out(
            "\nApply \(result.ok ? "complete" : "incomplete"): \(result.succeeded) succeeded, \(result.failed) failed, "
                + "\(result.skipped) skipped; \(stats.totalRequests) API requests in "
                + String(format: "%.1f s", result.elapsed.seconds)
                + ".\n")
        if !result.ok { Terminal.out("Run apply again to finish: it resumes from what exists.\n") }
        return result
    }

    /// The source a saved plan was made from.
    static func source(of file: PlanFile, cacheDir: String, given: SourceOptions? = nil) async throws -> StackSource {
        if let url = file.source.gitURL {
            var options = try SourceOptions.parse([])
            options.gitSSHKey = given?.gitSSHKey
            options.gitKnownHosts = given?.gitKnownHosts
            options.gitURL = url
            options.gitRef = file.source.commit ?? file.source.gitRef ?? "main"
            options.gitPath = file.source.gitPath ?? ""
            options.cacheDir = cacheDir
            options.fileDirectories = given?.fileDirectories ?? []
            return try await Runtime.source(options)
        }
        guard let directory = file.source.directory else {
            throw ValidationError("the plan file names no source directory or repository")
        }
        var options = try SourceOptions.parse([])
        options.path = directory
        options.fileDirectories = given?.fileDirectories ?? []
        return try await Runtime.source(options)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
