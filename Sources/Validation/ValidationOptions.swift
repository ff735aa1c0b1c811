import Foundation
import NgrokModel

/// Settings for `ProductRules.validate`.
public struct ValidationOptions: Sendable {
    /// Resolves a secret reference; nil = secrets are not read (key checks are skipped).
    public typealias ResolveSecret = @Sendable (SecretReference) throws -> SecretValue

    /// The time certificates are checked against.
    public var now: Date
    /// When set, `TLSCertificate.privateKeyPem` is resolved and checked (format, match with the
    /// leaf). A resolution failure is an error naming the reference, never a value.
    public var resolveSecret: ResolveSecret?
    /// Report a secret the resolver cannot resolve (as an error naming the variable or file).
    /// Turn off when the caller already reports resolution failures itself (e.g. a session that
    /// resolves every secret before planning), so the problem is not reported twice; the key's
    /// checks are then skipped for that certificate.
    public var reportsUnresolvedSecrets: Bool

    public init(now: Date = Date(), resolveSecret: ResolveSecret? = nil, reportsUnresolvedSecrets: Bool = true) {
        self.now = now
        self.resolveSecret = resolveSecret
        self.reportsUnresolvedSecrets = reportsUnresolvedSecrets
    }
}
