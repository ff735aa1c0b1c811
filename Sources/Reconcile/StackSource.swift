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
    /// Whether a file (in `fileSystem`'s namespace) is tracked by git: a secret file that is
    /// gets a warning.
    public var isTrackedByGit: @Sendable (String) -> Bool

    public init(
        root: String, fileSystem: any ManifestFileSystem, commit: String?, origin: PlanFile.Source,
        isTrackedByGit: @escaping @Sendable (String) -> Bool = { _ in false }
    ) {
        self.root = root
        self.fileSystem = fileSystem
        self.commit = commit
        self.origin = origin
        self.isTrackedByGit = isTrackedByGit
    }

    /// A directory on disk; `commit` is HEAD when the directory is inside a git work tree. Files
    /// are read only inside the directory and the operator's `fileDirectories` (symlinks followed).
    public static func directory(
        _ path: String, commit: String?, fileDirectories: [String] = [],
        isTrackedByGit: @escaping @Sendable (String) -> Bool = { _ in false }
    ) -> StackSource {
        let absolute = DirectoryFileSystem.absolute(path)
        return StackSource(
            root: absolute,
            fileSystem: ConfinedFileSystem(base: DirectoryFileSystem(), root: absolute, operatorDirectories: fileDirectories),
            commit: commit, origin: PlanFile.Source(directory: absolute, commit: commit), isTrackedByGit: isTrackedByGit)
    }

    /// The files of a git commit's tree (every one of them tracked), plus the operator's
    /// `fileDirectories` on disk for files kept out of git (absolute paths in the manifests).
    public static func gitTree(
        files: [String: [UInt8]], commit: String?, origin: PlanFile.Source, fileDirectories: [String] = []
    ) -> StackSource {
        gitTree(fileSystem: InMemoryFileSystem(files: files), commit: commit, origin: origin, fileDirectories: fileDirectories)
    }

    /// `gitTree(files:…)` over any file system holding a tree (e.g. a snapshot read lazily).
    public static func gitTree(
        fileSystem tree: any ManifestFileSystem, commit: String?, origin: PlanFile.Source, fileDirectories: [String] = []
    ) -> StackSource {
        let directories = fileDirectories.map { DirectoryFileSystem.absolute($0) }
        return StackSource(
            root: ".", fileSystem: ConfinedFileSystem(base: tree, root: nil, operatorDirectories: directories),
            commit: commit, origin: origin,
            isTrackedByGit: { path in
                !directories.contains { ConfinedFileSystem.isInside(ConfinedFileSystem.resolved(path), ConfinedFileSystem.resolved($0)) }
            })
    }
}
