import Foundation
import NgrokModel

/// The stack-level validator: every product rule (docs/product-rules.md) on every resource, with
/// diagnostics located at the offending field. Missing references are the loader's to report;
/// here a reference that does not resolve is skipped.
public enum ProductRules {
    public static func validate(_ stack: Stack, options: ValidationOptions = ValidationOptions()) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for resource in stack.resources {
            out += validate(resource, in: stack, options: options)
        }
        out += crossResourceDiagnostics(stack)
        return out.sortedForDisplay()
    }

    /// The rules for one resource (including its attachments, looked up in `stack`).
    public static func validate(_ resource: Resource, in stack: Stack, options: ValidationOptions = ValidationOptions())
        -> [Diagnostic]
    {
        var violations = commonViolations(resource, stack: stack)
        switch resource.spec {
        case .credential(let spec):
            violations += credentialViolations(spec)
        case .ipPolicy(let spec):
            violations += ipPolicyViolations(spec, resource: resource, stack: stack)
        case .ipWhitelistEntry(let spec):
            if case .failure(let problem) = CIDR.parse(spec.ipNet) {
                violations.append(problem.withField("spec.ipNet"))
            }
        case .certificateAuthority(let spec):
            violations += CertificateRules.validateCertificateAuthority(spec.caPem, now: options.now).violations
                .map { $0.withField("spec.caPem") }
        case .tlsCertificate(let spec):
            violations += tlsCertificateViolations(spec, stack: stack, options: options)
        case .endpointConfiguration(let spec):
            violations += EndpointConfigurationRules.validate(spec).nested(under: "spec")
        case .reservedDomain(let spec):
            violations += ReservedDomainRules.validate(spec).nested(under: "spec")
            let slots: [(AttachmentSlot, String?)] = [
                (.domainHTTP, spec.httpEndpointConfiguration), (.domainHTTPS, spec.httpsEndpointConfiguration),
            ]
            for (slot, name) in slots {
                if let name, let problem = attachmentViolation(slot, name: name, stack: stack) {
                    violations.append(problem.nested(under: "spec"))
                }
            }
            if let name = spec.certificate, !ReservedDomainRules.isNgrokOwned(spec.domain),
                let problem = coverageViolation(domain: spec.domain, certificate: name, stack: stack)
            {
                violations.append(problem)
            }
        case .reservedAddress(let spec):
            if let problem = ReservedDomainRules.validateRegion(spec.region, code: 500) {
                violations.append(problem.nested(under: "spec"))
            }
            if let name = spec.endpointConfiguration,
                let problem = attachmentViolation(.address, name: name, stack: stack)
            {
                violations.append(problem.nested(under: "spec"))
            }
        }
        return violations.map { $0.diagnostic(for: resource) }
    }

    // MARK: Per kind

    static func commonViolations(_ resource: Resource, stack: Stack) -> [RuleViolation] {
        var out: [RuleViolation] = []
        let codes = TextLimits.apiErrorCodes(for: resource.kind)
        if let text = resource.common.description,
            let problem = TextLimits.validateDescription(text, code: codes.description)
        {
            out.append(problem.withField("spec.description"))
        }
        if let text = resource.common.metadata,
            let problem = TextLimits.validateUserMetadata(
                text, stack: stack.name, address: resource.address, code: codes.metadata)
        {
            out.append(problem.withField("spec.metadata"))
        }
        return out
    }

    static func credentialViolations(_ spec: CredentialSpec) -> [RuleViolation] {
        if let rotation = spec.rotation {
            let rotationProblems = CredentialRotationRules.validate(rotation)
            if !rotationProblems.isEmpty { return rotationProblems + credentialViolations(CredentialSpec(acl: spec.acl)) }
        }
        if spec.acl.isEmpty {
            return [
                .error(
                    field: "spec.acl", "an empty ACL lets the credential bind anything",
                    hint: "list bind: rules, or write acl: [\"*\"] to allow everything explicitly", code: 600)
            ]
        }
        return ACLRule.validate(spec.acl).nested(under: "spec.acl")
    }

    static func ipPolicyViolations(_ spec: IPPolicySpec, resource: Resource, stack: Stack) -> [RuleViolation] {
        var out = IPPolicyRules.validate(cidrs: spec.rules.map(\.cidr)).map { problem in
            var problem = problem
            problem.field = "spec.rules" + problem.field + ".cidr"
            return problem
        }
        for (i, rule) in spec.rules.enumerated() {
            let base = "spec.rules[\(i)]"
            if let text = rule.description, let problem = TextLimits.validateDescription(text, code: TextLimits.ruleDescriptionCode) {
                out.append(problem.withField(base + ".description"))
            }
            if let text = rule.metadata,
                let problem = TextLimits.validateUserMetadata(text, stack: stack.name, address: resource.address)
            {
                out.append(problem.withField(base + ".metadata"))
            }
        }
        return out
    }

    static func tlsCertificateViolations(_ spec: TLSCertificateSpec, stack: Stack, options: ValidationOptions)
        -> [RuleViolation]
    {
        var out: [RuleViolation] = []
        let reference = spec.privateKeyPem
        var keyPem: String?
        if let resolve = options.resolveSecret {
            do {
                keyPem = try resolve(reference).reveal
            } catch  where options.reportsUnresolvedSecrets {
                out.append(
                    .error(
                        field: "spec.privateKeyPem", "cannot read the private key \(reference)",
                        hint: resolutionHint(reference)))
            } catch {
                // The caller reports it.
            }
        }
        let check = CertificateRules.validateTLSCertificate(
            certificatePem: spec.certificatePem, privateKeyPem: keyPem, now: options.now)
        out += check.violations.nested(under: "spec")
        return out
    }

    /// An uploaded certificate should name the domain it is attached to (warning).
    static func coverageViolation(domain: String, certificate name: String, stack: Stack) -> RuleViolation? {
        guard let target = stack.resource(ResourceAddress(.tlsCertificate, name)),
            case .tlsCertificate(let spec) = target.spec,
            case .success(let certificates) = CertificateRules.parseCertificates(spec.certificatePem),
            let leaf = certificates.first
        else { return nil }
        let info = CertificateInfo(leaf)
        let names = info.dnsNames.isEmpty ? [info.subjectCommonName] : info.dnsNames
        guard !ReservedDomainRules.certificateCovers(names, domain: domain) else { return nil }
        return .warning(
            field: "spec.certificate",
            "TLSCertificate/\(name) is not valid for \(domain) (it names \(names.joined(separator: ", ")))",
            hint: "attach a certificate whose subject alternative names include \(domain)")
    }

    static func attachmentViolation(_ slot: AttachmentSlot, name: String, stack: Stack) -> RuleViolation? {
        guard let target = stack.resource(ResourceAddress(.endpointConfiguration, name)),
            case .endpointConfiguration(let configuration) = target.spec
        else { return nil }
        return ReservedDomainRules.validateAttachment(slot, configurationType: configuration.type, name: name)
    }

    // MARK: Across resources

    static func crossResourceDiagnostics(_ stack: Stack) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var domains: [String: Resource] = [:]
        var networks: [CIDR: Resource] = [:]
        for resource in stack.resources {
            switch resource.spec {
            case .reservedDomain(let spec):
                let key = spec.domain.lowercased()
                if let first = domains[key] {
                    out.append(
                        .error(
                            at: resource.location(of: "spec.domain"), resource.address,
                            "the domain \(spec.domain) is also reserved by \(first.address)",
                            hint: "reserve each domain once"))
                } else {
                    domains[key] = resource
                }
            case .ipWhitelistEntry(let spec):
                guard let cidr = try? CIDR(parsing: spec.ipNet) else { continue }
                if let first = networks[cidr] {
                    out.append(
                        .error(
                            at: resource.location(of: "spec.ipNet"), resource.address,
                            "\(cidr) is already whitelisted by \(first.address)", hint: "remove one of the entries"))
                } else {
                    networks[cidr] = resource
                }
            case .endpointConfiguration(let spec):
                guard let module = spec.modules.ipPolicy, module.enabled else { continue }
                for (i, name) in module.ipPolicies.enumerated() {
                    guard let policy = stack.resource(ResourceAddress(.ipPolicy, name)),
                        case .ipPolicy(let policySpec) = policy.spec, policySpec.rules.isEmpty,
                        policySpec.action == .allow
                    else { continue }
                    out.append(
                        .warning(
                            at: resource.location(of: "spec.modules.ipPolicy.ipPolicies[\(i)]"), resource.address,
                            "IPPolicy/\(name) has no rules, so it allows no traffic",
                            hint: "add rules to the policy, or remove it from the module"))
                }
            default:
                continue
            }
        }
        // The IP whitelist applies to every tunnel of the account; with an IP policy module as well,
        // a connection must match both (the intersection), which the link docs advise against.
        // One warning per stack, at the first whitelist entry.
        let withPolicies = stack.resources.filter { resource in
            guard case .endpointConfiguration(let spec) = resource.spec, let module = spec.modules.ipPolicy else { return false }
            return module.enabled
        }
        if let entry = stack.resources.first(where: { $0.kind == .ipWhitelistEntry }), !withPolicies.isEmpty {
            let names = withPolicies.prefix(3).map(\.address.description).joined(separator: ", ")
                + (withPolicies.count > 3 ? " and \(withPolicies.count - 3) more" : "")
            out.append(
                .warning(
                    at: entry.location(of: "spec.ipNet"), entry.address,
                    "the account-wide IP whitelist is used together with the ipPolicy module (\(names)): a connection must match both the whitelist and the policies",
                    hint: "ngrok advises against using both: move the whitelisted networks into IP policies and remove the IPWhitelistEntry resources"))
        }
        return out
    }

    static func resolutionHint(_ reference: SecretReference) -> String {
        switch reference {
        case .env(let name): "set the environment variable \(name)"
        case .file(let path): "check that \(path) exists and is readable"
        }
    }
}
