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

    static func modules(_ m: DecodedObject) -> EndpointModules? {
        var modules = EndpointModules()
        if let o = m.object("circuitBreaker") {
            modules.circuitBreaker = CircuitBreakerModule(
                enabled: o.bool("enabled") ?? true, trippedDuration: o.int("trippedDuration"),
                rollingWindow: o.int("rollingWindow"), numBuckets: o.int("numBuckets"),
                volumeThreshold: o.int("volumeThreshold"),
                errorThresholdPercentage: o.double("errorThresholdPercentage"))
        }
        if let o = m.object("compression") {
            modules.compression = CompressionModule(enabled: o.bool("enabled") ?? true)
        }
        if let o = m.object("requestHeaders") { modules.requestHeaders = headers(o) }
        if let o = m.object("responseHeaders") { modules.responseHeaders = headers(o) }
        if let o = m.object("ipPolicy") {
            guard let names = o.strings("ipPolicies") else { return nil }
            modules.ipPolicy = IPPolicyModule(enabled: o.bool("enabled") ?? true, ipPolicies: names)
        }
        if let o = m.object("mutualTls") {
            guard let names = o.strings("certificateAuthorities") else { return nil }
            modules.mutualTls = MutualTLSModule(enabled: o.bool("enabled") ?? true, certificateAuthorities: names)
        }
        if let o = m.object("tlsTermination") {
            modules.tlsTermination = TLSTerminationModule(
                enabled: o.bool("enabled") ?? true,
                terminateAt: o.string("terminateAt").flatMap(TLSTerminationModule.TerminateAt.init(rawValue:)) ?? .edge,
                minVersion: o.string("minVersion"))
        }
        if let o = m.object("webhookValidation") {
            guard let provider = o.string("provider") else { return nil }
            modules.webhookValidation = WebhookValidationModule(
                enabled: o.bool("enabled") ?? true, provider: provider, secret: o.secret("secret"))
        }
        if let o = m.object("oauth") {
            guard let provider = o.string("provider").flatMap(OAuthProvider.init(rawValue:)) else { return nil }
            modules.oauth = OAuthModule(
                enabled: o.bool("enabled") ?? true, provider: provider, clientId: o.string("clientId"),
                clientSecret: o.secret("clientSecret"), scopes: o.strings("scopes") ?? [],
                emailAddresses: o.strings("emailAddresses") ?? [], emailDomains: o.strings("emailDomains") ?? [],
                teams: o.strings("teams") ?? [], organizations: o.strings("organizations") ?? [],
                optionsPassthrough: o.bool("optionsPassthrough") ?? false, cookiePrefix: o.string("cookiePrefix"),
                inactivityTimeout: o.int("inactivityTimeout"), maximumDuration: o.int("maximumDuration"),
                authCheckInterval: o.int("authCheckInterval"))
        }
        if let o = m.object("oidc") {
            guard let issuer = o.string("issuer"), let clientId = o.string("clientId"),
                let secret = o.secret("clientSecret")
            else { return nil }
            modules.oidc = OIDCModule(
                enabled: o.bool("enabled") ?? true, issuer: issuer, clientId: clientId, clientSecret: secret,
                scopes: o.strings("scopes") ?? [], optionsPassthrough: o.bool("optionsPassthrough") ?? false,
                cookiePrefix: o.string("cookiePrefix"), inactivityTimeout: o.int("inactivityTimeout"),
                maximumDuration: o.int("maximumDuration"))
        }
        if let o = m.object("saml") {
            modules.saml = SAMLModule(
                enabled: o.bool("enabled") ?? true, idpMetadata: o.string("idpMetadata"),
                idpMetadataUrl: o.string("idpMetadataUrl"), forceAuthn: o.bool("forceAuthn") ?? false,
                allowIdpInitiated: o.bool("allowIdpInitiated"), authorizedGroups: o.strings("authorizedGroups") ?? [],
                nameidFormat: o.string("nameidFormat"), optionsPassthrough: o.bool("optionsPassthrough") ?? false,
                cookiePrefix: o.string("cookiePrefix"), inactivityTimeout: o.int("inactivityTimeout"),
                maximumDuration: o.int("maximumDuration"))
        }
        return modules
    }

    static func headers(_ o: DecodedObject) -> HeadersModule {
        HeadersModule(
            enabled: o.bool("enabled") ?? true,
            add: (o.pairs("add") ?? []).map { HeadersModule.HeaderPair(name: $0.key, value: $0.value) },
            remove: o.strings("remove") ?? [])
    }
}
