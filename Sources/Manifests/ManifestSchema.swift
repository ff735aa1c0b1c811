import NgrokModel

/// The declarative field table of every manifest kind: the single source of truth for the
/// loader (typing, unknown fields, required fields, enums, patterns) and the JSON Schemas.
enum ManifestSchema {
    static let apiVersion = "ngrokctl/v1"

    /// Shapes of whole documents, by kind name (`Stack` included).
    static func document(for kind: String) -> ObjectShape? { documents[kind] }

    private static let documents: [String: ObjectShape] = {
        var all = ["Stack": stackDocument]
        for kind in Kind.allCases { all[kind.rawValue] = resourceDocument(kind) }
        return all
    }()

    static let kindNames: [String] = ["Stack"] + Kind.allCases.map(\.rawValue)

    // MARK: Documents

    static let metadata = ObjectShape(
        "Metadata", "The resource's name and labels.",
        [
            FieldSpec(
                "name", .string(.name), required: true,
                "Unique per kind: lower-case letters, digits and '-', at most 63 characters.",
                missingHint: "add metadata.name"),
            FieldSpec("labels", .stringMap(keys: .any), "Free-form string labels."),
        ])

    static func documentShape(kind: String, spec: ObjectShape, specRequired: Bool, doc: String) -> ObjectShape {
        ObjectShape(
            kind + "Document", doc,
            [
                FieldSpec(
                    "apiVersion", .constant(apiVersion), required: true, "Always ngrokctl/v1.",
                    missingHint: "add apiVersion: \(apiVersion)"),
                FieldSpec("kind", .constant(kind), required: true, "The resource kind."),
                FieldSpec(
                    "metadata", .object(metadata), required: true, "Name and labels.",
                    missingHint: "add metadata: {name: …}"),
                FieldSpec(
                    "spec", .object(spec), required: specRequired, "The desired state.", missingHint: "add spec:"),
            ])
    }

    static let stackDocument = documentShape(
        kind: "Stack", spec: stackSpec, specRequired: false,
        doc: "ngrokctl.yaml: the stack's settings (one per manifest directory, at its root).")

    static func resourceDocument(_ kind: Kind) -> ObjectShape {
        documentShape(kind: kind.rawValue, spec: spec(for: kind), specRequired: true, doc: kindDoc(kind))
    }

    static func kindDoc(_ kind: Kind) -> String {
        switch kind {
        case .credential: "A tunnel authtoken restricted by an ACL."
        case .ipPolicy: "An IP policy with its rules inline."
        case .ipWhitelistEntry: "An account-wide allowed IP address or network."
        case .certificateAuthority: "A CA certificate for mutual TLS."
        case .tlsCertificate: "An uploaded TLS certificate bundle and its private key."
        case .endpointConfiguration: "An endpoint configuration: a type and its modules."
        case .reservedDomain: "A reserved domain and what is attached to it."
        case .reservedAddress: "A reserved TCP address (assigned by ngrok)."
        }
    }

    // MARK: Stack

    static let stackSpec = ObjectShape(
        "StackSpec", "Settings for the whole manifest directory.",
        [
            FieldSpec(
                "api",
                .object(
                    ObjectShape(
                        "StackAPI", "How to reach the ngrok API.",
                        [
                            FieldSpec(
                                "url", .string(.apiURL),
                                "Must equal the operator's API URL (--api-url, NGROK_API_URL; default https://api.ngrok.com) unless the operator passes --allow-manifest-api-url; local: is never taken from a manifest."),
                            FieldSpec(
                                "requestsPerMinute", .integer(minimum: 1, maximum: 100_000),
                                "Client-side request budget (default 120)."),
                            FieldSpec(
                                "concurrency", .integer(minimum: 1, maximum: 64), "Parallel API requests (default 4)."),
                        ])), "API settings."),
            FieldSpec("prune", .boolean, "Delete owned objects that left the manifests (default false)."),
            FieldSpec(
                "maxDeletions", .integer(minimum: 0, maximum: nil),
                "Lowers the operator's deletion cap (--max-deletions, default 10); it can never raise it."),
            FieldSpec(
                "tokenDirectory", .string(.any),
                "Where new credential tokens are written (0600): a relative path that stays inside the stack root (or the operator's token directory)."),
            FieldSpec(
                "tokenCommand", .string(.any),
                "Shell command run once per new credential token, the token on standard input (e.g. to push it into a secret store); run only when the operator allows it."),
            FieldSpec(
                "defaults",
                .object(
                    ObjectShape(
                        "StackDefaults", "Defaults for resources.",
                        [
                            FieldSpec(
                                "region", .string(.oneOf(Region.all)),
                                "Default region of reserved domains and addresses (default us).")
                        ])),
                "Defaults for resources."),
        ])

    // MARK: Common

    static let common: [FieldSpec] = [
        FieldSpec("description", .string(.any), "Human-readable description (at most 255 bytes)."),
        FieldSpec("metadata", .string(.any), "The API's metadata string, stored next to the ownership marker."),
        FieldSpec(
            "deletionPolicy", .string(.oneOf(["Delete", "Retain"])),
            "Delete (default) or Retain: what happens when the manifest is removed."),
        FieldSpec("protect", .boolean, "When true the plan fails rather than delete or replace the object."),
        FieldSpec(
            "adopt", .boolean,
            "Take over an existing object not owned by any stack (a domain by name, other kinds by content) instead of creating one."),
    ]

    static let fileReference = ObjectShape(
        "FileReference", "Read from a file (relative to the manifest's file).",
        [
            FieldSpec(
                "file", .string(.any), required: true, "Path, relative to the manifest's file.",
                missingHint: "write {file: PATH}")
        ])

    static let secretEnv = ObjectShape(
        "SecretFromEnv", "Read from an environment variable.",
        [FieldSpec("env", .string(.environmentVariable), required: true, "The variable's name.")])

    // MARK: Kinds

    static func spec(for kind: Kind) -> ObjectShape {
        switch kind {
        case .credential: credential
        case .ipPolicy: ipPolicy
        case .ipWhitelistEntry: ipWhitelistEntry
        case .certificateAuthority: certificateAuthority
        case .tlsCertificate: tlsCertificate
        case .endpointConfiguration: endpointConfiguration
        case .reservedDomain: reservedDomain
        case .reservedAddress: reservedAddress
        }
    }

    static let credential = ObjectShape(
        "CredentialSpec", kindDoc(.credential),
        common + [
            FieldSpec(
                "acl", .list(.string(.any), minItems: 0), required: true,
                "Each '*', 'bind:<domain>', 'bind:*.<domain>' or 'bind:<host>:<port>'. Required: write [\"*\"] to allow anything.",
                missingHint: "add acl: [\"bind:<domain>\"], or acl: [\"*\"] to allow binding anything"),
            FieldSpec(
                "rotation", .object(credentialRotation),
                "Replace the token on a schedule, keeping the previous one valid for an overlap."),
        ])

    static let credentialRotation = ObjectShape(
        "CredentialRotation", "Scheduled rotation: each rotation creates a new generation (a new API credential).",
        [
            FieldSpec(
                "every", .duration, required: true,
                "Rotate when the newest generation is older than this (e.g. 90d).",
                missingHint: "add every: 90d"),
            FieldSpec(
                "overlap", .duration, required: true,
                "How long an older generation stays valid after its successor was created; less than every.",
                missingHint: "add overlap: 7d"),
        ])

    static let ipPolicyRule = ObjectShape(
        "IPPolicyRule", "One rule of an IP policy.",
        [
            FieldSpec(
                "cidr", .string(.any), required: true,
                "IPv4 or IPv6 address or CIDR; a bare address means /32 or /128.",
                missingHint: "add cidr: <address or network>"),
            FieldSpec("description", .string(.any), "Human-readable description."),
            FieldSpec("metadata", .string(.any), "The API's metadata string."),
        ])

    static let ipPolicy = ObjectShape(
        "IPPolicySpec", kindDoc(.ipPolicy),
        common + [
            FieldSpec(
                "action", .string(.oneOf(IPPolicyAction.allCases.map(\.rawValue))),
                "allow (default) or deny; immutable."),
            FieldSpec(
                "rules", .list(.object(ipPolicyRule), minItems: 0),
                "The policy's rules; CIDRs unique within the policy."),
        ])

    static let ipWhitelistEntry = ObjectShape(
        "IPWhitelistEntrySpec", kindDoc(.ipWhitelistEntry),
        common + [
            FieldSpec(
                "ipNet", .string(.any), required: true, "IP address or CIDR; immutable.",
                missingHint: "add ipNet: <address or network>")
        ])

    static let certificateAuthority = ObjectShape(
        "CertificateAuthoritySpec", kindDoc(.certificateAuthority),
        common + [
            FieldSpec(
                "caPem", .textOrFile, required: true,
                "Exactly one CA certificate (PEM), literal or {file: PATH}; immutable.",
                missingHint: "add caPem: {file: ca.pem}")
        ])

    static let tlsCertificate = ObjectShape(
        "TLSCertificateSpec", kindDoc(.tlsCertificate),
        common + [
            FieldSpec(
                "certificatePem", .textOrFile, required: true,
                "Leaf first, then intermediates (PEM), literal or {file: PATH}; immutable.",
                missingHint: "add certificatePem: {file: bundle.pem}"),
            FieldSpec(
                "privateKeyPem", .secret, required: true,
                "Secret: {env: NAME} or {file: PATH}; PKCS#1, PKCS#8 or SEC 1, unencrypted; immutable.",
                missingHint: "add privateKeyPem: {file: key.pem} or {env: NAME}"),
        ])

    static let reservedDomain = ObjectShape(
        "ReservedDomainSpec", kindDoc(.reservedDomain),
        common + [
            FieldSpec(
                "domain", .string(.any), required: true,
                "A hostname, *.example.com, or a bare label (a subdomain of ngrok.io); immutable.",
                missingHint: "add domain: <hostname>"),
            FieldSpec(
                "region", .string(.oneOf(Region.all)), "Region (default: the stack's spec.defaults.region); immutable."),
            FieldSpec(
                "httpEndpointConfiguration", .string(.reference(.endpointConfiguration)),
                "Name of an EndpointConfiguration of type http."),
            FieldSpec(
                "httpsEndpointConfiguration", .string(.reference(.endpointConfiguration)),
                "Name of an EndpointConfiguration of type https."),
            FieldSpec("certificate", .string(.reference(.tlsCertificate)), "Name of a TLSCertificate."),
            FieldSpec(
                "certificateManagement",
                .object(
                    ObjectShape(
                        "CertificateManagement", "Automatic certificate management.",
                        [
                            FieldSpec("authority", .string(.oneOf(["letsencrypt"])), "letsencrypt (default)."),
                            FieldSpec("privateKeyType", .string(.oneOf(["rsa", "ecdsa"])), "rsa (default) or ecdsa."),
                        ])), "Let ngrok obtain and renew the certificate (instead of certificate)."),
        ],
        exclusive: [("certificate", "certificateManagement")])

    static let reservedAddress = ObjectShape(
        "ReservedAddressSpec", kindDoc(.reservedAddress),
        common + [
            FieldSpec(
                "region", .string(.oneOf(Region.all)), "Region (default: the stack's spec.defaults.region); immutable."),
            FieldSpec(
                "endpointConfiguration", .string(.reference(.endpointConfiguration)),
                "Name of an EndpointConfiguration of type tcp."),
        ])

    // MARK: Endpoint configuration modules

    /// The modules' shapes come from `APIVocabulary`: each field's type, default and documentation.
    static let modules = ObjectShape(
        "EndpointModules", "Modules; each also takes enabled (default true).",
        ModuleName.allCases.map { name in
            let module = APIVocabulary.module(name)
            let types = EndpointType.allCases.filter(module.supportedTypes.contains).map(\.rawValue)
            return FieldSpec(
                name.rawValue, .object(moduleShape(module)), "\(module.title) (\(types.joined(separator: ", "))).")
        })

    static func moduleShape(_ module: APIVocabulary.Module) -> ObjectShape {
        let pair = module.exactlyOneOf.count == 2 ? [(module.exactlyOneOf[0], module.exactlyOneOf[1])] : []
        return ObjectShape(
            module.schemaName, module.summary,
            module.fields.map {
                FieldSpec($0.manifest, fieldType($0.type), required: $0.isRequired, $0.doc, missingHint: $0.missingHint)
            }, exclusive: pair, requiresEither: pair)
    }

    static func fieldType(_ type: ModuleValueType) -> FieldType {
        switch type {
        case .boolean: .boolean
        case .integer: .integer(minimum: nil, maximum: nil)
        case .duration: .duration
        case .number: .number(minimum: nil, maximum: nil)
        case .string: .string(.any)
        case .choice(let values): .string(.oneOf(values))
        case .textOrFile: .textOrFile
        case .secret: .secret
        case .strings: .list(.string(.any), minItems: 0)
        case .headerNames: .list(.string(.headerName), minItems: 0)
        case .headerMap: .stringMap(keys: .headerName)
        case .references(let kind, let minItems): .list(.string(.reference(kind)), minItems: minItems)
        }
    }

    static let endpointConfiguration = ObjectShape(
        "EndpointConfigurationSpec", kindDoc(.endpointConfiguration),
        common + [
            FieldSpec(
                "type", .string(.oneOf(EndpointType.allCases.map(\.rawValue))), required: true,
                "http, https or tcp; immutable.", missingHint: "add type: https (or http, tcp)"),
            FieldSpec("modules", .object(modules), "The configuration's modules."),
        ])
}
