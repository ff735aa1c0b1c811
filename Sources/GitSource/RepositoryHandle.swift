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

    /// Every file under `path` in the commit's tree, keyed by path relative to `path`.
    func files(commit hex: String, path: String, maxBytes: Int) throws(GitSourceError) -> [String: [UInt8]] {
        let repo = try open()
        guard var oid = LibGit2.oid(hex: hex) else {
            throw GitSourceError(.commitNotFound, "'\(hex)' is not a commit id")
        }
        var commit: OpaquePointer?
        if git_commit_lookup(&commit, repo, &oid) < 0 {
            throw GitSourceError(.commitNotFound, "commit \(hex) is not in the cache: \(LibGit2.lastErrorMessage())")
        }
        defer { git_commit_free(commit) }
        var root: OpaquePointer?
        try LibGit2.check(git_commit_tree(&root, commit), "read the tree of commit \(hex)")
        defer { git_tree_free(root) }

        var tree = root
        var subtree: OpaquePointer?
        defer { if let subtree { git_tree_free(subtree) } }
        if !path.isEmpty {
            var entry: OpaquePointer?
            if git_tree_entry_bypath(&entry, root, path) < 0 {
                throw GitSourceError(.pathNotFound, "path '\(path)' does not exist in commit \(hex.prefix(12))")
            }
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else {
                throw GitSourceError(.pathNotFound, "path '\(path)' in commit \(hex.prefix(12)) is not a directory")
            }
            try LibGit2.check(git_tree_lookup(&subtree, repo, git_tree_entry_id(entry)), "read directory '\(path)'")
            tree = subtree
        }
        var files: [String: [UInt8]] = [:]
        var total = 0
        try collect(tree: tree, prefix: "", repo: repo, into: &files, total: &total, maxBytes: maxBytes, depth: 0)
        return files
    }

    private func collect(
        tree: OpaquePointer?, prefix: String, repo: OpaquePointer,
        into files: inout [String: [UInt8]], total: inout Int, maxBytes: Int, depth: Int
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
                try LibGit2.check(git_tree_lookup(&child, repo, git_tree_entry_id(entry)), "read directory '\(relative)'")
                defer { git_tree_free(child) }
                try collect(tree: child, prefix: relative, repo: repo, into: &files, total: &total, maxBytes: maxBytes, depth: depth + 1)
            case GIT_OBJECT_BLOB:
                // Symbolic links are blobs holding the target path: not files, skipped.
                guard git_tree_entry_filemode(entry) != GIT_FILEMODE_LINK else { continue }
                var blob: OpaquePointer?
                try LibGit2.check(git_blob_lookup(&blob, repo, git_tree_entry_id(entry)), "read file '\(relative)'")
                defer { git_blob_free(blob) }
                let size = Int(git_blob_rawsize(blob))
                total += size
                guard total <= maxBytes else {
                    throw GitSourceError(.tooLarge, "the files under the source path exceed \(maxBytes) bytes (at '\(relative)')")
                }
                if size == 0 {
                    files[relative] = []
                } else if let raw = git_blob_rawcontent(blob) {
                    files[relative] = Array(UnsafeRawBufferPointer(start: raw, count: size))
                }
            default:
                continue  // submodule (commit entry)
            }
        }
    }
}
