/// Limits enforced while reading manifests, so hostile input fails fast instead of
/// exhausting the stack, the memory or the CPU.
public struct ManifestLimits: Sendable, Hashable {
    /// Largest manifest (or `{file}`) read, in bytes.
    public var maxFileBytes: Int
    /// Deepest nesting of lists and mappings.
    public var maxDepth: Int
    /// Most documents in one file.
    public var maxDocumentsPerFile: Int
    /// Most nodes one file may compose to, aliases expanded (a billion-laughs guard).
    public var maxNodesPerFile: Int
    /// Most resources in a stack.
    public var maxResources: Int
    /// Most manifest files in a stack.
    public var maxFiles: Int
    /// Whether aliases (`*anchor`) are expanded (under `maxNodesPerFile`) or refused.
    public var allowAliases: Bool

    public init(
        maxFileBytes: Int = 4 << 20, maxDepth: Int = 64, maxDocumentsPerFile: Int = 1000,
        maxNodesPerFile: Int = 1_000_000, maxResources: Int = 100_000, maxFiles: Int = 20_000,
        allowAliases: Bool = true
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxDocumentsPerFile = maxDocumentsPerFile
        self.maxNodesPerFile = maxNodesPerFile
        self.maxResources = maxResources
        self.maxFiles = maxFiles
        self.allowAliases = allowAliases
    }

    public static let standard = ManifestLimits()
}
