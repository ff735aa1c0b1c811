/// `/reserved_domains` (`rd_`). Created with `name`; responses carry the hostname in `domain`.
public struct ReservedDomain: APIObject {
    public static let collection = APICollection.reservedDomains
    public var id: String
    public var uri: String
    public var createdAt: String
    public var description: String
    public var metadata: String
    /// The hostname reserved (the `name` given at creation).
    public var domain: String
    public var region: String
    public var cnameTarget: String?
    public var acmeChallengeCNAMETarget: String?
    public var httpEndpointConfiguration: Ref?
    public var httpsEndpointConfiguration: Ref?
    public var certificate: Ref?
    public var certificateManagementPolicy: ReservedDomainCertPolicy?
    public var certificateManagementStatus: ReservedDomainCertStatus?

    enum CodingKeys: String, CodingKey {
        case id, uri, description, metadata, domain, name, region, certificate
        case createdAt = "created_at"
        case cnameTarget = "cname_target"
        case acmeChallengeCNAMETarget = "acme_challenge_cname_target"
        case httpEndpointConfiguration = "http_endpoint_configuration"
        case httpsEndpointConfiguration = "https_endpoint_configuration"
        case certificateManagementPolicy = "certificate_management_policy"
        case certificateManagementStatus = "certificate_management_status"
    }

    public init(
        id: String, uri: String = "", createdAt: String = "", description: String = "", metadata: String = "",
        domain: String, region: String = "us", cnameTarget: String? = nil, acmeChallengeCNAMETarget: String? = nil,
        httpEndpointConfiguration: Ref? = nil, httpsEndpointConfiguration: Ref? = nil, certificate: Ref? = nil,
        certificateManagementPolicy: ReservedDomainCertPolicy? = nil,
        certificateManagementStatus: ReservedDomainCertStatus? = nil
    ) {
        self.id = id
        self.uri = uri
        self.createdAt = createdAt
        self.description = description
        self.metadata = metadata
        self.domain = domain
        self.region = region
        self.cnameTarget = cnameTarget
        self.acmeChallengeCNAMETarget = acmeChallengeCNAMETarget
        self.httpEndpointConfiguration = httpEndpointConfiguration
        self.httpsEndpointConfiguration = httpsEndpointConfiguration
        self.certificate = certificate
        self.certificateManagementPolicy = certificateManagementPolicy
        self.certificateManagementStatus = certificateManagementStatus
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        uri = try c.lenient(.uri, default: "")
        createdAt = try c.lenient(.createdAt, default: "")
        description = try c.lenient(.description, default: "")
        metadata = try c.lenient(.metadata, default: "")
        // `domain` in responses; tolerate a server that echoes `name` instead.
        domain = try c.decodeIfPresent(String.self, forKey: .domain) ?? c.lenient(.name, default: "")
        region = try c.lenient(.region, default: "")
        cnameTarget = try c.decodeIfPresent(String.self, forKey: .cnameTarget)
        acmeChallengeCNAMETarget = try c.decodeIfPresent(String.self, forKey: .acmeChallengeCNAMETarget)
        httpEndpointConfiguration = try c.decodeIfPresent(Ref.self, forKey: .httpEndpointConfiguration)
        httpsEndpointConfiguration = try c.decodeIfPresent(Ref.self, forKey: .httpsEndpointConfiguration)
        certificate = try c.decodeIfPresent(Ref.self, forKey: .certificate)
        certificateManagementPolicy = try c.decodeIfPresent(
            ReservedDomainCertPolicy.self, forKey: .certificateManagementPolicy)
        certificateManagementStatus = try c.decodeIfPresent(
            ReservedDomainCertStatus.self, forKey: .certificateManagementStatus)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(uri, forKey: .uri)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(description, forKey: .description)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(domain, forKey: .domain)
        try c.encode(region, forKey: .region)
        try c.encode(cnameTarget, forKey: .cnameTarget)
        try c.encode(acmeChallengeCNAMETarget, forKey: .acmeChallengeCNAMETarget)
        try c.encode(httpEndpointConfiguration, forKey: .httpEndpointConfiguration)
        try c.encode(httpsEndpointConfiguration, forKey: .httpsEndpointConfiguration)
        try c.encode(certificate, forKey: .certificate)
        try c.encode(certificateManagementPolicy, forKey: .certificateManagementPolicy)
        try c.encode(certificateManagementStatus, forKey: .certificateManagementStatus)
    }
}

/// `certificate_management_policy`: `{"authority": "letsencrypt", "private_key_type": "rsa"|"ecdsa"}`.
public struct ReservedDomainCertPolicy: Codable, Sendable, Hashable {
    public var authority: String?
    public var privateKeyType: String?

    enum CodingKeys: String, CodingKey {
        case authority
        case privateKeyType = "private_key_type"
    }

    public init(authority: String? = "letsencrypt", privateKeyType: String? = nil) {
        self.authority = authority
        self.privateKeyType = privateKeyType
    }
}

/// `certificate_management_status` (read-only).
public struct ReservedDomainCertStatus: Codable, Sendable, Hashable {
    public var renewsAt: String?
    public var provisioningJob: ReservedDomainCertJob?

    enum CodingKeys: String, CodingKey {
        case renewsAt = "renews_at"
        case provisioningJob = "provisioning_job"
    }

    public init(renewsAt: String? = nil, provisioningJob: ReservedDomainCertJob? = nil) {
        self.renewsAt = renewsAt
        self.provisioningJob = provisioningJob
    }
}

/// `certificate_management_status.provisioning_job` (read-only).
public struct ReservedDomainCertJob: Codable, Sendable, Hashable {
    /// nil, `INTERNAL_ERROR` or `DNS_ERROR`.
    public var errorCode: String?
    public var msg: String
    public var startedAt: String
    public var retriesAt: String?

    enum CodingKeys: String, CodingKey {
        case msg
        case errorCode = "error_code"
        case startedAt = "started_at"
        case retriesAt = "retries_at"
    }

    public init(errorCode: String? = nil, msg: String = "", startedAt: String = "", retriesAt: String? = nil) {
        self.errorCode = errorCode
        self.msg = msg
        self.startedAt = startedAt
        self.retriesAt = retriesAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        errorCode = try c.decodeIfPresent(String.self, forKey: .errorCode)
        msg = try c.lenient(.msg, default: "")
        startedAt = try c.lenient(.startedAt, default: "")
        retriesAt = try c.decodeIfPresent(String.self, forKey: .retriesAt)
    }
}

/// POST `/reserved_domains`. `name` is the hostname (or a bare label: a subdomain of ngrok.io).
/// A certificate and a management policy are mutually exclusive (ERR_NGROK_434).
public struct ReservedDomainCreate: Codable, APIRequestBody, Hashable {
    public var name: String
    public var region: String?
    public var description: String?
    public var metadata: String?
    public var httpEndpointConfigurationID: String?
    public var httpsEndpointConfigurationID: String?
    public var certificateID: String?
    public var certificateManagementPolicy: ReservedDomainCertPolicy?

    enum CodingKeys: String, CodingKey {
        case name, region, description, metadata
        case httpEndpointConfigurationID = "http_endpoint_configuration_id"
        case httpsEndpointConfigurationID = "https_endpoint_configuration_id"
        case certificateID = "certificate_id"
        case certificateManagementPolicy = "certificate_management_policy"
    }

    public init(
        name: String, region: String? = nil, description: String? = nil, metadata: String? = nil,
        httpEndpointConfigurationID: String? = nil, httpsEndpointConfigurationID: String? = nil,
        certificateID: String? = nil, certificateManagementPolicy: ReservedDomainCertPolicy? = nil
    ) {
        self.name = name
        self.region = region
        self.description = description
        self.metadata = metadata
        self.httpEndpointConfigurationID = httpEndpointConfigurationID
        self.httpsEndpointConfigurationID = httpsEndpointConfigurationID
        self.certificateID = certificateID
        self.certificateManagementPolicy = certificateManagementPolicy
    }
}

/// PATCH `/reserved_domains/{id}`: attach by setting the `*ID` fields; detach with `ReservedDomainDetachment`.
public struct ReservedDomainUpdate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    public var httpEndpointConfigurationID: String?
    public var httpsEndpointConfigurationID: String?
    public var certificateID: String?
    public var certificateManagementPolicy: ReservedDomainCertPolicy?

    enum CodingKeys: String, CodingKey {
        case description, metadata
        case httpEndpointConfigurationID = "http_endpoint_configuration_id"
        case httpsEndpointConfigurationID = "https_endpoint_configuration_id"
        case certificateID = "certificate_id"
        case certificateManagementPolicy = "certificate_management_policy"
    }

    public init(
        description: String? = nil, metadata: String? = nil, httpEndpointConfigurationID: String? = nil,
        httpsEndpointConfigurationID: String? = nil, certificateID: String? = nil,
        certificateManagementPolicy: ReservedDomainCertPolicy? = nil
    ) {
        self.description = description
        self.metadata = metadata
        self.httpEndpointConfigurationID = httpEndpointConfigurationID
        self.httpsEndpointConfigurationID = httpsEndpointConfigurationID
        self.certificateID = certificateID
        self.certificateManagementPolicy = certificateManagementPolicy
    }
}

/// The DELETE sub-paths that detach something from a reserved domain.
public enum ReservedDomainDetachment: String, Sendable, Hashable, Codable, CaseIterable {
    case certificateManagementPolicy = "certificate_management_policy"
    case certificate
    case httpEndpointConfiguration = "http_endpoint_configuration"
    case httpsEndpointConfiguration = "https_endpoint_configuration"

    public var path: String { rawValue }
}
