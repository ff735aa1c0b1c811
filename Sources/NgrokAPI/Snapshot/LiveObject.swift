import NgrokModel

/// Any live object, of any collection.
public enum LiveObject: Sendable, Hashable {
    case credential(Credential)
    case ipPolicy(IPPolicy)
    case ipPolicyRule(IPPolicyRule)
    case ipWhitelistEntry(IPWhitelistEntry)
    case certificateAuthority(CertificateAuthority)
    case tlsCertificate(TLSCertificate)
    case endpointConfiguration(EndpointConfiguration)
    case reservedDomain(ReservedDomain)
    case reservedAddr(ReservedAddr)

    public init(_ object: any APIObject) {
        switch object {
        case let o as Credential: self = .credential(o)
        case let o as IPPolicy: self = .ipPolicy(o)
        case let o as IPPolicyRule: self = .ipPolicyRule(o)
        case let o as IPWhitelistEntry: self = .ipWhitelistEntry(o)
        case let o as CertificateAuthority: self = .certificateAuthority(o)
        case let o as TLSCertificate: self = .tlsCertificate(o)
        case let o as EndpointConfiguration: self = .endpointConfiguration(o)
        case let o as ReservedDomain: self = .reservedDomain(o)
        case let o as ReservedAddr: self = .reservedAddr(o)
        default: preconditionFailure("unknown API object \(type(of: object))")
        }
    }

    /// The wrapped object.
    public var object: any APIObject {
        switch self {
        case .credential(let o): o
        case .ipPolicy(let o): o
        case .ipPolicyRule(let o): o
        case .ipWhitelistEntry(let o): o
        case .certificateAuthority(let o): o
        case .tlsCertificate(let o): o
        case .endpointConfiguration(let o): o
        case .reservedDomain(let o): o
        case .reservedAddr(let o): o
        }
    }

    public var collection: APICollection { type(of: object).collection }
    public var id: String { object.id }
    public var createdAt: String { object.createdAt }
    public var metadata: String { object.metadata }
    public var description: String { object.description }

    /// The ngrokctl ownership marker in the metadata, if any.
    public var marker: OwnershipMarker? { OwnershipMarker(metadata: object.metadata) }

    /// Oldest first: by `created_at`, then by ID (IDs are time-sortable).
    public static func olderFirst(_ a: LiveObject, _ b: LiveObject) -> Bool {
        (a.createdAt, a.id) < (b.createdAt, b.id)
    }
}
