import NgrokModel

/// Where an endpoint configuration is attached.
public enum AttachmentSlot: String, Sendable, Hashable, CaseIterable {
    /// A reserved domain's `httpEndpointConfiguration`.
    case domainHTTP = "httpEndpointConfiguration"
    /// A reserved domain's `httpsEndpointConfiguration`.
    case domainHTTPS = "httpsEndpointConfiguration"
    /// A reserved address's `endpointConfiguration`.
    case address = "endpointConfiguration"

    /// The only configuration type this slot accepts.
    public var requiredType: EndpointType {
        switch self {
        case .domainHTTP: .http
        case .domainHTTPS: .https
        case .address: .tcp
        }
    }

    /// ERR_NGROK_428 for domains, 507 for addresses.
    public var apiErrorCode: Int { self == .address ? 507 : 428 }
}

/// Reserved domain and address rules: region, attachment slots, certificate choice.
public enum ReservedDomainRules {
    public static let authorities = ["letsencrypt"]
    public static let privateKeyTypes = ["rsa", "ecdsa"]

    /// A region from `Region.all` (ERR_NGROK_400 for domains, 500 for addresses).
    public static func validateRegion(_ region: String, code: Int = 400) -> RuleViolation? {
        guard !Region.all.contains(region) else { return nil }
        return .error(
            field: "region", "'\(region)' is not an ngrok region", hint: "use one of " + Region.all.joined(separator: ", "),
            code: code, suggestion: Region.all.contains(region.lowercased()) ? region.lowercased() : nil)
    }

    /// A configuration of `type` attached to `slot` (field = the slot's manifest name).
    public static func validateAttachment(_ slot: AttachmentSlot, configurationType type: EndpointType, name: String? = nil)
        -> RuleViolation?
    {
        guard type != slot.requiredType else { return nil }
        let subject = name.map { "the endpoint configuration '\($0)'" } ?? "the endpoint configuration"
        let owner = slot == .address ? "a reserved address" : "a reserved domain's \(slot.rawValue)"
        return .error(
            field: slot.rawValue, "\(subject) is type \(type.rawValue), but \(owner) takes only type \(slot.requiredType.rawValue)",
            hint: "attach a configuration of type \(slot.requiredType.rawValue)", code: slot.apiErrorCode)
    }

    /// `certificate` and `certificateManagement` are exclusive (ERR_NGROK_434); the policy's
    /// authority is letsencrypt (435) and its key type rsa or ecdsa (1909).
    public static func validateCertificateChoice(hasCertificate: Bool, management: ReservedDomainSpec.CertificateManagement?)
        -> [RuleViolation]
    {
        var out: [RuleViolation] = []
        if hasCertificate && management != nil {
            out.append(
                .error(
                    field: "certificateManagement", "either a certificate or certificateManagement may be set, not both",
                    hint: "remove certificate to let ngrok manage the certificate, or remove certificateManagement", code: 434))
        }
        if let management {
            out += validateCertificateManagement(authority: management.authority, privateKeyType: management.privateKeyType)
        }
        return out
    }

    public static func validateCertificateManagement(authority: String, privateKeyType: String) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if !authorities.contains(authority) {
            out.append(
                .error(field: "certificateManagement.authority", "'\(authority)' is not a supported certificate authority",
                    hint: "use letsencrypt", code: 435, suggestion: authority.lowercased() == "letsencrypt" ? "letsencrypt" : nil))
        }
        if !privateKeyTypes.contains(privateKeyType) {
            out.append(
                .error(field: "certificateManagement.privateKeyType", "'\(privateKeyType)' is not a supported private key type",
                    hint: "use rsa or ecdsa", code: 1909,
                    suggestion: privateKeyTypes.contains(privateKeyType.lowercased()) ? privateKeyType.lowercased() : nil))
        }
        return out
    }

    /// Name syntax (field `domain`), region and certificate choice of a reserved domain spec.
    /// Attachments need the referenced configurations: see `validateAttachment`.
    public static func validate(_ spec: ReservedDomainSpec) -> [RuleViolation] {
        var out = DomainName.validateReservedDomain(spec.domain).map { $0.withField("domain") }
        if let problem = validateRegion(spec.region) { out.append(problem) }
        out += validateCertificateChoice(hasCertificate: spec.certificate != nil, management: spec.certificateManagement)
        return out
    }
}
