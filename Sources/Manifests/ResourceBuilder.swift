import NgrokModel

/// Builds model values from decoded (already type-checked) objects. Fields that failed to
/// decode are absent, so every builder tolerates missing values and returns nil instead of
/// trapping; callers only build documents that decoded without errors.
enum ResourceBuilder {
    static func common(_ spec: DecodedObject) -> CommonSpec {
        CommonSpec(
            description: spec.string("description"), metadata: spec.string("metadata"),
            deletionPolicy: spec.string("deletionPolicy").flatMap(CommonSpec.DeletionPolicy.init(rawValue:)) ?? .delete,
            protect: spec.bool("protect") ?? false, adopt: spec.bool("adopt") ?? false)
    }

    static func spec(_ kind: Kind, _ s: DecodedObject, defaultRegion: String) -> ResourceSpec? {
        switch kind {
        case .credential:
            guard let acl = s.strings("acl") else { return nil }
            let rotation = s.object("rotation").flatMap { r -> CredentialRotation? in
                guard let every = r.int("every"), let overlap = r.int("overlap") else { return nil }
                return CredentialRotation(every: every, overlap: overlap)
            }
            return .credential(CredentialSpec(acl: acl, rotation: rotation))
        case .ipPolicy:
            var rules: [IPPolicyRuleSpec] = []
            for rule in s.objects("rules") ?? [] {
                guard let cidr = rule.string("cidr") else { return nil }
                rules.append(
                    IPPolicyRuleSpec(
                        cidr: cidr, description: rule.string("description"), metadata: rule.string("metadata")))
            }
            let action = s.string("action").flatMap(IPPolicyAction.init(rawValue:)) ?? .allow
            return .ipPolicy(IPPolicySpec(action: action, rules: rules))
        case .ipWhitelistEntry:
            guard let ipNet = s.string("ipNet") else { return nil }
            return .ipWhitelistEntry(IPWhitelistEntrySpec(ipNet: ipNet))
        case .certificateAuthority:
            guard let pem = s.string("caPem") else { return nil }
            return .certificateAuthority(CertificateAuthoritySpec(caPem: pem))
        case .tlsCertificate:
            guard let pem = s.string("certificatePem"), let key = s.secret("privateKeyPem") else { return nil }
            return .tlsCertificate(TLSCertificateSpec(certificatePem: pem, privateKeyPem: key))
        case .endpointConfiguration:
            guard let type = s.string("type").flatMap(EndpointType.init(rawValue:)) else { return nil }
            guard let modules = modules(s.object("modules") ?? DecodedObject()) else { return nil }
            return .endpointConfiguration(EndpointConfigurationSpec(type: type, modules: modules))
        case .reservedDomain:
            guard let domain = s.string("domain") else { return nil }
            let management = s.object("certificateManagement").map {
                ReservedDomainSpec.CertificateManagement(
                    authority: $0.string("authority") ?? "letsencrypt",
                    privateKeyType: $0.string("privateKeyType") ?? "rsa")
            }
            return .reservedDomain(
                ReservedDomainSpec(
                    domain: domain, region: s.string("region") ?? defaultRegion,
                    httpEndpointConfiguration: s.string("httpEndpointConfiguration"),
                    httpsEndpointConfiguration: s.string("httpsEndpointConfiguration"),
                    certificate: s.string("certificate"), certificateManagement: management,
                    adopt: s.bool("adopt") ?? false))
        case .reservedAddress:
            return .reservedAddress(
                ReservedAddressSpec(
                    region: s.string("region") ?? defaultRegion,
                    endpointConfiguration: s.string("endpointConfiguration")))
        }
    }

    /// Every module the manifest configures, field by field as `APIVocabulary` declares them.
    static func modules(_ m: DecodedObject) -> EndpointModules? {
        var modules = EndpointModules()
        for name in ModuleName.allCases {
            guard let o = m.object(name.rawValue) else { continue }
            var settings = ModuleSettings(name)
            for field in APIVocabulary.module(name).fields {
                let value: ModuleValue?
                switch field.type {
                case .boolean: value = o.bool(field.manifest).map(ModuleValue.bool)
                case .integer, .duration: value = o.int(field.manifest).map(ModuleValue.int)
                case .number: value = o.double(field.manifest).map(ModuleValue.double)
                case .string, .choice, .textOrFile: value = o.string(field.manifest).map(ModuleValue.string)
                case .secret: value = o.secret(field.manifest).map(ModuleValue.secret)
                case .strings, .headerNames, .references: value = o.strings(field.manifest).map(ModuleValue.strings)
                case .headerMap:
                    value = o.pairs(field.manifest).map { .headers($0.map { HeaderPair(name: $0.key, value: $0.value) }) }
                }
                if value == nil, field.isRequired { return nil }
                settings[field.manifest] = value
            }
            modules[name] = settings
        }
        return modules
    }
}
