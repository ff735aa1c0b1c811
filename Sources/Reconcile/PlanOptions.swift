import NgrokModel

public struct PlanOptions: Sendable {
    /// Only these resources (and what they depend on).
    public var targets: [ResourceAddress]
    /// Not these resources (refused when a planned operation depends on them).
    public var excludes: [ResourceAddress]
    public var sourceCommit: String?

    public init(targets: [ResourceAddress] = [], excludes: [ResourceAddress] = [], sourceCommit: String? = nil) {
        self.targets = targets
        self.excludes = excludes
        self.sourceCommit = sourceCommit
    }
}
