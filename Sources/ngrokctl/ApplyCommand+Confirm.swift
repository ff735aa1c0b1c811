import Foundation
import NgrokModel
import Reconcile

/// The steps `apply` and `rotate` share once a plan is shown: the confirmation, then the token
/// command and the apply itself.
extension ApplyCommand {
    /// Asks `question` on the terminal; false, with the reason on standard error, unless the answer is `yes`.
    static func confirmed(_ question: String, cancelled: String) -> Bool {
        guard Terminal.stdinIsTerminal else {
            Terminal.err("error: not a terminal, so there is no one to confirm: re-run with --auto-approve.\n")
            return false
        }
        Terminal.out("\n\(question) Only 'yes' will be accepted: ")
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            Terminal.err("\(cancelled)\n")
            return false
        }
        return true
    }

    /// Resolves the token command (an error is reported and nothing applied) and applies `plan`;
    /// whether everything was applied.
    static func apply(
        _ plan: Plan, stack: Stack, prepared: PreparedPlan, tokenOptions: TokenOptions, color: Bool
    ) async throws -> Bool {
        let tokenCommand: TokenCommand?
        do { tokenCommand = try tokenOptions.resolve(stack: stack, plan: plan) } catch {
            Terminal.err("error: \(error)\n")
            return false
        }
        let result = try await execute(
            plan, stack: stack, session: prepared.session, connection: prepared.connection, color: color,
            tokenCommand: tokenCommand)
        return result.ok
    }
}
