/// The resource kinds a manifest may declare (besides `Stack`).
public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case credential = "Credential"
    case ipPolicy = "IPPolicy"
    case ipWhitelistEntry = "IPWhitelistEntry"
    case certificateAuthority = "CertificateAuthority"
    case tlsCertificate = "TLSCertificate"
    case endpointConfiguration = "EndpointConfiguration"
    case reservedDomain = "ReservedDomain"
    case reservedAddress = "ReservedAddress"

    /// The API collection the kind's objects live in, e.g. `ip_policies`.
    public var collection: APICollection {
        switch self {
        case .credential: .credentials
        case .ipPolicy: .ipPolicies
        case .ipWhitelistEntry: .ipWhitelist
        case .certificateAuthority: .certificateAuthorities
        case .tlsCertificate: .tlsCertificates
        case .endpointConfiguration: .endpointConfigurations
        case .reservedDomain: .reservedDomains
        case .reservedAddress: .reservedAddrs
        }
    }

    /// A stable order used for display: referenced kinds first.
    /// (The declaration order, spelled out: sorting by it must not allocate.)
    public var displayRank: Int {
        switch self {
        case .credential: 0
        case .ipPolicy: 1
        case .ipWhitelistEntry: 2
        case .certificateAuthority: 3
        case .tlsCertificate: 4
        case .endpointConfiguration: 5
        case .reservedDomain: 6
        case .reservedAddress: 7
        }
    }

    public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.displayRank < rhs.displayRank }
}
