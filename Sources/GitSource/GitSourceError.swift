/// An error from the git source: a libgit2 failure (with libgit2's own message), a missing ref
/// or path, a deadline, or an authentication failure.
public struct GitSourceError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for callers that branch on it. Extensible: new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case libgit2, refNotFound, pathNotFound, commitNotFound, timedOut, cancelled
            case authenticationFailed, invalidConfiguration, tooLarge, notARepository
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        public static let libgit2 = Code(.libgit2)
        public static let refNotFound = Code(.refNotFound)
        public static let pathNotFound = Code(.pathNotFound)
        public static let commitNotFound = Code(.commitNotFound)
        public static let timedOut = Code(.timedOut)
        public static let cancelled = Code(.cancelled)
        public static let authenticationFailed = Code(.authenticationFailed)
        public static let invalidConfiguration = Code(.invalidConfiguration)
        public static let tooLarge = Code(.tooLarge)
        public static let notARepository = Code(.notARepository)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// Human-readable message; for libgit2 failures it includes libgit2's message.
    public let message: String
    /// The libgit2 return code, when the failure came from libgit2.
    public let libgit2Code: Int32?

    public init(_ code: Code, _ message: String, libgit2Code: Int32? = nil) {
        self.code = code
        // Messages name URLs (and libgit2's own messages may too): never with credentials.
        self.message = URLRedaction.scrub(message)
        self.libgit2Code = libgit2Code
    }

    public var description: String { message }
}
