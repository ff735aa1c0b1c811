import NgrokModel

/// `/endpoint_configurations` (`ec_`): a type and its modules (nil = module not configured).
public struct EndpointConfiguration: APIObject {
    public static let collection = APICollection.endpointConfigurations
    public var id: String
    public var uri: String
    public var createdAt: String
    public var description: String
    public var metadata: String
    public var type: EndpointType
    public var circuitBreaker: EndpointCircuitBreaker?
    public var compression: EndpointCompression?
    public var requestHeaders: EndpointHeaders?
    public var responseHeaders: EndpointHeaders?
    public var ipPolicy: EndpointIPPolicy?
    public var mutualTLS: EndpointMutualTLS?
    public var tlsTermination: EndpointTLSTermination?
    public var webhookValidation: EndpointWebhookValidation?
    public var oauth: EndpointOAuth?
    public var logging: EndpointLogging?
    public var saml: EndpointSAML?
    public var oidc: EndpointOIDC?
    /// Modules ngrokctl's manifests do not model, kept so that one set by hand is seen (and removed).
    public var basicAuth: EndpointUnmodelledModule?
    public var backend: EndpointUnmodelledModule?

    enum CodingKeys: String, CodingKey {
        case id, uri, description, metadata, type, compression, oauth, logging, saml, oidc, backend
        case basicAuth = "basic_auth"
        case createdAt = "created_at"
        case circuitBreaker = "circuit_breaker"
        case requestHeaders = "request_headers"
        case responseHeaders = "response_headers"
        case ipPolicy = "ip_policy"
        case mutualTLS = "mutual_tls"
        case tlsTermination = "tls_termination"
        case webhookValidation = "webhook_validation"
    }

    public init(
        id: String, uri: String = "", createdAt: String = "", description: String = "", metadata: String = "",
        type: EndpointType, circuitBreaker: EndpointCircuitBreaker? = nil, compression: EndpointCompression? = nil,
        requestHeaders: EndpointHeaders? = nil, responseHeaders: EndpointHeaders? = nil,
        ipPolicy: EndpointIPPolicy? = nil, mutualTLS: EndpointMutualTLS? = nil,
        tlsTermination: EndpointTLSTermination? = nil, webhookValidation: EndpointWebhookValidation? = nil,
        oauth: EndpointOAuth? = nil, logging: EndpointLogging? = nil, saml: EndpointSAML? = nil,
        oidc: EndpointOIDC? = nil
    ) {
        self.id = id
        self.uri = uri
        self.createdAt = createdAt
        self.description = description
        self.metadata = metadata
        self.type = type
        self.circuitBreaker = circuitBreaker
        self.compression = compression
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.ipPolicy = ipPolicy
        self.mutualTLS = mutualTLS
        self.tlsTermination = tlsTermination
        self.webhookValidation = webhookValidation
        self.oauth = oauth
        self.logging = logging
        self.saml = saml
        self.oidc = oidc
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        uri = try c.lenient(.uri, default: "")
        createdAt = try c.lenient(.createdAt, default: "")
        description = try c.lenient(.description, default: "")
        metadata = try c.lenient(.metadata, default: "")
        type = try c.decode(EndpointType.self, forKey: .type)
        circuitBreaker = try c.decodeIfPresent(EndpointCircuitBreaker.self, forKey: .circuitBreaker)
        compression = try c.decodeIfPresent(EndpointCompression.self, forKey: .compression)
        requestHeaders = try c.decodeIfPresent(EndpointHeaders.self, forKey: .requestHeaders)
        responseHeaders = try c.decodeIfPresent(EndpointHeaders.self, forKey: .responseHeaders)
        ipPolicy = try c.decodeIfPresent(EndpointIPPolicy.self, forKey: .ipPolicy)
        mutualTLS = try c.decodeIfPresent(EndpointMutualTLS.self, forKey: .mutualTLS)
        tlsTermination = try c.decodeIfPresent(EndpointTLSTermination.self, forKey: .tlsTermination)
        webhookValidation = try c.decodeIfPresent(EndpointWebhookValidation.self, forKey: .webhookValidation)
        oauth = try c.decodeIfPresent(EndpointOAuth.self, forKey: .oauth)
        // Logging is null-tolerant: a malformed or absent module reads as not configured.
        logging = c.tolerant(.logging)
        saml = try c.decodeIfPresent(EndpointSAML.self, forKey: .saml)
        oidc = try c.decodeIfPresent(EndpointOIDC.self, forKey: .oidc)
        basicAuth = c.tolerant(.basicAuth)
        backend = c.tolerant(.backend)
    }

    /// Whether a module is configured (non-null).
    public func has(_ module: EndpointModuleKind) -> Bool {
        switch module {
        case .circuitBreaker: circuitBreaker != nil
        case .compression: compression != nil
        case .requestHeaders: requestHeaders != nil
        case .responseHeaders: responseHeaders != nil
        case .ipPolicy: ipPolicy != nil
        case .mutualTLS: mutualTLS != nil
        case .tlsTermination: tlsTermination != nil
        case .webhookValidation: webhookValidation != nil
        case .oauth: oauth != nil
        case .logging: logging != nil
        case .saml: saml != nil
        case .oidc: oidc != nil
        }
    }
}

/// POST `/endpoint_configurations`: the type and any modules (mutate shapes: ids in).
public struct EndpointConfigurationCreate: Codable, APIRequestBody, Hashable {
    public var type: EndpointType
    public var description: String?
    public var metadata: String?
    public var circuitBreaker: EndpointCircuitBreaker?
    public var compression: EndpointCompression?
    public var requestHeaders: EndpointHeaders?
    public var responseHeaders: EndpointHeaders?
    public var ipPolicy: EndpointIPPolicyMutate?
    public var mutualTLS: EndpointMutualTLSMutate?
    public var tlsTermination: EndpointTLSTermination?
    public var webhookValidation: EndpointWebhookValidation?
    public var oauth: EndpointOAuth?
    public var logging: EndpointLoggingMutate?
    public var saml: EndpointSAMLMutate?
    public var oidc: EndpointOIDC?

    enum CodingKeys: String, CodingKey {
        case description, metadata, type, compression, oauth, logging, saml, oidc
        case circuitBreaker = "circuit_breaker"
        case requestHeaders = "request_headers"
        case responseHeaders = "response_headers"
        case ipPolicy = "ip_policy"
        case mutualTLS = "mutual_tls"
        case tlsTermination = "tls_termination"
        case webhookValidation = "webhook_validation"
    }

    public init(
        type: EndpointType, description: String? = nil, metadata: String? = nil,
        circuitBreaker: EndpointCircuitBreaker? = nil, compression: EndpointCompression? = nil,
        requestHeaders: EndpointHeaders? = nil, responseHeaders: EndpointHeaders? = nil,
        ipPolicy: EndpointIPPolicyMutate? = nil, mutualTLS: EndpointMutualTLSMutate? = nil,
        tlsTermination: EndpointTLSTermination? = nil, webhookValidation: EndpointWebhookValidation? = nil,
        oauth: EndpointOAuth? = nil, logging: EndpointLoggingMutate? = nil, saml: EndpointSAMLMutate? = nil,
        oidc: EndpointOIDC? = nil
    ) {
        self.type = type
        self.description = description
        self.metadata = metadata
        self.circuitBreaker = circuitBreaker
        self.compression = compression
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.ipPolicy = ipPolicy
        self.mutualTLS = mutualTLS
        self.tlsTermination = tlsTermination
        self.webhookValidation = webhookValidation
        self.oauth = oauth
        self.logging = logging
        self.saml = saml
        self.oidc = oidc
    }
}

/// PATCH `/endpoint_configurations/{id}`: an omitted module is unchanged, a given one is replaced
/// wholesale; remove a module with `deleteModule` (explicit null is never sent).
public struct EndpointConfigurationUpdate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    public var circuitBreaker: EndpointCircuitBreaker?
    public var compression: EndpointCompression?
    public var requestHeaders: EndpointHeaders?
    public var responseHeaders: EndpointHeaders?
    public var ipPolicy: EndpointIPPolicyMutate?
    public var mutualTLS: EndpointMutualTLSMutate?
    public var tlsTermination: EndpointTLSTermination?
    public var webhookValidation: EndpointWebhookValidation?
    public var oauth: EndpointOAuth?
    public var logging: EndpointLoggingMutate?
    public var saml: EndpointSAMLMutate?
    public var oidc: EndpointOIDC?

    enum CodingKeys: String, CodingKey {
        case description, metadata, compression, oauth, logging, saml, oidc
        case circuitBreaker = "circuit_breaker"
        case requestHeaders = "request_headers"
        case responseHeaders = "response_headers"
        case ipPolicy = "ip_policy"
        case mutualTLS = "mutual_tls"
        case tlsTermination = "tls_termination"
        case webhookValidation = "webhook_validation"
    }

    public init(
        description: String? = nil, metadata: String? = nil, circuitBreaker: EndpointCircuitBreaker? = nil,
        compression: EndpointCompression? = nil, requestHeaders: EndpointHeaders? = nil,
        responseHeaders: EndpointHeaders? = nil, ipPolicy: EndpointIPPolicyMutate? = nil,
        mutualTLS: EndpointMutualTLSMutate? = nil, tlsTermination: EndpointTLSTermination? = nil,
        webhookValidation: EndpointWebhookValidation? = nil, oauth: EndpointOAuth? = nil,
        logging: EndpointLoggingMutate? = nil, saml: EndpointSAMLMutate? = nil, oidc: EndpointOIDC? = nil
    ) {
        self.description = description
        self.metadata = metadata
        self.circuitBreaker = circuitBreaker
        self.compression = compression
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.ipPolicy = ipPolicy
        self.mutualTLS = mutualTLS
        self.tlsTermination = tlsTermination
        self.webhookValidation = webhookValidation
        self.oauth = oauth
        self.logging = logging
        self.saml = saml
        self.oidc = oidc
    }

    /// True when no field is set (the API rejects an empty PATCH for several collections).
    public var isEmpty: Bool { self == EndpointConfigurationUpdate() }
}

/// The module sub-paths of an endpoint configuration (`/endpoint_configurations/{id}/{module}`).
public enum EndpointModuleKind: String, Sendable, Hashable, Codable, CaseIterable {
    case circuitBreaker = "circuit_breaker"
    case compression
    case requestHeaders = "request_headers"
    case responseHeaders = "response_headers"
    case ipPolicy = "ip_policy"
    case mutualTLS = "mutual_tls"
    case tlsTermination = "tls_termination"
    case webhookValidation = "webhook_validation"
    case oauth
    case logging
    case saml
    case oidc

    public var path: String { rawValue }

    public init(_ module: ModuleName) {
        self = EndpointModuleKind(rawValue: module.apiName)!
    }

    /// The manifest module name (nil for `logging`, which manifests do not manage).
    public var moduleName: ModuleName? { ModuleName(apiName: rawValue) }
}

/// A module request body for `PUT /endpoint_configurations/{id}/{module}` (the bare module object).
public enum EndpointModuleMutate: Sendable, Hashable {
    case circuitBreaker(EndpointCircuitBreaker)
    case compression(EndpointCompression)
    case requestHeaders(EndpointHeaders)
    case responseHeaders(EndpointHeaders)
    case ipPolicy(EndpointIPPolicyMutate)
    case mutualTLS(EndpointMutualTLSMutate)
    case tlsTermination(EndpointTLSTermination)
    case webhookValidation(EndpointWebhookValidation)
    case oauth(EndpointOAuth)
    case logging(EndpointLoggingMutate)
    case saml(EndpointSAMLMutate)
    case oidc(EndpointOIDC)

    public var kind: EndpointModuleKind {
        switch self {
        case .circuitBreaker: .circuitBreaker
        case .compression: .compression
        case .requestHeaders: .requestHeaders
        case .responseHeaders: .responseHeaders
        case .ipPolicy: .ipPolicy
        case .mutualTLS: .mutualTLS
        case .tlsTermination: .tlsTermination
        case .webhookValidation: .webhookValidation
        case .oauth: .oauth
        case .logging: .logging
        case .saml: .saml
        case .oidc: .oidc
        }
    }

    /// The module as a body (the bare object).
    public var body: any Encodable & Sendable {
        switch self {
        case .circuitBreaker(let m): m
        case .compression(let m): m
        case .requestHeaders(let m): m
        case .responseHeaders(let m): m
        case .ipPolicy(let m): m
        case .mutualTLS(let m): m
        case .tlsTermination(let m): m
        case .webhookValidation(let m): m
        case .oauth(let m): m
        case .logging(let m): m
        case .saml(let m): m
        case .oidc(let m): m
        }
    }
}

/// A module as returned by GET/PUT `/endpoint_configurations/{id}/{module}` (response shapes).
public enum EndpointModuleResponse: Sendable, Hashable {
    case circuitBreaker(EndpointCircuitBreaker)
    case compression(EndpointCompression)
    case requestHeaders(EndpointHeaders)
    case responseHeaders(EndpointHeaders)
    case ipPolicy(EndpointIPPolicy)
    case mutualTLS(EndpointMutualTLS)
    case tlsTermination(EndpointTLSTermination)
    case webhookValidation(EndpointWebhookValidation)
    case oauth(EndpointOAuth)
    case logging(EndpointLogging)
    case saml(EndpointSAML)
    case oidc(EndpointOIDC)

    /// Decodes a module body of the given kind.
    public static func decode(_ kind: EndpointModuleKind, from data: [UInt8], using decoder: JSONDecoding = .init())
        throws -> EndpointModuleResponse
    {
        switch kind {
        case .circuitBreaker: .circuitBreaker(try decoder.decode(EndpointCircuitBreaker.self, from: data))
        case .compression: .compression(try decoder.decode(EndpointCompression.self, from: data))
        case .requestHeaders: .requestHeaders(try decoder.decode(EndpointHeaders.self, from: data))
        case .responseHeaders: .responseHeaders(try decoder.decode(EndpointHeaders.self, from: data))
        case .ipPolicy: .ipPolicy(try decoder.decode(EndpointIPPolicy.self, from: data))
        case .mutualTLS: .mutualTLS(try decoder.decode(EndpointMutualTLS.self, from: data))
        case .tlsTermination: .tlsTermination(try decoder.decode(EndpointTLSTermination.self, from: data))
        case .webhookValidation: .webhookValidation(try decoder.decode(EndpointWebhookValidation.self, from: data))
        case .oauth: .oauth(try decoder.decode(EndpointOAuth.self, from: data))
        case .logging: .logging(try decoder.decode(EndpointLogging.self, from: data))
        case .saml: .saml(try decoder.decode(EndpointSAML.self, from: data))
        case .oidc: .oidc(try decoder.decode(EndpointOIDC.self, from: data))
        }
    }
}

/// A module present on a configuration that the manifests cannot express (`basic_auth`, `backend`):
/// only whether it is there and enabled matters.
public struct EndpointUnmodelledModule: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public init(enabled: Bool? = true) { self.enabled = enabled }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try? c.decodeIfPresent(Bool.self, forKey: .enabled)
    }
}
