/// Why a file could not be read.
public enum FileReadError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound
    case notAFile
    case tooLarge(limit: Int)
    case unreadable(String)
    /// Outside the stack (after following symbolic links) and outside the operator's directories.
    case outsideAllowedDirectories

    public var description: String {
        switch self {
        case .notFound: "no such file"
        case .notAFile: "not a regular file"
        case .tooLarge(let limit): "larger than \(limit) bytes"
        case .unreadable(let reason): reason
        case .outsideAllowedDirectories:
            "outside the stack directory (symbolic links followed) and outside the operator's --file-dir directories"
        }
    }
}

/// Where manifests are read from: a directory on disk, or files handed over by a source
/// (e.g. read from a git commit's tree, with no checkout). Paths are `/`-separated.
public protocol ManifestFileSystem: Sendable {
    /// Every regular file below `directory`, recursively, as paths relative to it, sorted.
    func listFiles(under directory: String) throws(FileReadError) -> [String]
    /// A file's bytes; throws `.tooLarge` rather than read more than `limit` bytes.
    func readFile(at path: String, limit: Int) throws(FileReadError) -> [UInt8]
}

/// Pure path arithmetic shared by the file systems and the loader.
public enum ManifestPath {
    /// `base/relative`, normalised (`.` and `..` resolved); `relative` if it is absolute.
    public static func join(_ base: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || base.isEmpty { return normalize(relative) }
        return normalize(base + "/" + relative)
    }

    /// Resolves `.` and `..` and repeated slashes; keeps a leading `/`.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == ".." && absolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The directory part of a path (`.` when none).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}

/// Files held in memory, keyed by path (e.g. read from a git tree).
public struct InMemoryFileSystem: ManifestFileSystem {
    public var files: [String: [UInt8]]

    public init(files: [String: [UInt8]]) {
        var normalized: [String: [UInt8]] = [:]
        for (path, bytes) in files { normalized[ManifestPath.normalize(path)] = bytes }
        self.files = normalized
    }

    /// Convenience for tests: text files.
    public init(texts: [String: String]) {
        self.init(files: texts.mapValues { Array($0.utf8) })
    }

    public func listFiles(under directory: String) throws(FileReadError) -> [String] {
        let base = ManifestPath.normalize(directory)
        if base == "." { return files.keys.sorted() }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return files.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
    }

    public func readFile(at path: String, limit: Int) throws(FileReadError) -> [UInt8] {
        let key = ManifestPath.normalize(path)
        guard let bytes = files[key] else {
            let prefix = key == "." ? "" : key + "/"
            if files.keys.contains(where: { $0.hasPrefix(prefix) }) { throw .notAFile }
            throw .notFound
        }
        guard bytes.count <= limit else { throw .tooLarge(limit: limit) }
        return bytes
    }
}
