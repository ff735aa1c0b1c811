/// The API collections ngrokctl reads and writes: path, list key and ID prefix of each, in one table
/// (`Kind.collection` names a kind's collection).
public enum APICollection: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case credentials
    case ipPolicies = "ip_policies"
    case ipPolicyRules = "ip_policy_rules"
    case ipWhitelist = "ip_whitelist"
    case certificateAuthorities = "certificate_authorities"
    case tlsCertificates = "tls_certificates"
    case endpointConfigurations = "endpoint_configurations"
    case reservedDomains = "reserved_domains"
    case reservedAddrs = "reserved_addrs"

    /// The path segment, e.g. `ip_policies` (requests go to `/ip_policies`).
    public var path: String { rawValue }

    /// The key holding the items in a list response (`whitelist` for `/ip_whitelist`).
    public var listKey: String {
        switch self {
        case .ipWhitelist: "whitelist"
        default: rawValue
        }
    }

    /// The ID prefix of the collection's objects, e.g. `ipp_`.
    public var idPrefix: String {
        switch self {
        case .credentials: "cr_"
        case .ipPolicies: "ipp_"
        case .ipPolicyRules: "ipr_"
        case .ipWhitelist: "wl_"
        case .certificateAuthorities: "ca_"
        case .tlsCertificates: "cert_"
        case .endpointConfigurations: "ec_"
        case .reservedDomains: "rd_"
        case .reservedAddrs: "ra_"
        }
    }

    /// The manifest kind stored in this collection (nil for IP policy rules, which are part of
    /// `IPPolicy`): the inverse of `Kind.collection`, which is the one place the pairs are written.
    public var kind: Kind? { Self.kinds[self] }

    private static let kinds = Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0.collection, $0) })

    /// The collection an ID belongs to, from its prefix.
    public init?(id: String) {
        guard let found = APICollection.allCases.first(where: { id.hasPrefix($0.idPrefix) }) else { return nil }
        self = found
    }

    public var description: String { rawValue }
}
