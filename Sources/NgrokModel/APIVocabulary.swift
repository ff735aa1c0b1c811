/// The project's API vocabulary: for every kind and endpoint-configuration module, each field's
/// manifest name and its ngrok API names. The one place where the two spellings meet: plans show the
/// manifest name (`modules.ipPolicy.ipPolicies`) and carry the API name (`ip_policy.ip_policy_ids`)
/// for tooling, by translating through this table.
public enum APIVocabulary {
    /// One field in both vocabularies.
    public struct Field: Sendable, Hashable {
        /// As written in manifests (`ipPolicies`).
        public var manifest: String
        /// The key in API request bodies (`ip_policy_ids`).
        public var request: String
        /// The key in API responses when it differs from the request's (`ip_policies`, a list of refs).
        public var response: String
        /// The value's own keys are data (header names), not field names: never translated.
        public var keysAreData: Bool
        /// The field's sub-fields, when it is an object with named fields.
        public var fields: [Field]

        public init(
            _ manifest: String, _ request: String, response: String? = nil, keysAreData: Bool = false,
            fields: [Field] = []
        ) {
            self.manifest = manifest
            self.request = request
            self.response = response ?? request
            self.keysAreData = keysAreData
            self.fields = fields
        }

        /// A module field as the path translation sees it.
        init(_ field: ModuleField) {
            self.init(field.manifest, field.request, response: field.response, keysAreData: field.type == .headerMap)
        }
    }

    /// A module of endpoint configurations: everything the code knows about it.
    public struct Module: Sendable, Hashable {
        public var name: ModuleName
        /// The key on the configuration and the module's sub-path (`ip_policy`).
        public var apiName: String
        /// Endpoint configuration types this module may be added to.
        public var supportedTypes: Set<EndpointType>
        /// Its fields, in documentation order (`enabled` first).
        public var fields: [ModuleField]
        /// The schema's name for the module's object (`IPPolicyModule`).
        public var schemaName: String
        /// What the module is, in a few words (`IP policies`).
        public var title: String
        /// One line on what it does.
        public var summary: String
        /// Fields of which exactly one must be set.
        public var exactlyOneOf: [String] = []
        /// The field whose value names the API's provider block (OAuth's `provider`): fields
        /// marked `inProviderBlock` are sent under `<apiName>.provider.<value>`.
        public var selector: String?

        public func field(_ manifest: String) -> ModuleField? { fields.first { $0.manifest == manifest } }

        /// The field named by `selector`.
        public var selectorField: ModuleField? { selector.flatMap(field) }

        /// The fields as the path translation sees them.
        var translation: [Field] { fields.map(Field.init) }
    }

    // MARK: The table

    static let common = [Field("description", "description"), Field("metadata", "metadata")]
    static let session = [
        Field("optionsPassthrough", "options_passthrough"), Field("cookiePrefix", "cookie_prefix"),
        Field("inactivityTimeout", "inactivity_timeout"), Field("maximumDuration", "maximum_duration"),
    ]

    /// The top-level spec fields of each kind; an endpoint configuration's modules are fields
    /// `modules.<name>` with the module's fields (see `module(_:)`).
    public static func fields(of kind: Kind) -> [Field] { byKind[kind] ?? [] }

    private static let byKind: [Kind: [Field]] = Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, table($0)) })

    private static func table(_ kind: Kind) -> [Field] {
        switch kind {
        case .credential: common + [Field("acl", "acl")]
        case .ipPolicy:
            common + [
                Field("action", "action"),
                Field("rules", "rules", fields: [Field("cidr", "cidr"), Field("description", "description"), Field("metadata", "metadata")]),
            ]
        case .ipWhitelistEntry: common + [Field("ipNet", "ip_net")]
        case .certificateAuthority: common + [Field("caPem", "ca_pem")]
        case .tlsCertificate: common + [Field("certificatePem", "certificate_pem"), Field("privateKeyPem", "private_key_pem")]
        case .endpointConfiguration:
            common + [Field("type", "type")]
                + ModuleName.allCases.map {
                    Field("modules.\($0.rawValue)", module($0).apiName, fields: module($0).translation)
                }
        case .reservedDomain:
            common + [
                Field("domain", "name", response: "domain"), Field("region", "region"),
                Field("httpEndpointConfiguration", "http_endpoint_configuration_id", response: "http_endpoint_configuration"),
                Field("httpsEndpointConfiguration", "https_endpoint_configuration_id", response: "https_endpoint_configuration"),
                Field("certificate", "certificate_id", response: "certificate"),
                Field(
                    "certificateManagement", "certificate_management_policy",
                    fields: [Field("authority", "authority"), Field("privateKeyType", "private_key_type")]),
            ]
        case .reservedAddress:
            common + [
                Field("region", "region"),
                Field("endpointConfiguration", "endpoint_configuration_id", response: "endpoint_configuration"),
            ]
        }
    }

    /// A module's API name, supported types and fields.
    public static func module(_ module: ModuleName) -> Module { modules[module.ordinal] }

    /// By `ModuleName.ordinal`: the planner asks for API names many times per configuration.
    private static let modules: [Module] = ModuleName.allCases.map(moduleTable)
    fileprivate static let apiNames: [String] = modules.map(\.apiName)
    /// Per module, its secret fields (manifest names) and the fields naming other resources.
    static let secretFields: [[String]] = modules.map { $0.fields.filter { $0.type == .secret }.map(\.manifest) }
    static let referenceFields: [[ModuleField]] = modules.map { $0.fields.filter { $0.referencedKind != nil } }

    private static func moduleTable(_ module: ModuleName) -> Module {
        let http: Set<EndpointType> = [.http, .https]
        let enabled = ModuleField("enabled", "enabled", .boolean, .manifest(.bool(true)), "Whether the module is on (default true).")
        let names = ModuleValueType.strings
        let empty = WireValue.set([])
        func session(cookiePrefix: String) -> [ModuleField] {
            [
                ModuleField(
                    "optionsPassthrough", "options_passthrough", .boolean, .manifest(.bool(false)),
                    "Pass OPTIONS requests through without authentication."),
                ModuleField(
                    "cookiePrefix", "cookie_prefix", .string, .api(.string(cookiePrefix)),
                    "Prefix of the session cookies (letters, digits and periods)."),
                ModuleField(
                    "inactivityTimeout", "inactivity_timeout", .duration, .api(.int(0)),
                    "End the session after this much inactivity."),
                ModuleField("maximumDuration", "maximum_duration", .duration, .api(.int(0)), "End the session after this long."),
            ]
        }
        switch module {
        case .circuitBreaker:
            return Module(
                name: module, apiName: "circuit_breaker", supportedTypes: http,
                fields: [
                    enabled,
                    ModuleField("trippedDuration", "tripped_duration", .duration, .api(.int(0)), "How long the breaker stays tripped."),
                    ModuleField("rollingWindow", "rolling_window", .duration, .api(.int(0)), "The window errors are counted over."),
                    ModuleField("numBuckets", "num_buckets", .integer, .api(.int(0)), "Buckets in the rolling window (1–128)."),
                    ModuleField(
                        "volumeThreshold", "volume_threshold", .integer, .api(.int(0)),
                        "Requests in the window before the breaker may trip."),
                    ModuleField(
                        "errorThresholdPercentage", "error_threshold_percentage", .number, .api(.double(0)),
                        "Error fraction that trips the breaker (0.0–1.0)."),
                ],
                schemaName: "CircuitBreakerModule", title: "Circuit breaker",
                summary: "Reject requests while the upstream fails.")
        case .compression:
            return Module(
                name: module, apiName: "compression", supportedTypes: http, fields: [enabled],
                schemaName: "CompressionModule", title: "Compression", summary: "Gzip responses.")
        case .requestHeaders, .responseHeaders:
            let request = module == .requestHeaders
            return Module(
                name: module, apiName: request ? "request_headers" : "response_headers", supportedTypes: http,
                fields: [
                    enabled,
                    ModuleField(
                        "add", "add", .headerMap, .manifest(.object([:])),
                        "Header name → value; values may hold ${.ngrok.…} templates."),
                    ModuleField("remove", "remove", .headerNames, .manifest(empty), "Header names to remove."),
                ],
                schemaName: request ? "RequestHeadersModule" : "ResponseHeadersModule",
                title: request ? "Request headers" : "Response headers", summary: "Add or remove headers.")
        case .ipPolicy:
            return Module(
                name: module, apiName: "ip_policy", supportedTypes: [.http, .https, .tcp],
                fields: [
                    enabled,
                    ModuleField(
                        "ipPolicies", "ip_policy_ids", response: "ip_policies", .references(.ipPolicy, minItems: 1),
                        .required, "Names of IPPolicy resources (at least one).",
                        missingHint: "add ipPolicies: [<IPPolicy name>]"),
                ],
                schemaName: "IPPolicyModule", title: "IP policies", summary: "Restrict access with IP policies.")
        case .mutualTls:
            return Module(
                name: module, apiName: "mutual_tls", supportedTypes: [.https],
                fields: [
                    enabled,
                    ModuleField(
                        "certificateAuthorities", "certificate_authority_ids", response: "certificate_authorities",
                        .references(.certificateAuthority, minItems: 1), .required,
                        "Names of CertificateAuthority resources (at least one).",
                        missingHint: "add certificateAuthorities: [<CertificateAuthority name>]"),
                ],
                schemaName: "MutualTLSModule", title: "Mutual TLS", summary: "Require client certificates.")
        case .tlsTermination:
            return Module(
                name: module, apiName: "tls_termination", supportedTypes: [.https],
                fields: [
                    enabled,
                    ModuleField(
                        "terminateAt", "terminate_at", .choice(["edge", "upstream"]), .manifest(.string("edge")),
                        "edge (default) or upstream."),
                    ModuleField(
                        "minVersion", "min_version", .choice(["1.0", "1.1", "1.2", "1.3"]), .api(.null),
                        "Minimum TLS version (quote it: \"1.2\")."),
                ],
                schemaName: "TLSTerminationModule", title: "TLS termination", summary: "Where TLS is terminated.")
        case .webhookValidation:
            return Module(
                name: module, apiName: "webhook_validation", supportedTypes: http,
                fields: [
                    enabled,
                    ModuleField(
                        "provider", "provider", .choice(WebhookValidationModule.providers), .required,
                        "The webhook provider.", missingHint: "add provider: GITHUB (or another provider)"),
                    ModuleField("secret", "secret", .secret, .api(.string("")), "Secret: {env: NAME} or {file: PATH}; none for SNS."),
                ],
                schemaName: "WebhookValidationModule", title: "Webhook validation", summary: "Verify webhook signatures.")
        case .oauth:
            // The manifest is flat (`provider: google`, `clientId`); the API nests the provider's
            // fields under `provider.<name>`.
            return Module(
                name: module, apiName: "oauth", supportedTypes: [.https],
                fields: [
                    enabled,
                    ModuleField(
                        "provider", "provider", .choice(OAuthProvider.allCases.map(\.rawValue)), .required,
                        "google, microsoft, github or facebook.",
                        missingHint: "add provider: google (or microsoft, github, facebook)"),
                    ModuleField(
                        "clientId", "client_id", .string, .api(.null),
                        "Your OAuth app's client id (omit for ngrok's managed app).", inProviderBlock: true),
                    ModuleField(
                        "clientSecret", "client_secret", .secret, .api(.null), "Secret: {env: NAME} or {file: PATH}.",
                        inProviderBlock: true),
                    ModuleField("scopes", "scopes", names, .manifest(empty), "OAuth scopes (custom app only).", inProviderBlock: true),
                    ModuleField(
                        "emailAddresses", "email_addresses", names, .manifest(empty), "Allowed email addresses.",
                        inProviderBlock: true),
                    ModuleField(
                        "emailDomains", "email_domains", names, .manifest(empty), "Allowed email domains.", inProviderBlock: true),
                    ModuleField(
                        "teams", "teams", names, .manifest(empty), "Allowed GitHub teams.", inProviderBlock: true,
                        onlyForProviders: [OAuthProvider.github.rawValue]),
                    ModuleField(
                        "organizations", "organizations", names, .manifest(empty), "Allowed GitHub organizations.",
                        inProviderBlock: true, onlyForProviders: [OAuthProvider.github.rawValue]),
                ] + session(cookiePrefix: "ngrok.") + [
                    ModuleField(
                        "authCheckInterval", "auth_check_interval", .duration, .api(.int(0)),
                        "How often to re-check authorization (at least 3m)."),
                ],
                schemaName: "OAuthModule", title: "OAuth", summary: "OAuth login.", selector: "provider")
        case .oidc:
            return Module(
                name: module, apiName: "oidc", supportedTypes: [.https],
                fields: [
                    enabled,
                    ModuleField(
                        "issuer", "issuer", .string, .required, "The OIDC issuer URL.", missingHint: "add issuer: https://…"),
                    ModuleField("clientId", "client_id", .string, .required, "The client id.", missingHint: "add clientId"),
                    ModuleField(
                        "clientSecret", "client_secret", .secret, .required, "Secret: {env: NAME} or {file: PATH}.",
                        missingHint: "add clientSecret: {env: NAME}"),
                    ModuleField("scopes", "scopes", names, .manifest(empty), "Scopes."),
                ] + session(cookiePrefix: ""),
                schemaName: "OIDCModule", title: "OpenID Connect", summary: "OpenID Connect login.")
        case .saml:
            return Module(
                name: module, apiName: "saml", supportedTypes: [.https],
                fields: [
                    enabled,
                    ModuleField(
                        "idpMetadata", "idp_metadata", .textOrFile, .api(.string("")),
                        "The IdP's metadata XML, literal or {file: PATH}."),
                    ModuleField("idpMetadataUrl", "idp_metadata_url", .string, .api(.string("")), "URL of the IdP's metadata."),
                    ModuleField("forceAuthn", "force_authn", .boolean, .manifest(.bool(false)), "Always re-authenticate."),
                    ModuleField(
                        "allowIdpInitiated", "allow_idp_initiated", .boolean, .api(.bool(true)),
                        "Allow IdP-initiated logins (API default true)."),
                    ModuleField("authorizedGroups", "authorized_groups", names, .manifest(empty), "Groups allowed in."),
                    ModuleField(
                        "nameidFormat", "nameid_format", .string, .api(.string(SAMLDefaults.nameidFormat)), "The NameID format."),
                ] + session(cookiePrefix: ""),
                schemaName: "SAMLModule", title: "SAML", summary: "SAML login.",
                exactlyOneOf: ["idpMetadata", "idpMetadataUrl"])
        }
    }

    /// The fields of a module's provider block (OAuth's `provider.<name>`).
    public static func providerBlockFields(of module: ModuleName) -> [ModuleField] {
        self.module(module).fields.filter(\.inProviderBlock)
    }

    // MARK: Translation

    /// The manifest path (relative to `spec`) of a dotted API request path of `kind`:
    /// `ip_policy.ip_policy_ids` → `modules.ipPolicy.ipPolicies`,
    /// `oauth.provider.google.email_domains` → `modules.oauth.emailDomains`,
    /// `request_headers.add.x-id` → `modules.requestHeaders.add.x-id`. Segments the table does not
    /// know are kept as they are.
    public static func manifestPath(of apiPath: String, kind: Kind) -> String {
        let segments = apiPath.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        var current = fields(of: kind)
        var index = 0
        while index < segments.count {
            let segment = segments[index]
            guard let field = current.first(where: { $0.request == segment || $0.response == segment }) else {
                out.append(contentsOf: segments[index...])
                break
            }
            out.append(field.manifest)
            index += 1
            if field.keysAreData {
                out.append(contentsOf: segments[index...])
                break
            }
            if let module = out.first.flatMap(moduleName(ofPath:)), APIVocabulary.module(module).selector == field.manifest,
                index < segments.count
            {
                // `provider.google.client_id` → `clientId`: the provider name is the value of `provider`.
                out.removeLast()
                index += 1
                current = providerBlockFields(of: module).map(Field.init)
                if index == segments.count { out.append("provider") }
                continue
            }
            current = field.fields
        }
        return out.joined(separator: ".")
    }

    private static func moduleName(ofPath path: String) -> ModuleName? {
        guard path.hasPrefix("modules.") else { return nil }
        return ModuleName(rawValue: String(path.dropFirst("modules.".count)))
    }

    /// The API request path of a manifest path relative to `spec` (the inverse of `manifestPath`,
    /// except that an OAuth provider's fields come back without the provider's name).
    public static func apiPath(of manifestPath: String, kind: Kind) -> String {
        var rest = Substring(manifestPath)
        var out: [String] = []
        var current = fields(of: kind)
        while !rest.isEmpty {
            guard let field = current.filter({ rest == $0.manifest || rest.hasPrefix($0.manifest + ".") })
                .max(by: { $0.manifest.count < $1.manifest.count })
            else {
                out.append(String(rest))
                break
            }
            out.append(field.request)
            rest = rest.dropFirst(field.manifest.count)
            if rest.hasPrefix(".") { rest = rest.dropFirst() }
            if field.keysAreData {
                if !rest.isEmpty { out.append(String(rest)) }
                break
            }
            current = field.fields
        }
        return out.joined(separator: ".")
    }
}

extension ModuleName {
    /// The API's name: the JSON key on the configuration and the module sub-path (from `APIVocabulary`).
    public var apiName: String { APIVocabulary.apiNames[ordinal] }

    /// The module's position in `allCases` (it indexes the vocabulary's per-module tables). A
    /// switch, because `==` and hashing of a raw-value enum go through its raw string, which the
    /// planner would pay tens of thousands of times per plan (`APIVocabularyTests` checks the
    /// positions).
    public var ordinal: Int {
        switch self {
        case .circuitBreaker: 0
        case .compression: 1
        case .requestHeaders: 2
        case .responseHeaders: 3
        case .ipPolicy: 4
        case .mutualTls: 5
        case .tlsTermination: 6
        case .webhookValidation: 7
        case .oauth: 8
        case .oidc: 9
        case .saml: 10
        }
    }

    /// The secret fields' manifest names.
    public var secretFields: [String] { APIVocabulary.secretFields[ordinal] }
    /// The fields naming other resources (`ipPolicy.ipPolicies`).
    public var referenceFields: [ModuleField] { APIVocabulary.referenceFields[ordinal] }

    public init?(apiName: String) {
        guard let found = ModuleName.allCases.first(where: { $0.apiName == apiName }) else { return nil }
        self = found
    }

    /// Endpoint configuration types this module may be added to (from `APIVocabulary`).
    public var supportedTypes: Set<EndpointType> { APIVocabulary.module(self).supportedTypes }
}
