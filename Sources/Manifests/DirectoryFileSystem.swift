import Foundation

/// The real file system. `.git` directories and symbolic links to directories are skipped
/// while listing.
public struct DirectoryFileSystem: ManifestFileSystem {
    public init() {}

    /// `path` made absolute against the current directory, normalised.
    public static func absolute(_ path: String) -> String {
        ManifestPath.join(FileManager.default.currentDirectoryPath, path)
    }

    public func listFiles(under directory: String) throws(FileReadError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { throw .notFound }
        guard isDirectory.boolValue else { throw .unreadable("not a directory") }
        var result: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let full = relative.isEmpty ? directory : directory + "/" + relative
            let entries: [String]
            do {
                entries = try FileManager.default.contentsOfDirectory(atPath: full)
            } catch {
                throw .unreadable("cannot list \(relative.isEmpty ? "." : relative)")
            }
            for entry in entries {
                let child = relative.isEmpty ? entry : relative + "/" + entry
                let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + child)
                let type = attributes?[.type] as? FileAttributeType
                if type == .typeDirectory {
                    if entry != ".git" { pending.append(child) }
                } else if type == .typeRegular || type == .typeSymbolicLink {
                    result.append(child)
                }
            }
        }
        return result.sorted()
    }

    public func readFile(at path: String, limit: Int) throws(FileReadError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound }
        guard !isDirectory.boolValue else { throw .notAFile }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable("permission denied") }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw .unreadable("read error")
        }
        guard data.count <= limit else { throw .tooLarge(limit: limit) }
        return [UInt8](data)
    }
}
