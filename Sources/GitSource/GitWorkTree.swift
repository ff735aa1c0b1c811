import CGit2
import Foundation

/// The git work tree a directory belongs to, so that a plan can record the commit it was
/// made from.
public struct GitWorkTree: Sendable, Equatable {
    /// The work tree's root directory (no trailing slash).
    public var root: String
    /// HEAD's commit id, or nil in a repository with no commits yet.
    public var headCommit: String?
    /// The checked-out branch name (`main`), or nil when HEAD is detached or unborn.
    public var branch: String?
    /// Whether tracked files differ from HEAD or untracked files exist.
    public var hasUncommittedChanges: Bool

    public init(root: String, headCommit: String?, branch: String?, hasUncommittedChanges: Bool) {
        self.root = root
        self.headCommit = headCommit
        self.branch = branch
        self.hasUncommittedChanges = hasUncommittedChanges
    }

    /// The work tree containing `directory`, or nil when it is not inside one (a bare
    /// repository has no work tree either). Errors other than "not a repository" are thrown.
    public static func discover(from directory: String) throws(GitSourceError) -> GitWorkTree? {
        LibGit2.ensureInitialised()
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let found = git_repository_discover(&buffer, directory, 0, nil)
        if found == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(found, "look for a git repository above \(directory)")
        var repo: OpaquePointer?
        try LibGit2.check(git_repository_open(&repo, buffer.ptr), "open the git repository of \(directory)")
        defer { git_repository_free(repo) }
        guard let workdir = git_repository_workdir(repo) else { return nil }
        var root = String(cString: workdir)
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }

        var headCommit: String?
        var branch: String?
        var head: OpaquePointer?
        let headCode = git_repository_head(&head, repo)
        if headCode == 0 {
            defer { git_reference_free(head) }
            var commit: OpaquePointer?
            if git_reference_peel(&commit, head, GIT_OBJECT_COMMIT) == 0 {
                headCommit = LibGit2.hex(git_object_id(commit).pointee)
                git_object_free(commit)
            }
            if git_repository_head_detached(repo) == 0, let name = git_reference_shorthand(head) {
                branch = String(cString: name)
            }
        } else if headCode != GIT_EUNBORNBRANCH.rawValue && headCode != GIT_ENOTFOUND.rawValue {
            try LibGit2.check(headCode, "read HEAD of \(root)")
        }

        var options = git_status_options()
        git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION))
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var list: OpaquePointer?
        try LibGit2.check(git_status_list_new(&list, repo, &options), "read the status of \(root)")
        defer { git_status_list_free(list) }
        let dirty = git_status_list_entrycount(list) > 0

        return GitWorkTree(root: root, headCommit: headCommit, branch: branch, hasUncommittedChanges: dirty)
    }
}

extension GitWorkTree {
    /// Whether `path` (a file on disk, symlinks followed) is in the index of the git work tree
    /// containing it. False when it is in no work tree or cannot be checked.
    public static func isTracked(_ path: String) -> Bool {
        LibGit2.ensureInitialised()
        guard let real = realpath(path, nil) else { return false }
        let file = String(cString: real)
        free(real)
        let directory = (file as NSString).deletingLastPathComponent
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        guard git_repository_discover(&buffer, directory, 0, nil) == 0 else { return false }
        var repo: OpaquePointer?
        guard git_repository_open(&repo, buffer.ptr) == 0 else { return false }
        defer { git_repository_free(repo) }
        guard let workdir = git_repository_workdir(repo), let realRoot = realpath(workdir, nil) else { return false }
        var root = String(cString: realRoot)
        free(realRoot)
        if !root.hasSuffix("/") { root += "/" }
        guard file.hasPrefix(root) else { return false }
        let relative = String(file.dropFirst(root.count))
        var index: OpaquePointer?
        guard git_repository_index(&index, repo) == 0 else { return false }
        defer { git_index_free(index) }
        return git_index_get_bypath(index, relative, 0) != nil
    }
}
