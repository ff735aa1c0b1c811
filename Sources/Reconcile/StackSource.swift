import Manifests
import NgrokModel

/// Where a stack's manifests are read from: a directory, or the files of a git commit.
public struct StackSource: Sendable {
    /// The stack root as the file system knows it.
    public var root: String
    public var fileSystem: any ManifestFileSystem
    /// The commit the manifests come from, when known.
    public var commit: String?
    /// How to find the same source again (recorded in saved plans).
    public var origin: PlanFile.Source

    public init(root: String, fileSystem: any ManifestFileSystem, commit: String?, origin: PlanFile.Source) {
        self.root = root
        self.fileSystem = fileSystem
        self.commit = commit
        self.origin = origin
    }

    /// A directory on disk; `commit` is HEAD when the directory is inside a git work tree.
    public static func directory(_ path: String, commit: String?) -> StackSource {
        let absolute = DirectoryFileSystem.absolute(path)
        return StackSource(
            root: absolute, fileSystem: DirectoryFileSystem(), commit: commit,
            origin: PlanFile.Source(directory: absolute, commit: commit))
    }
}
