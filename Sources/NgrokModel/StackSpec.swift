/// `ngrokctl.yaml` (kind `Stack`): settings for the whole manifest directory.
public struct StackSpec: Sendable, Hashable {
    public struct API: Sendable, Hashable {
        /// `https://…` or `local:PATH`; nil = the default (https://api.ngrok.com).
        public var url: String?
        public var requestsPerMinute: Int
        public var concurrency: Int
        public init(url: String? = nil, requestsPerMinute: Int = 120, concurrency: Int = 4) {
            self.url = url
            self.requestsPerMinute = requestsPerMinute
            self.concurrency = concurrency
        }
    }

    public var name: String
    public var source: SourceMap
    public var api: API
    /// Delete owned objects that left the manifests.
    public var prune: Bool
    /// Lowers the operator's deletion cap (it can never raise it); nil = the operator's cap.
    public var maxDeletions: Int?
    /// Where new credential tokens are written (0600), as written in the manifest: relative to the
    /// directory the operator allows (see `OperatorPolicy`); nil = none configured.
    public var tokenDirectory: String?
    public var defaultRegion: String
    /// A shell command run once per new credential token (token on stdin); runs only when the
    /// operator allows it (`--allow-manifest-token-command`), see `TokenCommand`.
    public var tokenCommand: String?

    public init(
        name: String, source: SourceMap, api: API = API(), prune: Bool = false, maxDeletions: Int? = nil,
        tokenDirectory: String? = nil, defaultRegion: String = "us"
    ) {
        self.name = name
        self.source = source
        self.api = api
        self.prune = prune
        self.maxDeletions = maxDeletions
        self.tokenDirectory = tokenDirectory
        self.defaultRegion = defaultRegion
    }
}

/// A loaded stack: its settings and resources.
public struct Stack: Sendable, Hashable {
    public var spec: StackSpec
    public var resources: [Resource]
    /// The directory the stack was loaded from.
    public var root: String

    public init(spec: StackSpec, resources: [Resource], root: String) {
        self.spec = spec
        self.resources = resources
        self.root = root
    }

    public var name: String { spec.name }

    public func resource(_ address: ResourceAddress) -> Resource? {
        resources.first { $0.address == address }
    }
}
