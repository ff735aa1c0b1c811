import NgrokModel

/// What loading a stack produced: the stack (when its `ngrokctl.yaml` could be read) with
/// every resource that loaded cleanly, and every problem found, in display order.
public struct LoadResult: Sendable {
    /// nil when the root `ngrokctl.yaml` is missing or unusable. Resources whose documents
    /// had errors are left out of it (their names still count for reference checks).
    public var stack: Stack?
    public var diagnostics: [Diagnostic]

    public init(stack: Stack?, diagnostics: [Diagnostic]) {
        self.stack = stack
        self.diagnostics = diagnostics
    }

    public var hasErrors: Bool { diagnostics.hasErrors }
}
