/// `Credential`: a tunnel authtoken with an ACL.
public struct CredentialSpec: Sendable, Hashable {
    /// Each `*`, `bind:<domain>`, `bind:*.<domain>` or `bind:<host>:<port>`. Required (may be `["*"]`).
    public var acl: [String]
    /// Scheduled rotation; nil = the credential lives until it is changed or removed.
    public var rotation: CredentialRotation?
    public init(acl: [String], rotation: CredentialRotation? = nil) {
        self.acl = acl
        self.rotation = rotation
    }
}

/// `rotation: {every: 90d, overlap: 7d}`: a new generation when the newest is older than `every`;
/// each older generation stays valid for `overlap` after its successor was created.
public struct CredentialRotation: Sendable, Hashable {
    /// Seconds.
    public var every: Int
    /// Seconds (less than `every`).
    public var overlap: Int
    public init(every: Int, overlap: Int) {
        self.every = every
        self.overlap = overlap
    }
}

public enum IPPolicyAction: String, Sendable, Hashable, Codable, CaseIterable {
    case allow
    case deny
}

/// `IPPolicy` with its rules inline.
public struct IPPolicySpec: Sendable, Hashable {
    public var action: IPPolicyAction
    public var rules: [IPPolicyRuleSpec]
    public init(action: IPPolicyAction = .allow, rules: [IPPolicyRuleSpec] = []) {
        self.action = action
        self.rules = rules
    }
}

public struct IPPolicyRuleSpec: Sendable, Hashable {
    /// As written; canonicalised by the planner (bare address → /32 or /128).
    public var cidr: String
    public var description: String?
    public var metadata: String?
    public init(cidr: String, description: String? = nil, metadata: String? = nil) {
        self.cidr = cidr
        self.description = description
        self.metadata = metadata
    }
}

/// `IPWhitelistEntry`: an account-wide allowed IP or network.
public struct IPWhitelistEntrySpec: Sendable, Hashable {
    public var ipNet: String
    public init(ipNet: String) { self.ipNet = ipNet }
}

/// `CertificateAuthority`: one CA certificate for mutual TLS.
public struct CertificateAuthoritySpec: Sendable, Hashable {
    /// The PEM text (a `{file}` is read at load time).
    public var caPem: String
    public init(caPem: String) { self.caPem = caPem }
}

/// `TLSCertificate`: an uploaded certificate bundle and its private key.
public struct TLSCertificateSpec: Sendable, Hashable {
    /// Leaf first, then intermediates (a `{file}` is read at load time).
    public var certificatePem: String
    public var privateKeyPem: SecretReference
    public init(certificatePem: String, privateKeyPem: SecretReference) {
        self.certificatePem = certificatePem
        self.privateKeyPem = privateKeyPem
    }
}

/// `ReservedDomain`.
public struct ReservedDomainSpec: Sendable, Hashable {
    public var domain: String
    /// Resolved: the manifest's value or the stack default (`us`).
    public var region: String
    public var httpEndpointConfiguration: String?
    public var httpsEndpointConfiguration: String?
    public var certificate: String?
    public var certificateManagement: CertificateManagement?
    public var adopt: Bool

    public struct CertificateManagement: Sendable, Hashable {
        public var authority: String
        public var privateKeyType: String
        public init(authority: String = "letsencrypt", privateKeyType: String = "rsa") {
            self.authority = authority
            self.privateKeyType = privateKeyType
        }
    }

    public init(
        domain: String, region: String = "us", httpEndpointConfiguration: String? = nil,
        httpsEndpointConfiguration: String? = nil, certificate: String? = nil,
        certificateManagement: CertificateManagement? = nil, adopt: Bool = false
    ) {
        self.domain = domain
        self.region = region
        self.httpEndpointConfiguration = httpEndpointConfiguration
        self.httpsEndpointConfiguration = httpsEndpointConfiguration
        self.certificate = certificate
        self.certificateManagement = certificateManagement
        self.adopt = adopt
    }
}

/// `ReservedAddress`: a TCP address assigned by ngrok.
public struct ReservedAddressSpec: Sendable, Hashable {
    /// Resolved: the manifest's value or the stack default (`us`).
    public var region: String
    public var endpointConfiguration: String?
    public init(region: String = "us", endpointConfiguration: String? = nil) {
        self.region = region
        self.endpointConfiguration = endpointConfiguration
    }
}

/// The regions reserved domains and addresses may live in.
public enum Region {
    public static let all = ["us", "eu", "ap", "au", "sa", "jp", "in"]
}
