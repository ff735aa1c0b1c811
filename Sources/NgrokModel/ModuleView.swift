/// A typed view of one module's settings, for the rules, explanations and tests that read
/// particular fields. Views hold no state of their own: every property reads and writes the
/// settings by the field's manifest name, with the field's default from `APIVocabulary`.
public protocol ModuleView: Sendable, Hashable {
    static var module: ModuleName { get }
    var settings: ModuleSettings { get set }
    init(settings: ModuleSettings)
}

extension ModuleView {
    public var enabled: Bool {
        get { settings.enabled }
        set { settings.enabled = newValue }
    }

    /// A view with `enabled` and the given fields set (nil leaves a field unset; a value equal to
    /// the manifest default, such as an empty list, is the same as unset in `ModuleSettings`).
    init(enabled: Bool, _ values: [String: ModuleValue?]) {
        var settings = ModuleSettings(Self.module, values.compactMapValues { $0 })
        settings.enabled = enabled
        self.init(settings: settings)
    }

    func int(_ name: String) -> Int? { settings.int(name) }
    func string(_ name: String) -> String? { settings.string(name) }
    func strings(_ name: String) -> [String] { settings.strings(name) }
    func bool(_ name: String, default fallback: Bool) -> Bool { settings.bool(name) ?? fallback }
}

extension ModuleValue {
    static func optional(_ value: Int?) -> ModuleValue? { value.map(ModuleValue.int) }
    static func optional(_ value: String?) -> ModuleValue? { value.map(ModuleValue.string) }
    static func optional(_ value: Bool?) -> ModuleValue? { value.map(ModuleValue.bool) }
    static func optional(_ value: SecretReference?) -> ModuleValue? { value.map(ModuleValue.secret) }
}

public struct CircuitBreakerModule: ModuleView {
    public static let module = ModuleName.circuitBreaker
    public var settings: ModuleSettings
    public init(settings: ModuleSettings) { self.settings = settings }
    public init(
        enabled: Bool = true, trippedDuration: Int? = nil, rollingWindow: Int? = nil, numBuckets: Int? = nil,
        volumeThreshold: Int? = nil, errorThresholdPercentage: Double? = nil
    ) {
        self.init(
            enabled: enabled,
            [
                "trippedDuration": .optional(trippedDuration), "rollingWindow": .optional(rollingWindow),
                "numBuckets": .optional(numBuckets), "volumeThreshold": .optional(volumeThreshold),
                "errorThresholdPercentage": errorThresholdPercentage.map(ModuleValue.double),
            ])
    }
    public var trippedDuration: Int? { int("trippedDuration") }
    public var rollingWindow: Int? { int("rollingWindow") }
    public var numBuckets: Int? { int("numBuckets") }
    public var volumeThreshold: Int? { int("volumeThreshold") }
    public var errorThresholdPercentage: Double? { settings.double("errorThresholdPercentage") }
}

public struct CompressionModule: ModuleView {
    public static let module = ModuleName.compression
    public var settings: ModuleSettings
    public init(settings: ModuleSettings) { self.settings = settings }
    public init(enabled: Bool = true) { self.init(enabled: enabled, [:]) }
}

public struct HeadersModule: ModuleView {
    public typealias HeaderPair = NgrokModel.HeaderPair
    /// Request headers unless made otherwise: `EndpointModules` re-labels it for the slot it is put in.
    public static let module = ModuleName.requestHeaders
    public var settings: ModuleSettings
    public init(settings: ModuleSettings) { self.settings = settings }
    public init(enabled: Bool = true, add: [HeaderPair] = [], remove: [String] = []) {
        self.init(enabled: enabled, ["add": .headers(add), "remove": .strings(remove)])
    }
    /// Header name → value, in manifest order (names as written; the API lower-cases them).
    public var add: [HeaderPair] { settings.headers("add") }
    public var remove: [String] { strings("remove") }
}

public struct IPPolicyModule: ModuleView {
    public static let module = ModuleName.ipPolicy
    public var settings: ModuleSettings
    public init(settings: ModuleSettings) { self.settings = settings }
    public init(enabled: Bool = true, ipPolicies: [String]) {
        self.init(enabled: enabled, [:])
        settings["ipPolicies"] = .strings(ipPolicies)
    }
    /// Names of `IPPolicy` resources.
    public var ipPolicies: [String] { strings("ipPolicies") }
}

public struct MutualTLSModule: ModuleView {
    public static let module = ModuleName.mutualTls
    public var settings: ModuleSettings
    public init(settings: ModuleSettings) { self.settings = settings }
    public init(enabled: Bool = true, certificateAuthorities: [String]) {
        self.init(enabled: enabled, [:])
        settings["certificateAuthorities"] = .strings(certificateAuthorities)
    }
    /// Names of `CertificateAuthority` resources.
    public var certificateAuthorities: [String] { strings("certificateAuthorities") }
}

public struct TLSTerminationModule: ModuleView {
    public enum TerminateAt: String, Sendable, Hashable, Codable, CaseIterable {
        case edge
        case upstream
    }
    public static let module = ModuleName.tlsTermination
    public var settings: ModuleSettings
    public init(settings: ModuleSettings) { self.settings = settings }
    public init(enabled: Bool = true, terminateAt: TerminateAt = .edge, minVersion: String? = nil) {
        self.init(enabled: enabled, ["terminateAt": .string(terminateAt.rawValue), "minVersion": .optional(minVersion)])
    }
    public var terminateAt: TerminateAt { string("terminateAt").flatMap(TerminateAt.init(rawValue:)) ?? .edge }
    public var minVersion: String? { string("minVersion") }
}

public struct WebhookValidationModule: ModuleView {
    public static let providers = [
        "SLACK", "SNS", "STRIPE", "GITHUB", "TWILIO", "SHOPIFY", "GITLAB", "INTERCOM", "SENDGRID", "XERO",
    ]
    public static let module = ModuleName.webhookValidation
    public var settings: ModuleSettings
    public init(settings: ModuleSettings) { self.settings = settings }
    public init(enabled: Bool = true, provider: String, secret: SecretReference? = nil) {
        self.init(enabled: enabled, ["provider": .string(provider), "secret": .optional(secret)])
    }
    public var provider: String { string("provider") ?? "" }
    /// None for SNS.
    public var secret: SecretReference? { settings.secret("secret") }
}

public enum OAuthProvider: String, Sendable, Hashable, Codable, CaseIterable {
    case google
    case microsoft
    case github
    case facebook
}

/// The session fields OAuth, OIDC and SAML share.
public protocol SessionModuleView: ModuleView {}

extension SessionModuleView {
    public var optionsPassthrough: Bool { bool("optionsPassthrough", default: false) }
    /// nil = the API default (`ngrok.` for OAuth, empty otherwise).
    public var cookiePrefix: String? { string("cookiePrefix") }
    public var inactivityTimeout: Int? { int("inactivityTimeout") }
    public var maximumDuration: Int? { int("maximumDuration") }

    static func session(_ optionsPassthrough: Bool, _ cookiePrefix: String?, _ inactivity: Int?, _ maximum: Int?)
        -> [String: ModuleValue?]
    {
        [
            "optionsPassthrough": .bool(optionsPassthrough), "cookiePrefix": .optional(cookiePrefix),
            "inactivityTimeout": .optional(inactivity), "maximumDuration": .optional(maximum),
        ]
    }
}

public struct OAuthModule: SessionModuleView {
    public static let module = ModuleName.oauth
    public var settings: ModuleSettings
    public init(settings: ModuleSettings) { self.settings = settings }
    public init(
        enabled: Bool = true, provider: OAuthProvider, clientId: String? = nil, clientSecret: SecretReference? = nil,
        scopes: [String] = [], emailAddresses: [String] = [], emailDomains: [String] = [], teams: [String] = [],
        organizations: [String] = [], optionsPassthrough: Bool = false, cookiePrefix: String? = nil,
        inactivityTimeout: Int? = nil, maximumDuration: Int? = nil, authCheckInterval: Int? = nil
    ) {
        self.init(
            enabled: enabled,
            Self.session(optionsPassthrough, cookiePrefix, inactivityTimeout, maximumDuration).merging([
                "provider": .string(provider.rawValue), "clientId": .optional(clientId),
                "clientSecret": .optional(clientSecret), "scopes": .strings(scopes),
                "emailAddresses": .strings(emailAddresses), "emailDomains": .strings(emailDomains),
                "teams": .strings(teams), "organizations": .strings(organizations),
                "authCheckInterval": .optional(authCheckInterval),
            ]) { $1 })
    }
    public var provider: OAuthProvider { string("provider").flatMap(OAuthProvider.init(rawValue:)) ?? .google }
    /// nil = ngrok's managed application.
    public var clientId: String? { string("clientId") }
    public var clientSecret: SecretReference? { settings.secret("clientSecret") }
    public var scopes: [String] { strings("scopes") }
    public var emailAddresses: [String] { strings("emailAddresses") }
    public var emailDomains: [String] { strings("emailDomains") }
    /// GitHub only.
    public var teams: [String] { strings("teams") }
    /// GitHub only.
    public var organizations: [String] { strings("organizations") }
    public var authCheckInterval: Int? { int("authCheckInterval") }
}

public struct OIDCModule: SessionModuleView {
    public static let module = ModuleName.oidc
    public var settings: ModuleSettings
    public init(settings: ModuleSettings) { self.settings = settings }
    public init(
        enabled: Bool = true, issuer: String, clientId: String, clientSecret: SecretReference, scopes: [String] = [],
        optionsPassthrough: Bool = false, cookiePrefix: String? = nil, inactivityTimeout: Int? = nil,
        maximumDuration: Int? = nil
    ) {
        self.init(
            enabled: enabled,
            Self.session(optionsPassthrough, cookiePrefix, inactivityTimeout, maximumDuration).merging([
                "issuer": .string(issuer), "clientId": .string(clientId), "clientSecret": .secret(clientSecret),
                "scopes": .strings(scopes),
            ]) { $1 })
    }
    public var issuer: String { string("issuer") ?? "" }
    public var clientId: String { string("clientId") ?? "" }
    public var clientSecret: SecretReference? { settings.secret("clientSecret") }
    public var scopes: [String] { strings("scopes") }
}

public struct SAMLModule: SessionModuleView {
    public static let module = ModuleName.saml
    public var settings: ModuleSettings
    public init(settings: ModuleSettings) { self.settings = settings }
    public init(
        enabled: Bool = true, idpMetadata: String? = nil, idpMetadataUrl: String? = nil, forceAuthn: Bool = false,
        allowIdpInitiated: Bool? = nil, authorizedGroups: [String] = [], nameidFormat: String? = nil,
        optionsPassthrough: Bool = false, cookiePrefix: String? = nil, inactivityTimeout: Int? = nil,
        maximumDuration: Int? = nil
    ) {
        self.init(
            enabled: enabled,
            Self.session(optionsPassthrough, cookiePrefix, inactivityTimeout, maximumDuration).merging([
                "idpMetadata": .optional(idpMetadata), "idpMetadataUrl": .optional(idpMetadataUrl),
                "forceAuthn": .bool(forceAuthn), "allowIdpInitiated": .optional(allowIdpInitiated),
                "authorizedGroups": .strings(authorizedGroups), "nameidFormat": .optional(nameidFormat),
            ]) { $1 })
    }
    /// Exactly one of `idpMetadata` (inline XML, literal or `{file}`) and `idpMetadataUrl`.
    public var idpMetadata: String? { string("idpMetadata") }
    public var idpMetadataUrl: String? { string("idpMetadataUrl") }
    public var forceAuthn: Bool { bool("forceAuthn", default: false) }
    /// nil = the API default (true).
    public var allowIdpInitiated: Bool? { settings.bool("allowIdpInitiated") }
    public var authorizedGroups: [String] { strings("authorizedGroups") }
    public var nameidFormat: String? { string("nameidFormat") }
}

public enum SAMLDefaults {
    public static let nameidFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
}
