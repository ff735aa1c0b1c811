public enum EndpointType: String, Sendable, Hashable, Codable, CaseIterable {
    case http
    case https
    case tcp
}

/// `EndpointConfiguration`: a type and its modules.
public struct EndpointConfigurationSpec: Sendable, Hashable {
    public var type: EndpointType
    public var modules: EndpointModules
    public init(type: EndpointType, modules: EndpointModules = EndpointModules()) {
        self.type = type
        self.modules = modules
    }
}

/// The modules of an endpoint configuration; nil = not configured.
/// Durations are whole seconds.
public struct EndpointModules: Sendable, Hashable {
    public var circuitBreaker: CircuitBreakerModule?
    public var compression: CompressionModule?
    public var requestHeaders: HeadersModule?
    public var responseHeaders: HeadersModule?
    public var ipPolicy: IPPolicyModule?
    public var mutualTls: MutualTLSModule?
    public var tlsTermination: TLSTerminationModule?
    public var webhookValidation: WebhookValidationModule?
    public var oauth: OAuthModule?
    public var oidc: OIDCModule?
    public var saml: SAMLModule?

    public init(
        circuitBreaker: CircuitBreakerModule? = nil, compression: CompressionModule? = nil,
        requestHeaders: HeadersModule? = nil, responseHeaders: HeadersModule? = nil, ipPolicy: IPPolicyModule? = nil,
        mutualTls: MutualTLSModule? = nil, tlsTermination: TLSTerminationModule? = nil,
        webhookValidation: WebhookValidationModule? = nil, oauth: OAuthModule? = nil, oidc: OIDCModule? = nil,
        saml: SAMLModule? = nil
    ) {
        self.circuitBreaker = circuitBreaker
        self.compression = compression
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.ipPolicy = ipPolicy
        self.mutualTls = mutualTls
        self.tlsTermination = tlsTermination
        self.webhookValidation = webhookValidation
        self.oauth = oauth
        self.oidc = oidc
        self.saml = saml
    }

    /// The manifest names of the configured modules, in manifest order.
    public var configured: [ModuleName] {
        ModuleName.allCases.filter { isSet($0) }
    }

    public func isSet(_ module: ModuleName) -> Bool {
        switch module {
        case .circuitBreaker: circuitBreaker != nil
        case .compression: compression != nil
        case .requestHeaders: requestHeaders != nil
        case .responseHeaders: responseHeaders != nil
        case .ipPolicy: ipPolicy != nil
        case .mutualTls: mutualTls != nil
        case .tlsTermination: tlsTermination != nil
        case .webhookValidation: webhookValidation != nil
        case .oauth: oauth != nil
        case .oidc: oidc != nil
        case .saml: saml != nil
        }
    }
}

/// Module names as written in manifests; their API names, fields and supported endpoint types are in
/// `APIVocabulary`.
public enum ModuleName: String, Sendable, Hashable, Codable, CaseIterable {
    case circuitBreaker
    case compression
    case requestHeaders
    case responseHeaders
    case ipPolicy
    case mutualTls
    case tlsTermination
    case webhookValidation
    case oauth
    case oidc
    case saml
}

public struct CircuitBreakerModule: Sendable, Hashable {
    public var enabled: Bool
    public var trippedDuration: Int?
    public var rollingWindow: Int?
    public var numBuckets: Int?
    public var volumeThreshold: Int?
    public var errorThresholdPercentage: Double?
    public init(
        enabled: Bool = true, trippedDuration: Int? = nil, rollingWindow: Int? = nil, numBuckets: Int? = nil,
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

public struct CompressionModule: Sendable, Hashable {
    public var enabled: Bool
    public init(enabled: Bool = true) { self.enabled = enabled }
}

public struct HeadersModule: Sendable, Hashable {
    public var enabled: Bool
    /// Header name → value, in manifest order (names as written; the API lower-cases them).
    public var add: [HeaderPair]
    public var remove: [String]
    public struct HeaderPair: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
    public init(enabled: Bool = true, add: [HeaderPair] = [], remove: [String] = []) {
        self.enabled = enabled
        self.add = add
        self.remove = remove
    }
}

public struct IPPolicyModule: Sendable, Hashable {
    public var enabled: Bool
    /// Names of `IPPolicy` resources.
    public var ipPolicies: [String]
    public init(enabled: Bool = true, ipPolicies: [String]) {
        self.enabled = enabled
        self.ipPolicies = ipPolicies
    }
}

public struct MutualTLSModule: Sendable, Hashable {
    public var enabled: Bool
    /// Names of `CertificateAuthority` resources.
    public var certificateAuthorities: [String]
    public init(enabled: Bool = true, certificateAuthorities: [String]) {
        self.enabled = enabled
        self.certificateAuthorities = certificateAuthorities
    }
}

public struct TLSTerminationModule: Sendable, Hashable {
    public enum TerminateAt: String, Sendable, Hashable, Codable, CaseIterable {
        case edge
        case upstream
    }
    public var enabled: Bool
    public var terminateAt: TerminateAt
    public var minVersion: String?
    public init(enabled: Bool = true, terminateAt: TerminateAt = .edge, minVersion: String? = nil) {
        self.enabled = enabled
        self.terminateAt = terminateAt
        self.minVersion = minVersion
    }
}

public struct WebhookValidationModule: Sendable, Hashable {
    public static let providers = [
        "SLACK", "SNS", "STRIPE", "GITHUB", "TWILIO", "SHOPIFY", "GITLAB", "INTERCOM", "SENDGRID", "XERO",
    ]
    public var enabled: Bool
    public var provider: String
    /// None for SNS.
    public var secret: SecretReference?
    public init(enabled: Bool = true, provider: String, secret: SecretReference? = nil) {
        self.enabled = enabled
        self.provider = provider
        self.secret = secret
    }
}

public enum OAuthProvider: String, Sendable, Hashable, Codable, CaseIterable {
    case google
    case microsoft
    case github
    case facebook
}

public struct OAuthModule: Sendable, Hashable {
    public var enabled: Bool
    public var provider: OAuthProvider
    /// nil = ngrok's managed application.
    public var clientId: String?
    public var clientSecret: SecretReference?
    public var scopes: [String]
    public var emailAddresses: [String]
    public var emailDomains: [String]
    /// GitHub only.
    public var teams: [String]
    /// GitHub only.
    public var organizations: [String]
    public var optionsPassthrough: Bool
    /// nil = the API default `ngrok.`.
    public var cookiePrefix: String?
    public var inactivityTimeout: Int?
    public var maximumDuration: Int?
    public var authCheckInterval: Int?

    public init(
        enabled: Bool = true, provider: OAuthProvider, clientId: String? = nil, clientSecret: SecretReference? = nil,
        scopes: [String] = [], emailAddresses: [String] = [], emailDomains: [String] = [], teams: [String] = [],
        organizations: [String] = [], optionsPassthrough: Bool = false, cookiePrefix: String? = nil,
        inactivityTimeout: Int? = nil, maximumDuration: Int? = nil, authCheckInterval: Int? = nil
    ) {
        self.enabled = enabled
        self.provider = provider
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.emailAddresses = emailAddresses
        self.emailDomains = emailDomains
        self.teams = teams
        self.organizations = organizations
        self.optionsPassthrough = optionsPassthrough
        self.cookiePrefix = cookiePrefix
        self.inactivityTimeout = inactivityTimeout
        self.maximumDuration = maximumDuration
        self.authCheckInterval = authCheckInterval
    }
}

public struct OIDCModule: Sendable, Hashable {
    public var enabled: Bool
    public var issuer: String
    public var clientId: String
    public var clientSecret: SecretReference
    public var scopes: [String]
    public var optionsPassthrough: Bool
    public var cookiePrefix: String?
    public var inactivityTimeout: Int?
    public var maximumDuration: Int?

    public init(
        enabled: Bool = true, issuer: String, clientId: String, clientSecret: SecretReference, scopes: [String] = [],
        optionsPassthrough: Bool = false, cookiePrefix: String? = nil, inactivityTimeout: Int? = nil,
        maximumDuration: Int? = nil
    ) {
        self.enabled = enabled
        self.issuer = issuer
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.optionsPassthrough = optionsPassthrough
        self.cookiePrefix = cookiePrefix
        self.inactivityTimeout = inactivityTimeout
        self.maximumDuration = maximumDuration
    }
}

public struct SAMLModule: Sendable, Hashable {
    public var enabled: Bool
    /// Exactly one of `idpMetadata` (inline XML, literal or `{file}`) and `idpMetadataUrl`.
    public var idpMetadata: String?
    public var idpMetadataUrl: String?
    public var forceAuthn: Bool
    /// nil = the API default (true).
    public var allowIdpInitiated: Bool?
    public var authorizedGroups: [String]
    public var nameidFormat: String?
    public var optionsPassthrough: Bool
    public var cookiePrefix: String?
    public var inactivityTimeout: Int?
    public var maximumDuration: Int?

    public init(
        enabled: Bool = true, idpMetadata: String? = nil, idpMetadataUrl: String? = nil, forceAuthn: Bool = false,
        allowIdpInitiated: Bool? = nil, authorizedGroups: [String] = [], nameidFormat: String? = nil,
        optionsPassthrough: Bool = false, cookiePrefix: String? = nil, inactivityTimeout: Int? = nil,
        maximumDuration: Int? = nil
    ) {
        self.enabled = enabled
        self.idpMetadata = idpMetadata
        self.idpMetadataUrl = idpMetadataUrl
        self.forceAuthn = forceAuthn
        self.allowIdpInitiated = allowIdpInitiated
        self.authorizedGroups = authorizedGroups
        self.nameidFormat = nameidFormat
        self.optionsPassthrough = optionsPassthrough
        self.cookiePrefix = cookiePrefix
        self.inactivityTimeout = inactivityTimeout
        self.maximumDuration = maximumDuration
    }
}
