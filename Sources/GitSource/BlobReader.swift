import CGit2
import Synchronization

/// Reads the files of one commit that were left unread, on demand, with the commit's caps: the
/// size comes from the object header first (a blob over the cap is never inflated), and the
/// bytes read count against the commit's total. What was read is kept, so a snapshot enforced
/// again (drift) does not count it twice.
///
/// Uses its own repository handle, under a lock: callers may be on any thread.
final class BlobReader: Sendable {
    private struct State {
        var repository: RepositoryBox?
        var bytesRead: Int
        var cache: [String: [UInt8]] = [:]
    }

    /// A libgit2 repository pointer, only touched under the reader's lock.
    private final class RepositoryBox: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
        deinit { git_repository_free(pointer) }
    }

    private let path: String
    private let commit: String
    private let entries: [String: RepositoryHandle.BlobEntry]
    private let limits: ReadLimits
    private let state: Mutex<State>

    init(path: String, commit: String, entries: [String: RepositoryHandle.BlobEntry], limits: ReadLimits, alreadyRead: Int) {
        self.path = path
        self.commit = commit
        self.entries = entries
        self.limits = limits
        self.state = Mutex(State(repository: nil, bytesRead: alreadyRead))
    }

    func read(_ file: String, limit: Int) throws(GitSourceError) -> [UInt8] {
        guard let entry = entries[file] else {
            throw GitSourceError(.pathNotFound, "'\(file)' is not a file in commit \(commit.prefix(12))")
        }
        let cap = min(limit, limits.maxFileBytes)
        guard entry.size <= cap else {
            throw GitSourceError(.tooLarge, "'\(file)' is \(entry.size) bytes, more than the limit of \(cap) bytes (not read)")
        }
        let result: Result<[UInt8], GitSourceError> = state.withLock { state in
            if let cached = state.cache[file] { return .success(cached) }
            guard state.bytesRead + entry.size <= limits.maxTotalBytes else {
                return .failure(GitSourceError(
                    .tooLarge,
                    "reading '\(file)' (\(entry.size) bytes) would pass the limit of \(limits.maxTotalBytes) bytes read per commit"))
            }
            do throws(GitSourceError) {
                let repository = try open(&state)
                guard let id = LibGit2.oid(hex: entry.oid) else {
                    throw GitSourceError(.libgit2, "'\(file)': invalid object id")
                }
                // The header again: the object store is the authority on the size.
                var odb: OpaquePointer?
                try LibGit2.check(git_repository_odb(&odb, repository), "open the object database")
                defer { git_odb_free(odb) }
                let size = try RepositoryHandle.objectSize(odb, id, what: "file '\(file)'")
                guard size <= cap else {
                    throw GitSourceError(.tooLarge, "'\(file)' is \(size) bytes, more than the limit of \(cap) bytes (not read)")
                }
                let bytes = try RepositoryHandle.readBlob(repository, id, what: "file '\(file)'")
                state.bytesRead += bytes.count
                state.cache[file] = bytes
                return .success(bytes)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func open(_ state: inout State) throws(GitSourceError) -> OpaquePointer {
        if let repository = state.repository { return repository.pointer }
        LibGit2.ensureInitialised()
        var repo: OpaquePointer?
        try LibGit2.check(git_repository_open_bare(&repo, path), "open cache repository \(path)")
        let box = RepositoryBox(repo!)
        state.repository = box
        return box.pointer
    }
}
