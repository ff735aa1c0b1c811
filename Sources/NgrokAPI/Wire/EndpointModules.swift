// Endpoint configuration modules. Where request and response shapes differ (ids in, refs out), the
// request type is `…Mutate`. Optional request fields are omitted when nil; `enabled` defaults to true.

/// `circuit_breaker` (same shape in and out).
public struct EndpointCircuitBreaker: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var trippedDuration: Int?
    public var rollingWindow: Int?
    public var numBuckets: Int?
    public var volumeThreshold: Int?
    /// A fraction 0.0–1.0.
    public var errorThresholdPercentage: Double?

    enum CodingKeys: String, CodingKey {
        case enabled
        case trippedDuration = "tripped_duration"
        case rollingWindow = "rolling_window"
        case numBuckets = "num_buckets"
        case volumeThreshold = "volume_threshold"
        case errorThresholdPercentage = "error_threshold_percentage"
    }

    public init(
        enabled: Bool? = true, trippedDuration: Int? = nil, rollingWindow: Int? = nil, numBuckets: Int? = nil,
        volumeThreshold: Int? = nil, errorThresholdPercentage: Double? = nil
    ) {
        self.enabled = enabled
        self.trippedDuration = trippedDuration
        self.rollingWindow = rollingWindow
        self.numBuckets = numBuckets
        self.volumeThreshold = volumeThreshold
        self.errorThresholdPercentage = errorThresholdPercentage
    }
}

/// `compression`.
public struct EndpointCompression: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public init(enabled: Bool? = true) { self.enabled = enabled }
}

/// `request_headers` / `response_headers` (same shape in and out; the API lower-cases names).
public struct EndpointHeaders: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var add: [String: String]
    public var remove: [String]

    public init(enabled: Bool? = true, add: [String: String] = [:], remove: [String] = []) {
        self.enabled = enabled
        self.add = add
        self.remove = remove
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        add = try c.lenient(.add, default: [:])
        remove = try c.lenient(.remove, default: [])
    }
}

/// `ip_policy` response: refs out.
public struct EndpointIPPolicy: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var ipPolicies: [Ref]

    enum CodingKeys: String, CodingKey {
        case enabled
        case ipPolicies = "ip_policies"
    }

    public init(enabled: Bool? = true, ipPolicies: [Ref]) {
        self.enabled = enabled
        self.ipPolicies = ipPolicies
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        ipPolicies = try c.lenient(.ipPolicies, default: [])
    }
}

/// `ip_policy` request: ids in.
public struct EndpointIPPolicyMutate: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var ipPolicyIDs: [String]

    enum CodingKeys: String, CodingKey {
        case enabled
        case ipPolicyIDs = "ip_policy_ids"
    }

    public init(enabled: Bool? = true, ipPolicyIDs: [String]) {
        self.enabled = enabled
        self.ipPolicyIDs = ipPolicyIDs
    }
}

/// `mutual_tls` response: refs out.
public struct EndpointMutualTLS: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var certificateAuthorities: [Ref]

    enum CodingKeys: String, CodingKey {
        case enabled
        case certificateAuthorities = "certificate_authorities"
    }

    public init(enabled: Bool? = true, certificateAuthorities: [Ref]) {
        self.enabled = enabled
        self.certificateAuthorities = certificateAuthorities
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        certificateAuthorities = try c.lenient(.certificateAuthorities, default: [])
    }
}

/// `mutual_tls` request: ids in.
public struct EndpointMutualTLSMutate: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var certificateAuthorityIDs: [String]

    enum CodingKeys: String, CodingKey {
        case enabled
        case certificateAuthorityIDs = "certificate_authority_ids"
    }

    public init(enabled: Bool? = true, certificateAuthorityIDs: [String]) {
        self.enabled = enabled
        self.certificateAuthorityIDs = certificateAuthorityIDs
    }
}

/// `tls_termination` (same shape in and out).
public struct EndpointTLSTermination: Codable, Sendable, Hashable {
    public var enabled: Bool?
    /// `edge` or `upstream`.
    public var terminateAt: String?
    /// nil = ngrok's default; e.g. `"1.2"`.
    public var minVersion: String?

    enum CodingKeys: String, CodingKey {
        case enabled
        case terminateAt = "terminate_at"
        case minVersion = "min_version"
    }

    public init(enabled: Bool? = true, terminateAt: String? = "edge", minVersion: String? = nil) {
        self.enabled = enabled
        self.terminateAt = terminateAt
        self.minVersion = minVersion
    }
}

/// `webhook_validation` (same shape in and out; the secret is returned by the API).
public struct EndpointWebhookValidation: Codable, Sendable, Hashable, CustomDebugStringConvertible {
    public var enabled: Bool?
    /// `SLACK`, `SNS`, `STRIPE`, `GITHUB`, …
    public var provider: String
    /// nil for SNS.
    public var secret: String?

    public init(enabled: Bool? = true, provider: String, secret: String? = nil) {
        self.enabled = enabled
        self.provider = provider
        self.secret = secret
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        provider = try c.lenient(.provider, default: "")
        secret = try c.decodeIfPresent(String.self, forKey: .secret)
    }

    public var debugDescription: String {
        "EndpointWebhookValidation(enabled: \(String(describing: enabled)), provider: \(provider), "
            + "secret: \(secret == nil ? "nil" : "(sensitive)"))"
    }
}

/// `oauth` (same shape in and out). `provider` has exactly one of google, microsoft, github, facebook.
public struct EndpointOAuth: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var provider: EndpointOAuthProvider
    public var optionsPassthrough: Bool?
    /// nil in a request = the API default `ngrok.`.
    public var cookiePrefix: String?
    public var inactivityTimeout: Int?
    public var maximumDuration: Int?
    public var authCheckInterval: Int?

    enum CodingKeys: String, CodingKey {
        case enabled, provider
        case optionsPassthrough = "options_passthrough"
        case cookiePrefix = "cookie_prefix"
        case inactivityTimeout = "inactivity_timeout"
        case maximumDuration = "maximum_duration"
        case authCheckInterval = "auth_check_interval"
    }

    public init(
        enabled: Bool? = true, provider: EndpointOAuthProvider, optionsPassthrough: Bool? = nil,
        cookiePrefix: String? = nil, inactivityTimeout: Int? = nil, maximumDuration: Int? = nil,
        authCheckInterval: Int? = nil
    ) {
        self.enabled = enabled
        self.provider = provider
        self.optionsPassthrough = optionsPassthrough
        self.cookiePrefix = cookiePrefix
        self.inactivityTimeout = inactivityTimeout
        self.maximumDuration = maximumDuration
        self.authCheckInterval = authCheckInterval
    }
}

/// `oauth.provider`: exactly one non-nil member. Unknown providers in responses (linkedin, …) are ignored.
public struct EndpointOAuthProvider: Codable, Sendable, Hashable {
    public var github: EndpointOAuthGitHub?
    public var facebook: EndpointOAuthProviderApp?
    public var microsoft: EndpointOAuthProviderApp?
    public var google: EndpointOAuthProviderApp?

    public init(
        github: EndpointOAuthGitHub? = nil, facebook: EndpointOAuthProviderApp? = nil,
        microsoft: EndpointOAuthProviderApp? = nil, google: EndpointOAuthProviderApp? = nil
    ) {
        self.github = github
        self.facebook = facebook
        self.microsoft = microsoft
        self.google = google
    }

    /// The name of the configured provider (`github`, `facebook`, `microsoft`, `google`), if exactly one.
    public var name: String? {
        let set = [("github", github != nil), ("facebook", facebook != nil), ("microsoft", microsoft != nil),
                   ("google", google != nil)].filter(\.1)
        return set.count == 1 ? set[0].0 : nil
    }

    /// The common application settings of whichever provider is set.
    public var app: EndpointOAuthProviderApp? {
        if let github { return github.app }
        return facebook ?? microsoft ?? google
    }
}

/// An OAuth provider's settings (google, microsoft, facebook). nil `clientID` = ngrok's managed app.
public struct EndpointOAuthProviderApp: Codable, Sendable, Hashable, CustomDebugStringConvertible {
    public var clientID: String?
    public var clientSecret: String?
    public var scopes: [String]
    public var emailAddresses: [String]
    public var emailDomains: [String]

    enum CodingKeys: String, CodingKey {
        case scopes
        case clientID = "client_id"
        case clientSecret = "client_secret"
        case emailAddresses = "email_addresses"
        case emailDomains = "email_domains"
    }

    public init(
        clientID: String? = nil, clientSecret: String? = nil, scopes: [String] = [], emailAddresses: [String] = [],
        emailDomains: [String] = []
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.emailAddresses = emailAddresses
        self.emailDomains = emailDomains
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        clientID = try c.decodeIfPresent(String.self, forKey: .clientID)
        clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret)
        scopes = try c.lenient(.scopes, default: [])
        emailAddresses = try c.lenient(.emailAddresses, default: [])
        emailDomains = try c.lenient(.emailDomains, default: [])
    }

    public var debugDescription: String {
        "EndpointOAuthProviderApp(clientID: \(String(describing: clientID)), clientSecret: "
            + "\(clientSecret == nil ? "nil" : "(sensitive)"), scopes: \(scopes), emailAddresses: \(emailAddresses), "
            + "emailDomains: \(emailDomains))"
    }
}

/// The GitHub provider: the common settings plus `teams` and `organizations`.
public struct EndpointOAuthGitHub: Codable, Sendable, Hashable, CustomDebugStringConvertible {
    public var clientID: String?
    public var clientSecret: String?
    public var scopes: [String]
    public var emailAddresses: [String]
    public var emailDomains: [String]
    public var teams: [String]
    public var organizations: [String]

    enum CodingKeys: String, CodingKey {
        case scopes, teams, organizations
        case clientID = "client_id"
        case clientSecret = "client_secret"
        case emailAddresses = "email_addresses"
        case emailDomains = "email_domains"
    }

    public init(
        clientID: String? = nil, clientSecret: String? = nil, scopes: [String] = [], emailAddresses: [String] = [],
        emailDomains: [String] = [], teams: [String] = [], organizations: [String] = []
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.emailAddresses = emailAddresses
        self.emailDomains = emailDomains
        self.teams = teams
        self.organizations = organizations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        clientID = try c.decodeIfPresent(String.self, forKey: .clientID)
        clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret)
        scopes = try c.lenient(.scopes, default: [])
        emailAddresses = try c.lenient(.emailAddresses, default: [])
        emailDomains = try c.lenient(.emailDomains, default: [])
        teams = try c.lenient(.teams, default: [])
        organizations = try c.lenient(.organizations, default: [])
    }

    public var app: EndpointOAuthProviderApp {
        EndpointOAuthProviderApp(
            clientID: clientID, clientSecret: clientSecret, scopes: scopes, emailAddresses: emailAddresses,
            emailDomains: emailDomains)
    }

    public var debugDescription: String {
        "EndpointOAuthGitHub(clientID: \(String(describing: clientID)), clientSecret: "
            + "\(clientSecret == nil ? "nil" : "(sensitive)"), scopes: \(scopes), teams: \(teams), "
            + "organizations: \(organizations))"
    }
}

/// `oidc` (same shape in and out; the client secret is returned by the API).
public struct EndpointOIDC: Codable, Sendable, Hashable, CustomDebugStringConvertible {
    public var enabled: Bool?
    public var optionsPassthrough: Bool?
    public var cookiePrefix: String?
    public var inactivityTimeout: Int?
    public var maximumDuration: Int?
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    public var scopes: [String]

    enum CodingKeys: String, CodingKey {
        case enabled, issuer, scopes
        case optionsPassthrough = "options_passthrough"
        case cookiePrefix = "cookie_prefix"
        case inactivityTimeout = "inactivity_timeout"
        case maximumDuration = "maximum_duration"
        case clientID = "client_id"
        case clientSecret = "client_secret"
    }

    public init(
        enabled: Bool? = true, optionsPassthrough: Bool? = nil, cookiePrefix: String? = nil,
        inactivityTimeout: Int? = nil, maximumDuration: Int? = nil, issuer: String, clientID: String,
        clientSecret: String, scopes: [String] = []
    ) {
        self.enabled = enabled
        self.optionsPassthrough = optionsPassthrough
        self.cookiePrefix = cookiePrefix
        self.inactivityTimeout = inactivityTimeout
        self.maximumDuration = maximumDuration
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        optionsPassthrough = try c.decodeIfPresent(Bool.self, forKey: .optionsPassthrough)
        cookiePrefix = try c.decodeIfPresent(String.self, forKey: .cookiePrefix)
        inactivityTimeout = try c.decodeIfPresent(Int.self, forKey: .inactivityTimeout)
        maximumDuration = try c.decodeIfPresent(Int.self, forKey: .maximumDuration)
        issuer = try c.lenient(.issuer, default: "")
        clientID = try c.lenient(.clientID, default: "")
        clientSecret = try c.lenient(.clientSecret, default: "")
        scopes = try c.lenient(.scopes, default: [])
    }

    public var debugDescription: String {
        "EndpointOIDC(enabled: \(String(describing: enabled)), issuer: \(issuer), clientID: \(clientID), "
            + "clientSecret: (sensitive), scopes: \(scopes))"
    }
}

/// `saml` request (mutate shape): exactly one of `idpMetadata` and `idpMetadataURL`.
public struct EndpointSAMLMutate: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var optionsPassthrough: Bool?
    public var cookiePrefix: String?
    public var inactivityTimeout: Int?
    public var maximumDuration: Int?
    public var idpMetadata: String?
    public var idpMetadataURL: String?
    public var forceAuthn: Bool?
    public var allowIdpInitiated: Bool?
    public var authorizedGroups: [String]?
    public var nameidFormat: String?

    enum CodingKeys: String, CodingKey {
        case enabled
        case optionsPassthrough = "options_passthrough"
        case cookiePrefix = "cookie_prefix"
        case inactivityTimeout = "inactivity_timeout"
        case maximumDuration = "maximum_duration"
        case idpMetadata = "idp_metadata"
        case idpMetadataURL = "idp_metadata_url"
        case forceAuthn = "force_authn"
        case allowIdpInitiated = "allow_idp_initiated"
        case authorizedGroups = "authorized_groups"
        case nameidFormat = "nameid_format"
    }

    public init(
        enabled: Bool? = true, optionsPassthrough: Bool? = nil, cookiePrefix: String? = nil,
        inactivityTimeout: Int? = nil, maximumDuration: Int? = nil, idpMetadata: String? = nil,
        idpMetadataURL: String? = nil, forceAuthn: Bool? = nil, allowIdpInitiated: Bool? = nil,
        authorizedGroups: [String]? = nil, nameidFormat: String? = nil
    ) {
        self.enabled = enabled
        self.optionsPassthrough = optionsPassthrough
        self.cookiePrefix = cookiePrefix
        self.inactivityTimeout = inactivityTimeout
        self.maximumDuration = maximumDuration
        self.idpMetadata = idpMetadata
        self.idpMetadataURL = idpMetadataURL
        self.forceAuthn = forceAuthn
        self.allowIdpInitiated = allowIdpInitiated
        self.authorizedGroups = authorizedGroups
        self.nameidFormat = nameidFormat
    }
}

/// `saml` response: the request fields plus server-computed read-only fields.
public struct EndpointSAML: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var optionsPassthrough: Bool?
    public var cookiePrefix: String?
    public var inactivityTimeout: Int?
    public var maximumDuration: Int?
    public var idpMetadata: String
    /// "" when the metadata was given inline.
    public var idpMetadataURL: String
    public var forceAuthn: Bool
    public var allowIdpInitiated: Bool?
    public var authorizedGroups: [String]
    public var nameidFormat: String
    // Read-only, computed by the server.
    public var entityID: String
    public var assertionConsumerServiceURL: String
    public var singleLogoutURL: String
    public var requestSigningCertificatePEM: String
    public var metadataURL: String

    enum CodingKeys: String, CodingKey {
        case enabled
        case optionsPassthrough = "options_passthrough"
        case cookiePrefix = "cookie_prefix"
        case inactivityTimeout = "inactivity_timeout"
        case maximumDuration = "maximum_duration"
        case idpMetadata = "idp_metadata"
        case idpMetadataURL = "idp_metadata_url"
        case forceAuthn = "force_authn"
        case allowIdpInitiated = "allow_idp_initiated"
        case authorizedGroups = "authorized_groups"
        case nameidFormat = "nameid_format"
        case entityID = "entity_id"
        case assertionConsumerServiceURL = "assertion_consumer_service_url"
        case singleLogoutURL = "single_logout_url"
        case requestSigningCertificatePEM = "request_signing_certificate_pem"
        case metadataURL = "metadata_url"
    }

    public init(
        enabled: Bool? = true, optionsPassthrough: Bool? = nil, cookiePrefix: String? = nil,
        inactivityTimeout: Int? = nil, maximumDuration: Int? = nil, idpMetadata: String = "",
        idpMetadataURL: String = "", forceAuthn: Bool = false, allowIdpInitiated: Bool? = true,
        authorizedGroups: [String] = [], nameidFormat: String = "", entityID: String = "",
        assertionConsumerServiceURL: String = "", singleLogoutURL: String = "",
        requestSigningCertificatePEM: String = "", metadataURL: String = ""
    ) {
        self.enabled = enabled
        self.optionsPassthrough = optionsPassthrough
        self.cookiePrefix = cookiePrefix
        self.inactivityTimeout = inactivityTimeout
        self.maximumDuration = maximumDuration
        self.idpMetadata = idpMetadata
        self.idpMetadataURL = idpMetadataURL
        self.forceAuthn = forceAuthn
        self.allowIdpInitiated = allowIdpInitiated
        self.authorizedGroups = authorizedGroups
        self.nameidFormat = nameidFormat
        self.entityID = entityID
        self.assertionConsumerServiceURL = assertionConsumerServiceURL
        self.singleLogoutURL = singleLogoutURL
        self.requestSigningCertificatePEM = requestSigningCertificatePEM
        self.metadataURL = metadataURL
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        optionsPassthrough = try c.decodeIfPresent(Bool.self, forKey: .optionsPassthrough)
        cookiePrefix = try c.decodeIfPresent(String.self, forKey: .cookiePrefix)
        inactivityTimeout = try c.decodeIfPresent(Int.self, forKey: .inactivityTimeout)
        maximumDuration = try c.decodeIfPresent(Int.self, forKey: .maximumDuration)
        idpMetadata = try c.lenient(.idpMetadata, default: "")
        idpMetadataURL = try c.lenient(.idpMetadataURL, default: "")
        forceAuthn = try c.lenient(.forceAuthn, default: false)
        allowIdpInitiated = try c.decodeIfPresent(Bool.self, forKey: .allowIdpInitiated)
        authorizedGroups = try c.lenient(.authorizedGroups, default: [])
        nameidFormat = try c.lenient(.nameidFormat, default: "")
        entityID = try c.lenient(.entityID, default: "")
        assertionConsumerServiceURL = try c.lenient(.assertionConsumerServiceURL, default: "")
        singleLogoutURL = try c.lenient(.singleLogoutURL, default: "")
        requestSigningCertificatePEM = try c.lenient(.requestSigningCertificatePEM, default: "")
        metadataURL = try c.lenient(.metadataURL, default: "")
    }
}

/// `logging` response: `{"enabled": bool, "event_streams": [Ref]}`; tolerant of nulls and missing keys.
public struct EndpointLogging: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var eventStreams: [Ref]

    enum CodingKeys: String, CodingKey {
        case enabled
        case eventStreams = "event_streams"
    }

    public init(enabled: Bool? = true, eventStreams: [Ref] = []) {
        self.enabled = enabled
        self.eventStreams = eventStreams
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = c.tolerant(.enabled)
        eventStreams = c.tolerant(.eventStreams) ?? []
    }
}

/// `logging` request: ids in.
public struct EndpointLoggingMutate: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var eventStreamIDs: [String]

    enum CodingKeys: String, CodingKey {
        case enabled
        case eventStreamIDs = "event_stream_ids"
    }

    public init(enabled: Bool? = true, eventStreamIDs: [String] = []) {
        self.enabled = enabled
        self.eventStreamIDs = eventStreamIDs
    }
}
