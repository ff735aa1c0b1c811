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

/// The modules of an endpoint configuration, by name; an absent module is not configured.
/// Durations are whole seconds. The typed properties (`ipPolicy`, `oauth`, …) are views for the
/// rules that read particular fields; everything generic goes through `settings(_:)`.
public struct EndpointModules: Sendable, Hashable {
    private var storage: [ModuleName: ModuleSettings] = [:]

    public init() {}

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

    /// A module's settings; nil = not configured.
    public subscript(_ module: ModuleName) -> ModuleSettings? {
        get { storage[module] }
        set { storage[module] = newValue.map { ModuleSettings(module, $0.values) } }
    }

    /// The manifest names of the configured modules, in manifest order.
    public var configured: [ModuleName] {
        storage.isEmpty ? [] : ModuleName.allCases.filter { storage[$0] != nil }
    }

    public func isSet(_ module: ModuleName) -> Bool { storage[module] != nil }

    /// Configured and not switched off.
    public func isEnabled(_ module: ModuleName) -> Bool { storage[module]?.enabled ?? false }

    private func view<V: ModuleView>(_ module: ModuleName) -> V? { storage[module].map(V.init(settings:)) }

    public var circuitBreaker: CircuitBreakerModule? {
        get { view(.circuitBreaker) }
        set { storage[.circuitBreaker] = newValue?.settings }
    }
    public var compression: CompressionModule? {
        get { view(.compression) }
        set { storage[.compression] = newValue?.settings }
    }
    public var requestHeaders: HeadersModule? {
        get { view(.requestHeaders) }
        set { self[.requestHeaders] = newValue?.settings }
    }
    public var responseHeaders: HeadersModule? {
        get { view(.responseHeaders) }
        set { self[.responseHeaders] = newValue?.settings }
    }
    public var ipPolicy: IPPolicyModule? {
        get { view(.ipPolicy) }
        set { storage[.ipPolicy] = newValue?.settings }
    }
    public var mutualTls: MutualTLSModule? {
        get { view(.mutualTls) }
        set { storage[.mutualTls] = newValue?.settings }
    }
    public var tlsTermination: TLSTerminationModule? {
        get { view(.tlsTermination) }
        set { storage[.tlsTermination] = newValue?.settings }
    }
    public var webhookValidation: WebhookValidationModule? {
        get { view(.webhookValidation) }
        set { storage[.webhookValidation] = newValue?.settings }
    }
    public var oauth: OAuthModule? {
        get { view(.oauth) }
        set { storage[.oauth] = newValue?.settings }
    }
    public var oidc: OIDCModule? {
        get { view(.oidc) }
        set { storage[.oidc] = newValue?.settings }
    }
    public var saml: SAMLModule? {
        get { view(.saml) }
        set { storage[.saml] = newValue?.settings }
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

