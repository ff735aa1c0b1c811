import Foundation

/// A file system that reads only inside allowed directories: the stack root (or the git tree)
/// and the directories the operator names (`--file-dir`, controller `fileDirectories`). Paths are
/// resolved with symbolic links followed before the check, so neither `..` nor a link leads out.
/// A refused read names the path, never the content.
public struct ConfinedFileSystem: ManifestFileSystem {
    /// Where the stack's files come from (a directory on disk, or a git tree in memory).
    public var base: any ManifestFileSystem
    /// The stack root in `base`'s namespace, when `base` is the real file system; nil when `base`
    /// is a tree in memory (which can only hold its own files).
    public var root: String?
    /// Absolute directories on disk the operator allows besides the stack.
    public var operatorDirectories: [String]

    public init(base: any ManifestFileSystem, root: String?, operatorDirectories: [String]) {
        self.base = base
        self.root = root
        self.operatorDirectories = operatorDirectories.map { DirectoryFileSystem.absolute($0) }
    }

    public func listFiles(under directory: String) throws(FileReadError) -> [String] {
        try base.listFiles(under: directory)
    }

    public func readFile(at path: String, limit: Int) throws(FileReadError) -> [UInt8] {
        if path.hasPrefix("/"), operatorDirectory(containing: path) != nil {
            return try DirectoryFileSystem().readFile(at: Self.resolved(path), limit: limit)
        }
        if let root {
            let real = Self.resolved(path)
            guard Self.isInside(real, Self.resolved(root)) else { throw .outsideAllowedDirectories }
            return try base.readFile(at: real, limit: limit)
        }
        // A tree in memory: paths leaving it (`..`, absolute) are not in it.
        let normalized = ManifestPath.normalize(path)
        guard !normalized.hasPrefix("/"), normalized != "..", !normalized.hasPrefix("../") else {
            throw .outsideAllowedDirectories
        }
        return try base.readFile(at: normalized, limit: limit)
    }

    func operatorDirectory(containing path: String) -> String? {
        let real = Self.resolved(path)
        return operatorDirectories.first { Self.isInside(real, Self.resolved($0)) }
    }

    /// `path` with `.`, `..` and every symbolic link resolved (as far as it exists).
    public static func resolved(_ path: String) -> String {
        let absolute = DirectoryFileSystem.absolute(path)
        if let real = realpath(absolute, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        // Not (all) there yet: resolve the longest existing parent, keep the rest.
        let parent = ManifestPath.directory(of: absolute)
        guard parent != absolute, parent != "/" else { return absolute }
        let name = String(absolute[absolute.index(after: absolute.lastIndex(of: "/")!)...])
        return ManifestPath.join(resolved(parent), name)
    }

    /// Whether `path` is `directory` or below it (both absolute and normalised).
    public static func isInside(_ path: String, _ directory: String) -> Bool {
        let p = ManifestPath.normalize(path)
        let d = ManifestPath.normalize(directory)
        if p == d || d == "/" { return true }
        return p.hasPrefix(d.hasSuffix("/") ? d : d + "/")
    }
}
