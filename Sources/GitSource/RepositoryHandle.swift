import CGit2
import Foundation

/// A bare cache repository. Not thread-safe: only ever used from its source's serial queue.
final class RepositoryHandle: @unchecked Sendable {
    let path: String
    private var repository: OpaquePointer?

    init(path: String) {
        self.path = path
    }

    deinit {
        if let repository { git_repository_free(repository) }
    }

    /// Opens the bare repository, creating it first when missing (a half-made clone from an
    /// earlier crash is just a repository with fewer objects: the next fetch completes it).
    func open() throws(GitSourceError) -> OpaquePointer {
        if let repository { return repository }
        LibGit2.ensureInitialised()
        var repo: OpaquePointer?
        if FileManager.default.fileExists(atPath: path + "/HEAD") {
            try LibGit2.check(git_repository_open_bare(&repo, path), "open cache repository \(path)")
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw GitSourceError(.invalidConfiguration, "cannot create cache directory \(path): \(error)")
            }
            try LibGit2.check(git_repository_init(&repo, path, 1), "create cache repository \(path)")
        }
        repository = repo
        return repo!
    }

    // MARK: Local lookups

    func localRefID(_ name: String) -> git_oid? {
        guard let repo = try? open() else { return nil }
        var oid = git_oid()
        return git_reference_name_to_id(&oid, repo, name) == 0 ? oid : nil
    }

    /// Peels an object id (commit, or annotated tag) to a commit id.
    func peelToCommit(_ oid: git_oid, what: String) throws(GitSourceError) -> git_oid {
        let repo = try open()
        var oid = oid
        var object: OpaquePointer?
        try LibGit2.check(git_object_lookup(&object, repo, &oid, GIT_OBJECT_ANY), "look up \(what)")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try LibGit2.check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "\(what) is not a commit")
        defer { git_object_free(commit) }
        return git_object_id(commit).pointee
    }

    /// The commit with this full or abbreviated (≥ 7 digits) id, when present locally.
    func lookupCommit(prefix hex: String) -> git_oid? {
        guard hex.count >= 7, hex.count <= 40, hex.allSatisfy(\.isHexDigit), let repo = try? open() else { return nil }
        var oid = git_oid()
        guard hex.withCString({ git_oid_fromstrn(&oid, $0, hex.utf8.count) }) == 0 else { return nil }
        var object: OpaquePointer?
        guard git_object_lookup_prefix(&object, repo, &oid, hex.utf8.count, GIT_OBJECT_COMMIT) == 0 else { return nil }
        defer { git_object_free(object) }
        return git_object_id(object).pointee
    }

    // MARK: Reading a tree

    /// What `files` found: the manifests (read) and every other file (size only, not read).
    struct TreeRead {
        var files: [String: [UInt8]] = [:]
        var unread: [String: BlobEntry] = [:]
        var count = 0
        var bytes = 0
    }

    /// A file left unread: its blob id and the size from the object header.
    struct BlobEntry: Sendable, Hashable {
        var oid: String
        var size: Int
    }

    /// Which files are read eagerly: manifests and the ignore file. Everything else is read on
    /// demand (a file a manifest references).
    static func isManifest(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml") || path == ".ngrokctlignore" || path.hasSuffix("/.ngrokctlignore")
    }

    /// The files under `path` in the commit's tree. Every object's size is taken from its header
    /// before it is inflated: a tree or manifest that would pass the total cap, more than
    /// `limits.maxFiles` files, are errors (`tooLarge`); a manifest larger than
    /// `limits.maxFileBytes` is left unread (reading it later fails with its size).
    func files(commit hex: String, path: String, limits: ReadLimits) throws(GitSourceError) -> TreeRead {
        let repo = try open()
        guard var oid = LibGit2.oid(hex: hex) else {
            throw GitSourceError(.commitNotFound, "'\(hex)' is not a commit id")
        }
        var commit: OpaquePointer?
        if git_commit_lookup(&commit, repo, &oid) < 0 {
            throw GitSourceError(.commitNotFound, "commit \(hex) is not in the cache: \(LibGit2.lastErrorMessage())")
        }
        defer { git_commit_free(commit) }
        var odb: OpaquePointer?
        try LibGit2.check(git_repository_odb(&odb, repo), "open the object database of \(path)")
        defer { git_odb_free(odb) }
        var read = TreeRead()
        var treeID = git_commit_tree_id(commit).pointee
        if !path.isEmpty {
            var root: OpaquePointer?
            try loadTree(&root, id: treeID, what: "the root directory", odb: odb, repo: repo, read: &read, limits: limits, commit: hex)
            defer { git_tree_free(root) }
            var entry: OpaquePointer?
            if git_tree_entry_bypath(&entry, root, path) < 0 {
                throw GitSourceError(.pathNotFound, "path '\(path)' does not exist in commit \(hex.prefix(12))")
            }
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else {
                throw GitSourceError(.pathNotFound, "path '\(path)' in commit \(hex.prefix(12)) is not a directory")
            }
            treeID = git_tree_entry_id(entry).pointee
        }
        var tree: OpaquePointer?
        try loadTree(&tree, id: treeID, what: "directory '\(path)'", odb: odb, repo: repo, read: &read, limits: limits, commit: hex)
        defer { git_tree_free(tree) }
        try collect(tree: tree, prefix: "", repo: repo, odb: odb, into: &read, limits: limits, commit: hex, depth: 0)
        return read
    }

    /// The size of an object from its header (the object is not inflated).
    static func objectSize(_ odb: OpaquePointer?, _ id: git_oid, what: String) throws(GitSourceError) -> Int {
        var id = id
        var length = 0
        var type = GIT_OBJECT_ANY
        try LibGit2.check(git_odb_read_header(&length, &type, odb, &id), "read the header of \(what)")
        return length
    }

    private func loadTree(
        _ tree: inout OpaquePointer?, id: git_oid, what: String, odb: OpaquePointer?, repo: OpaquePointer,
        read: inout TreeRead, limits: ReadLimits, commit: String
    ) throws(GitSourceError) {
        let size = try Self.objectSize(odb, id, what: what)
        read.bytes += size
        guard read.bytes <= limits.maxTotalBytes else {
            throw GitSourceError(
                .tooLarge,
                "commit \(commit.prefix(12)) is too large: reading \(what) (\(size) bytes) would pass the limit of \(limits.maxTotalBytes) bytes read per commit")
        }
        var id = id
        try LibGit2.check(git_tree_lookup(&tree, repo, &id), "read \(what)")
    }

    private func collect(
        tree: OpaquePointer?, prefix: String, repo: OpaquePointer, odb: OpaquePointer?,
        into read: inout TreeRead, limits: ReadLimits, commit: String, depth: Int
    ) throws(GitSourceError) {
        guard depth < 64 else { throw GitSourceError(.tooLarge, "directory nesting deeper than 64 at '\(prefix)'") }
        let count = git_tree_entrycount(tree)
        for index in 0..<count {
            // Borrowed entry: owned by the tree, not freed here.
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            switch git_tree_entry_type(entry) {
            case GIT_OBJECT_TREE:
                var child: OpaquePointer?
                try loadTree(
                    &child, id: git_tree_entry_id(entry).pointee, what: "directory '\(relative)'", odb: odb, repo: repo,
                    read: &read, limits: limits, commit: commit)
                defer { git_tree_free(child) }
                try collect(tree: child, prefix: relative, repo: repo, odb: odb, into: &read, limits: limits, commit: commit, depth: depth + 1)
            case GIT_OBJECT_BLOB:
                // Symbolic links are blobs holding the target path: not files, skipped.
                guard git_tree_entry_filemode(entry) != GIT_FILEMODE_LINK else { continue }
                read.count += 1
                guard read.count <= limits.maxFiles else {
                    throw GitSourceError(
                        .tooLarge,
                        "commit \(commit.prefix(12)) has more than \(limits.maxFiles) files under the source path (the limit); keep the stack in its own directory")
                }
                let id = git_tree_entry_id(entry).pointee
                let size = try Self.objectSize(odb, id, what: "file '\(relative)'")
                guard Self.isManifest(relative), size <= limits.maxFileBytes else {
                    read.unread[relative] = BlobEntry(oid: LibGit2.hex(id), size: size)
                    continue
                }
                read.bytes += size
                guard read.bytes <= limits.maxTotalBytes else {
                    throw GitSourceError(
                        .tooLarge,
                        "commit \(commit.prefix(12)) is too large: its manifests pass the limit of \(limits.maxTotalBytes) bytes read per commit (at '\(relative)')")
                }
                read.files[relative] = try Self.readBlob(repo, id, what: "file '\(relative)'")
            default:
                continue  // submodule (commit entry)
            }
        }
    }

    /// The bytes of a blob whose size was checked.
    static func readBlob(_ repo: OpaquePointer, _ id: git_oid, what: String) throws(GitSourceError) -> [UInt8] {
        var id = id
        var blob: OpaquePointer?
        try LibGit2.check(git_blob_lookup(&blob, repo, &id), "read \(what)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }
}

/// The caps on what one commit can make the reader read.
struct ReadLimits: Sendable {
    var maxFileBytes: Int
    var maxFiles: Int
    var maxTotalBytes: Int
}
