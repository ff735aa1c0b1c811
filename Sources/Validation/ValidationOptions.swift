import Foundation
import NgrokModel

/// Settings for `ProductRules.validate`.
public struct ValidationOptions: Sendable {
    /// Resolves a secret reference; nil = secrets are not read (key checks are skipped).
    public typealias SecretResolver = @Sendable (SecretReference) throws -> SecretValue

    /// The time certificates are checked against.
    public var now: Date
    /// When set, `TLSCertificate.privateKeyPem` is resolved and checked (format, match with the
    /// leaf). A resolution failure is an error naming the reference, never a value.
    public var resolveSecret: SecretResolver?

    public init(now: Date = Date(), resolveSecret: SecretResolver? = nil) {
        self.now = now
        self.resolveSecret = resolveSecret
    }
}
