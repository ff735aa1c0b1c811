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
    }

    /// A module of endpoint configurations.
    public struct Module: Sendable, Hashable {
        /// The key on the configuration and the module's sub-path (`ip_policy`).
        public var apiName: String
        /// Endpoint configuration types this module may be added to.
        public var supportedTypes: Set<EndpointType>
        public var fields: [Field]
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
                    Field("modules.\($0.rawValue)", moduleTable($0).apiName, fields: moduleTable($0).fields)
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
    public static func module(_ module: ModuleName) -> Module { modules[module]! }

    private static let modules: [ModuleName: Module] = Dictionary(
        uniqueKeysWithValues: ModuleName.allCases.map { ($0, moduleTable($0)) })

    private static func moduleTable(_ module: ModuleName) -> Module {
        let http: Set<EndpointType> = [.http, .https]
        let enabled = Field("enabled", "enabled")
        switch module {
        case .circuitBreaker:
            return Module(
                apiName: "circuit_breaker", supportedTypes: http,
                fields: [
                    enabled, Field("trippedDuration", "tripped_duration"), Field("rollingWindow", "rolling_window"),
                    Field("numBuckets", "num_buckets"), Field("volumeThreshold", "volume_threshold"),
                    Field("errorThresholdPercentage", "error_threshold_percentage"),
                ])
        case .compression:
            return Module(apiName: "compression", supportedTypes: http, fields: [enabled])
        case .requestHeaders, .responseHeaders:
            return Module(
                apiName: module == .requestHeaders ? "request_headers" : "response_headers", supportedTypes: http,
                fields: [enabled, Field("add", "add", keysAreData: true), Field("remove", "remove")])
        case .ipPolicy:
            return Module(
                apiName: "ip_policy", supportedTypes: [.http, .https, .tcp],
                fields: [enabled, Field("ipPolicies", "ip_policy_ids", response: "ip_policies")])
        case .mutualTls:
            return Module(
                apiName: "mutual_tls", supportedTypes: [.https],
                fields: [
                    enabled,
                    Field("certificateAuthorities", "certificate_authority_ids", response: "certificate_authorities"),
                ])
        case .tlsTermination:
            return Module(
                apiName: "tls_termination", supportedTypes: [.https],
                fields: [enabled, Field("terminateAt", "terminate_at"), Field("minVersion", "min_version")])
        case .webhookValidation:
            return Module(
                apiName: "webhook_validation", supportedTypes: http,
                fields: [enabled, Field("provider", "provider"), Field("secret", "secret")])
        case .oauth:
            // The manifest is flat (`provider: google`, `clientId`); the API nests the provider's
            // fields under `provider.<name>`: see `manifestPath(of:kind:)`.
            return Module(
                apiName: "oauth", supportedTypes: [.https],
                fields: [enabled, Field("provider", "provider")] + session + [
                    Field("authCheckInterval", "auth_check_interval"),
                ] + oauthProviderFields)
        case .oidc:
            return Module(
                apiName: "oidc", supportedTypes: [.https],
                fields: [
                    enabled, Field("issuer", "issuer"), Field("clientId", "client_id"),
                    Field("clientSecret", "client_secret"), Field("scopes", "scopes"),
                ] + session)
        case .saml:
            return Module(
                apiName: "saml", supportedTypes: [.https],
                fields: [
                    enabled, Field("idpMetadata", "idp_metadata"), Field("idpMetadataUrl", "idp_metadata_url"),
                    Field("forceAuthn", "force_authn"), Field("allowIdpInitiated", "allow_idp_initiated"),
                    Field("authorizedGroups", "authorized_groups"), Field("nameidFormat", "nameid_format"),
                ] + session)
        }
    }

    /// The OAuth provider's own fields (under `provider.<name>` in the API, flat in the manifest).
    public static let oauthProviderFields = [
        Field("clientId", "client_id"), Field("clientSecret", "client_secret"), Field("scopes", "scopes"),
        Field("emailAddresses", "email_addresses"), Field("emailDomains", "email_domains"), Field("teams", "teams"),
        Field("organizations", "organizations"),
    ]

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
            if field.request == "provider", out.first == "modules.oauth", index < segments.count {
                // `provider.google.client_id` → `clientId`: the provider name is the value of `provider`.
                out.removeLast()
                index += 1
                current = oauthProviderFields
                if index == segments.count { out.append("provider") }
                continue
            }
            current = field.fields
        }
        return out.joined(separator: ".")
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
            current = field.manifest == "modules.oauth" ? field.fields + oauthProviderFields : field.fields
        }
        return out.joined(separator: ".")
    }
}

extension ModuleName {
    /// The API's name: the JSON key on the configuration and the module sub-path (from `APIVocabulary`).
    public var apiName: String { APIVocabulary.module(self).apiName }

    public init?(apiName: String) {
        guard let found = ModuleName.allCases.first(where: { $0.apiName == apiName }) else { return nil }
        self = found
    }

    /// Endpoint configuration types this module may be added to (from `APIVocabulary`).
    public var supportedTypes: Set<EndpointType> { APIVocabulary.module(self).supportedTypes }
}
