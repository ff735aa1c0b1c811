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
            field: "region", "'\(region)' is not an ngrok region",
            hint: "use one of " + Region.all.joined(separator: ", "),
            code: code, suggestion: Region.all.contains(region.lowercased()) ? region.lowercased() : nil)
    }

    /// A configuration of `type` attached to `slot` (field = the slot's manifest name).
    public static func validateAttachment(
        _ slot: AttachmentSlot, configurationType type: EndpointType, name: String? = nil
    )
        -> RuleViolation?
    {
        guard type != slot.requiredType else { return nil }
        let subject = name.map { "the endpoint configuration '\($0)'" } ?? "the endpoint configuration"
        let owner = slot == .address ? "a reserved address" : "a reserved domain's \(slot.rawValue)"
        return .error(
            field: slot.rawValue,
            "\(subject) is type \(type.rawValue), but \(owner) takes only type \(slot.requiredType.rawValue)",
            hint: "attach a configuration of type \(slot.requiredType.rawValue)", code: slot.apiErrorCode)
    }

    /// `certificate` and `certificateManagement` are exclusive (ERR_NGROK_434); the policy's
    /// authority is letsencrypt (435) and its key type rsa or ecdsa (1909).
    public static func validateCertificateChoice(
        hasCertificate: Bool, management: ReservedDomainSpec.CertificateManagement?
    )
        -> [RuleViolation]
    {
        var out: [RuleViolation] = []
        if hasCertificate && management != nil {
            out.append(
                .error(
                    field: "certificateManagement",
                    "either a certificate or certificateManagement may be set, not both",
                    hint: "remove certificate to let ngrok manage the certificate, or remove certificateManagement",
                    code: 434))
        }
        if let management {
            out += validateCertificateManagement(
                authority: management.authority, privateKeyType: management.privateKeyType)
        }
        return out
    }

    public static func validateCertificateManagement(authority: String, privateKeyType: String) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if !authorities.contains(authority) {
            out.append(
                .error(
                    field: "certificateManagement.authority", "'\(authority)' is not a supported certificate authority",
                    hint: "use letsencrypt", code: 435,
                    suggestion: authority.lowercased() == "letsencrypt" ? "letsencrypt" : nil))
        }
        if !privateKeyTypes.contains(privateKeyType) {
            out.append(
                .error(
                    field: "certificateManagement.privateKeyType",
                    "'\(privateKeyType)' is not a supported private key type",
                    hint: "use rsa or ecdsa", code: 1909,
                    suggestion: privateKeyTypes.contains(privateKeyType.lowercased())
                        ? privateKeyType.lowercased() : nil))
        }
        return out
    }

    /// The domains ngrok serves its own names under.
    public static let ngrokOwnedDomains = ["ngrok.io", "ngrok.app", "ngrok.dev", "ngrok-free.app"]

    /// A domain ngrok owns: a bare label (a subdomain of ngrok.io) or a name under one of
    /// `ngrokOwnedDomains`. The one definition validation and the emulator share.
    public static func isNgrokOwned(_ domain: String) -> Bool {
        let lower = domain.lowercased()
        guard lower.contains(".") else { return true }
        return ngrokOwnedDomains.contains { lower == $0 || lower.hasSuffix("." + $0) }
    }

    /// ngrok-owned domains take neither an uploaded certificate (ERR_NGROK_440) nor a
    /// management policy (439): ngrok serves its own certificate.
    public static func validateNgrokOwnedCertificate(
        domain: String, hasCertificate: Bool, hasCertificateManagement: Bool
    ) -> [RuleViolation] {
        guard isNgrokOwned(domain) else { return [] }
        var out: [RuleViolation] = []
        if hasCertificate {
            out.append(
                .error(
                    field: "certificate", "\(domain) is an ngrok domain, which cannot use an uploaded certificate",
                    hint: "remove certificate: ngrok serves its own certificate for it", code: 440))
        }
        if hasCertificateManagement {
            out.append(
                .error(
                    field: "certificateManagement",
                    "\(domain) is an ngrok domain, which cannot have certificateManagement",
                    hint: "remove certificateManagement: ngrok serves its own certificate for it", code: 439))
        }
        return out
    }

    /// Whether a certificate for `names` (SAN DNS names, or the CN when there are none) covers
    /// `domain`; `*.example.com` covers one extra label.
    public static func certificateCovers(_ names: [String], domain: String) -> Bool {
        let target = domain.lowercased()
        for name in names.map({ $0.lowercased() }) {
            if name == target { return true }
            if name.hasPrefix("*.") {
                let suffix = name.dropFirst(1)
                if target.hasSuffix(suffix) && !target.dropLast(suffix.count).contains(".")
                    && target.count > suffix.count
                {
                    return true
                }
            }
        }
        return false
    }

    /// Name syntax (field `domain`), region and certificate choice of a reserved domain spec.
    /// Attachments need the referenced configurations: see `validateAttachment`.
    public static func validate(_ spec: ReservedDomainSpec) -> [RuleViolation] {
        let nameProblems = DomainName.validateReservedDomain(spec.domain).map { $0.withField("domain") }
        var out = nameProblems
        if let problem = validateRegion(spec.region) { out.append(problem) }
        out += validateCertificateChoice(
            hasCertificate: spec.certificate != nil, management: spec.certificateManagement)
        if nameProblems.isEmpty {
            out += validateNgrokOwnedCertificate(
                domain: spec.domain, hasCertificate: spec.certificate != nil,
                hasCertificateManagement: spec.certificateManagement != nil)
        }
        return out
    }
}
