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

    public init(now: Date = Date(), resolveSecret: ResolveSecret? = nil) {
        self.now = now
        self.resolveSecret = resolveSecret
    }
}
