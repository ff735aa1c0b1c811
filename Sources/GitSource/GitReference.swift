/// What to read from the repository: a branch, a tag, a commit, a bare name resolved on the
/// remote (branch first, then tag), or the remote's default branch.
public enum GitReference: Hashable, Sendable, CustomStringConvertible {
    case branch(String)
    case tag(String)
    /// A commit id: 40 hex digits, or an abbreviation of at least 7.
    case commit(String)
    /// A bare name: `refs/heads/NAME` if the remote has it, else `refs/tags/NAME`.
    case name(String)
    /// The remote's default branch (its `HEAD`).
    case remoteHead

    /// Parses the user's spelling: `""`/`HEAD`, `refs/heads/x`, `refs/tags/x`, `heads/x`,
    /// `tags/x`, a hex commit id (7–40 digits), or a bare name.
    public init(parsing text: String) {
        let text = text.trimmingWhitespace()
        if text.isEmpty || text == "HEAD" {
            self = .remoteHead
        } else if let rest = text.dropPrefix("refs/heads/") ?? text.dropPrefix("heads/") {
            self = .branch(rest)
        } else if let rest = text.dropPrefix("refs/tags/") ?? text.dropPrefix("tags/") {
            self = .tag(rest)
        } else if text.count == 40, text.allSatisfy(\.isHexDigit) {
            self = .commit(text.lowercased())
        } else {
            self = .name(text)
        }
    }

    public var description: String {
        switch self {
        case .branch(let name): "refs/heads/\(name)"
        case .tag(let name): "refs/tags/\(name)"
        case .commit(let id): id
        case .name(let name): name
        case .remoteHead: "HEAD"
        }
    }

    /// Whether a push to `refName` (as in a GitHub push event's `ref`) moves this reference.
    public func isMoved(byPushTo refName: String) -> Bool {
        switch self {
        case .branch(let name): refName == "refs/heads/\(name)"
        case .tag(let name): refName == "refs/tags/\(name)"
        case .name(let name): refName == "refs/heads/\(name)" || refName == "refs/tags/\(name)"
        case .commit: false
        // The default branch is not known without asking the remote: any branch push may move it.
        case .remoteHead: refName.hasPrefix("refs/heads/")
        }
    }
}

extension String {
    func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) && count > prefix.count ? String(dropFirst(prefix.count)) : nil
    }

    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
