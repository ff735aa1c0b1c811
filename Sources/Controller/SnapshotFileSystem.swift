import GitSource
import Manifests

/// The files of a git snapshot as the manifest loader sees them: manifests were read with the
/// snapshot; any other file (one a manifest references) is read from the repository when the
/// loader asks for it, its size checked from the object header first. Nothing else is read.
public struct SnapshotFileSystem: ManifestFileSystem {
    public let snapshot: SourceSnapshot

    public init(_ snapshot: SourceSnapshot) {
        self.snapshot = snapshot
    }

    public func listFiles(under directory: String) throws(FileReadError) -> [String] {
        let base = ManifestPath.normalize(directory)
        let paths = snapshot.allPaths
        if base == "." { return paths }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return paths.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
    }

    public func readFile(at path: String, limit: Int) throws(FileReadError) -> [UInt8] {
        let key = ManifestPath.normalize(path)
        do {
            return try snapshot.read(key, limit: limit)
        } catch {
            if error.code == .pathNotFound {
                let prefix = key == "." ? "" : key + "/"
                if snapshot.allPaths.contains(where: { $0.hasPrefix(prefix) }) { throw .notAFile }
                throw .notFound
            }
            if error.code == .tooLarge, let size = snapshot.unreadFiles[key] ?? snapshot.files[key]?.count, size > limit {
                throw .tooLarge(limit: limit)
            }
            throw .unreadable(error.message)
        }
    }
}
