import CGit2
import Foundation

/// One ref as the remote advertises it.
struct AdvertisedRef {
    var name: String
    var oid: git_oid
    var symrefTarget: String?
}

extension RepositoryHandle {
    /// Connects, lists the remote's refs (no objects move), and fetches only when the resolved
    /// ref differs from the cached one. Runs on the blocking queue.
    func poll(
        url: String, reference: GitReference, context: TransferContext
    ) throws(GitSourceError) -> GitPollResult {
        let repo = try open()
        // A full commit id already in the cache never changes: no network at all.
        if case .commit(let hex) = reference, let oid = lookupCommit(prefix: hex) {
            return GitPollResult(commit: LibGit2.hex(oid), resolvedRef: hex, fetched: false)
        }

        var remote: OpaquePointer?
        try LibGit2.check(git_remote_create_anonymous(&remote, repo, url), "invalid repository URL '\(url)'")
        defer { git_remote_free(remote) }

        var callbacks = context.callbacks()
        var proxy = git_proxy_options()
        git_proxy_options_init(&proxy, UInt32(GIT_PROXY_OPTIONS_VERSION))
        proxy.type = GIT_PROXY_AUTO
        let connected = git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, &proxy, nil)
        if connected < 0 { throw context.error(for: connected, operation: "connect to \(url)") }
        defer { git_remote_disconnect(remote) }

        let refs = try listRefs(remote, url: url)
        if context.shouldAbort() != 0 { throw BlockingRunner.stoppedError(context.flag, "list refs of \(url)") }

        let (source, advertised) = try resolve(reference, in: refs, url: url)
        guard let source, let advertised else {
            // A commit id: fetch every branch and tag, then look it up.
            guard reference.isCommitLike else { throw refNotFound(reference, refs: refs, url: url) }
            let hex = reference.description
            try fetch(remote, refspecs: ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"], context: context, url: url)
            guard let oid = lookupCommit(prefix: hex) else {
                throw GitSourceError(.commitNotFound, "commit \(hex) is not reachable from any branch or tag of \(url)")
            }
            return GitPollResult(commit: LibGit2.hex(oid), resolvedRef: hex, fetched: true)
        }

        let destination = Self.localName(for: source)
        var fetched = false
        if let local = localRefID(destination), LibGit2.equal(local, advertised) {
            // Unchanged: the remote's ref is the one we have.
        } else {
            try fetch(remote, refspecs: ["+\(source):\(destination)"], context: context, url: url)
            fetched = true
        }
        guard let local = localRefID(destination) else {
            throw GitSourceError(.refNotFound, "fetching \(source) from \(url) did not create \(destination)")
        }
        let commit = try peelToCommit(local, what: "\(source) of \(url)")
        return GitPollResult(commit: LibGit2.hex(commit), resolvedRef: source, fetched: fetched)
    }

    /// Where a remote ref is kept in the cache repository.
    static func localName(for remoteRef: String) -> String {
        if let branch = remoteRef.dropPrefix("refs/heads/") { return "refs/remotes/origin/\(branch)" }
        return remoteRef  // tags keep their names
    }

    private func listRefs(_ remote: OpaquePointer?, url: String) throws(GitSourceError) -> [AdvertisedRef] {
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try LibGit2.check(git_remote_ls(&heads, &count, remote), "list refs of \(url)")
        var refs: [AdvertisedRef] = []
        for index in 0..<count {
            guard let head = heads?[index]?.pointee, let name = head.name else { continue }
            refs.append(AdvertisedRef(
                name: String(cString: name), oid: head.oid,
                symrefTarget: head.symref_target.map { String(cString: $0) }))
        }
        return refs
    }

    /// The remote ref to fetch and its advertised id; `(nil, nil)` for a commit id.
    private func resolve(
        _ reference: GitReference, in refs: [AdvertisedRef], url: String
    ) throws(GitSourceError) -> (String?, git_oid?) {
        func find(_ name: String) -> (String?, git_oid?)? {
            refs.first { $0.name == name }.map { ($0.name, $0.oid) }
        }
        switch reference {
        case .branch(let name):
            if let found = find("refs/heads/\(name)") { return found }
        case .tag(let name):
            if let found = find("refs/tags/\(name)") { return found }
        case .name(let name):
            if let found = find("refs/heads/\(name)") ?? find("refs/tags/\(name)") { return found }
            if reference.isCommitLike { return (nil, nil) }
        case .commit:
            return (nil, nil)
        case .remoteHead:
            if let head = refs.first(where: { $0.name == "HEAD" }) {
                if let target = head.symrefTarget, let found = find(target) { return found }
                // No symref advertised: the branch pointing where HEAD points.
                if let branch = refs.first(where: { $0.name.hasPrefix("refs/heads/") && LibGit2.equal($0.oid, head.oid) }) {
                    return (branch.name, branch.oid)
                }
            }
        }
        throw refNotFound(reference, refs: refs, url: url)
    }

    private func refNotFound(_ reference: GitReference, refs: [AdvertisedRef], url: String) -> GitSourceError {
        let available = refs.map(\.name).filter { $0.hasPrefix("refs/heads/") || $0.hasPrefix("refs/tags/") }
            .filter { !$0.hasSuffix("^{}") }.prefix(10)
        let list = available.isEmpty ? "the remote has no branches or tags" : "available: " + available.joined(separator: ", ")
        return GitSourceError(.refNotFound, "ref '\(reference)' not found in \(url) (\(list))")
    }

    private func fetch(_ remote: OpaquePointer?, refspecs: [String], context: TransferContext, url: String) throws(GitSourceError) {
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.callbacks = context.callbacks()
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.update_fetchhead = 0
        options.prune = GIT_FETCH_NO_PRUNE
        options.proxy_opts.type = GIT_PROXY_AUTO
        let strings = refspecs.map { strdup($0)! }
        defer { strings.forEach { free($0) } }
        var pointers = strings.map { UnsafeMutablePointer<CChar>?($0) }
        let rc = pointers.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return git_remote_fetch(remote, &array, &options, "ngrokctl: fetch")
        }
        if rc < 0 { throw context.error(for: rc, operation: "fetch \(refspecs.joined(separator: " ")) from \(url)") }
    }
}

extension GitReference {
    /// A commit id, or a bare name that could be an abbreviated one.
    var isCommitLike: Bool {
        switch self {
        case .commit: true
        case .name(let name): name.count >= 7 && name.count <= 40 && name.allSatisfy(\.isHexDigit)
        default: false
        }
    }
}
