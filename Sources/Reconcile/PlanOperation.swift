import NgrokModel

/// One API operation of a plan: a node of its DAG.
public struct PlanOperation: Sendable, Hashable, Identifiable {
    public enum Action: String, Sendable, Hashable, CaseIterable, Codable {
        case create
        case update
        case modulePut = "module-put"
        case moduleDelete = "module-delete"
        case attach
        case detach
        case delete
        case adopt
        case dedupe
        /// `deletionPolicy: Retain`: remove the ownership marker and leave the object in place.
        case forget
        /// A credential's new generation (a create; the older generations stay valid for the overlap).
        case rotate
        /// Deletes an older generation of a credential whose overlap ended (not a deletion of the resource).
        case revoke
    }

    /// What within the resource the operation is about.
    public enum Subject: Sendable, Hashable {
        case object
        case rule(cidr: String)
        case module(ModuleName)
        case slot(String)
    }

    public struct FieldChange: Sendable, Hashable {
        /// The field as the manifest names it, relative to `spec` (`modules.ipPolicy.ipPolicies`).
        public var path: String
        /// The field as the API names it (`ip_policy.ip_policy_ids`).
        public var apiPath: String
        public var before: WireValue?
        public var after: WireValue?
        /// `path` is the API path; `PlanBuilder` translates it to the manifest's (see `APIVocabulary`).
        public init(path: String, before: WireValue?, after: WireValue?) {
            self.path = path
            self.apiPath = path
            self.before = before
            self.after = after
        }

        /// This change with `path` in manifest naming for a field of `kind`.
        func inManifestVocabulary(_ kind: Kind) -> FieldChange {
            var copy = self
            copy.path = APIVocabulary.manifestPath(of: apiPath, kind: kind)
            return copy
        }
        public var sensitive: Bool { (before?.isSensitive ?? false) || (after?.isSensitive ?? false) }
    }

    /// The HTTP request to make. The body may hold pending references, resolved at execution time.
    public struct Request: Sendable, Hashable {
        public var method: HTTPMethod
        public var collection: APICollection
        /// The live object's ID (nil for a create).
        public var objectID: String?
        /// Path after `/{collection}/{id}`, e.g. `/oauth` or `/certificate`.
        public var suffix: String
        public var body: WireValue?
    }

    public var id: Int
    public var action: Action
    public var address: ResourceAddress
    public var subject: Subject
    public var changes: [FieldChange]
    public var reason: String
    public var dependsOn: [Int]
    /// Removes something users rely on (a domain or address), or replaces it.
    public var destructive: Bool
    /// Part of a replacement (`create` of the new object or `delete` of the old one).
    public var replacement: Bool
    public var request: Request
    /// Breaks what uses the object until its users act (a change of where TLS terminates on a
    /// configuration in use: agents must restart with the other protocol).
    public var disruptive = false
    /// A credential's generation, when it is under rotation or past its first generation (the
    /// token files `NAME.gen-N.token` follow it); nil otherwise.
    public var generation: Int? = nil

    /// A short label: `IPPolicy/office rule 10.0.0.0/8`, `EndpointConfiguration/api module oauth`.
    public var target: String {
        switch subject {
        case .object: address.description
        case .rule(let cidr): "\(address) rule \(cidr)"
        case .module(let module): "\(address) module \(module.rawValue)"
        case .slot(let slot): "\(address) \(slot)"
        }
    }
}
