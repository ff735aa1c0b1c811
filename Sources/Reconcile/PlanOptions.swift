import Foundation
import NgrokModel

public struct PlanOptions: Sendable {
    /// Only these resources (and what they depend on).
    public var targets: [ResourceAddress]
    /// Not these resources (refused when a planned operation depends on them).
    public var excludes: [ResourceAddress]
    public var sourceCommit: String?
    /// The time rotations and revocations are judged at (nil = now; tests inject a clock).
    public var now: Date?
    /// Where this run writes tokens, resolved (nil = the stack's `tokenDirectory`).
    public var tokenDirectory: String?
    /// Names of the token files present in the token directory, filled by the session; nil = not
    /// checked. An owned credential whose newest generation has no file is replaced.
    public var tokenFiles: Set<String>?
    /// `ngrokctl rotate`: a new generation for these credentials now, due or not.
    public var rotateNow: Set<ResourceAddress> = []
    /// With `rotateNow`: revoke every older generation once the new token is written.
    public var revokeNow = false

    public init(targets: [ResourceAddress] = [], excludes: [ResourceAddress] = [], sourceCommit: String? = nil) {
        self.targets = targets
        self.excludes = excludes
        self.sourceCommit = sourceCommit
    }
}
