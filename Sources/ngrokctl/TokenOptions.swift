import ArgumentParser
import NgrokModel
import Reconcile

/// Where new credential tokens go besides the token files: the operator decides which command
/// runs. A manifest's `tokenCommand` runs only with `--allow-manifest-token-command`.
struct TokenOptions: ParsableArguments {
    @Option(help: "Run this shell command once per new credential token, the token on standard input (replaces the stack's tokenCommand).")
    var tokenCommand: String?

    @Flag(help: "Run no token command, not even the stack's.")
    var noTokenCommand = false

    @Flag(help: "Run the tokenCommand set in ngrokctl.yaml (manifests are untrusted, so it is off by default).")
    var allowManifestTokenCommand = false

    /// The command to run for this apply; throws when the stack sets one that the operator has
    /// neither allowed nor replaced, and the plan would create a token.
    func resolve(stack: Stack, plan: Plan) throws -> TokenCommand? {
        if noTokenCommand { return nil }
        if let tokenCommand { return TokenCommand(command: tokenCommand, directory: stack.root) }
        guard let manifest = stack.spec.tokenCommand else { return nil }
        if allowManifestTokenCommand { return TokenCommand(command: manifest, directory: stack.root) }
        let createsTokens = plan.operations.contains {
            $0.address.kind == .credential && $0.subject == .object && ($0.action == .create || $0.action == .rotate)
        }
        guard createsTokens else { return nil }
        throw ValidationError(
            "ngrokctl.yaml sets tokenCommand, and this apply creates credential tokens; a manifest's command runs only "
                + "when you allow it: pass --allow-manifest-token-command (after reading it), --token-command CMD, "
                + "or --no-token-command (tokens go to the token files only)")
    }
}
