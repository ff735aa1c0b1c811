import ArgumentParser
import Foundation
import NgrokModel
import Reconcile

/// `ngrokctl rotate [DIR] Credential/NAME [--revoke-now]`: a new generation now, for a leaked
/// or suspect token.
struct RotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Create a new generation of a credential now and write its token.",
        discussion: """
            The new token goes to the token files (NAME.token, NAME.gen-N.token) and the token command. \
            Older generations stay valid for the credential's rotation overlap; with --revoke-now every \
            older generation is deleted right after the new token is safely written.
            """)

    @OptionGroup var source: SourceOptions
    @Argument(help: "The credential, as Credential/NAME.") var credential: String?
    @OptionGroup var api: APIOptions
    @OptionGroup var tokenOptions: TokenOptions
    @OptionGroup var guards: GuardOptions
    @Flag(help: "Delete every older generation once the new token is written.") var revokeNow = false
    @Flag(help: "Do not ask for confirmation.") var autoApprove = false
    @Flag(help: "No colors (also NO_COLOR=1).") var noColor = false

    func run() async throws {
        var source = self.source
        let target: String
        if let credential {
            target = credential
        } else {
            target = source.path
            source.path = "."
        }
        guard let address = ResourceAddress(parsing: target), address.kind == .credential else {
            throw ValidationError("'\(target)' is not a credential address; write Credential/NAME")
        }
        let stackSource = try await Runtime.source(source)
        var options = PlanOptions(targets: [address])
        options.rotateNow = [address]
        options.revokeNow = revokeNow
        guard let prepared = try await PreparedPlan.make(stackSource: stackSource, api: api, guards: guards, options: options) else {
            throw ExitCode(ExitCodes.failure)
        }
        let connection = prepared.connection
        let plan = prepared.plan
        let color = Terminal.useColor(disabled: noColor)
        func finish(_ code: Int32) async throws {
            await connection.close()
            if code != 0 { throw ExitCode(code) }
        }
        let stack = prepared.loaded.stack!
        guard stack.resource(address) != nil else {
            Terminal.err("error: \(address) is not declared in stack \(stack.name); nothing was changed.\n")
            return try await finish(ExitCodes.failure)
        }
        Terminal.out(PlanRenderer.text(plan, color: color))
        guard plan.errors.isEmpty else {
            Terminal.err("The plan has errors: nothing was applied.\n")
            return try await finish(ExitCodes.failure)
        }
        guard plan.operations.contains(where: { $0.action == .rotate }) else {
            Terminal.err(
                "error: \(address) does not exist in the account yet (or its token was never delivered): "
                    + "run `ngrokctl apply`, which creates it with a new token.\n")
            return try await finish(ExitCodes.failure)
        }
        if !autoApprove,
            !ApplyCommand.confirmed(
                "Rotate \(address)\(revokeNow ? " and revoke every older generation" : "")?", cancelled: "Rotation cancelled.")
        {
            return try await finish(ExitCodes.failure)
        }
        let ok = try await ApplyCommand.apply(plan, stack: stack, prepared: prepared, tokenOptions: tokenOptions, color: color)
        try await finish(ok ? ExitCodes.ok : ExitCodes.failure)
    }
}
