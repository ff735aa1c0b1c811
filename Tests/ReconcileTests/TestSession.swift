import Reconcile
import Validation

/// The session the CLI uses: the real loader and the real product rules.
enum TestSession {
    static func make(environment: [String: String]) -> StackSession {
        StackSession(
            validate: { stack, resolve in ProductRules.validate(stack, options: ValidationOptions(resolveSecret: resolve)) },
            canonicalCIDR: { CIDR.canonical($0) ?? $0 }, environment: environment)
    }
}
