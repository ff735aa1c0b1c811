import NgrokModel

/// A desired resource in request shape: the create body's fields, and for IP policies their rules.
public struct DesiredObject: Sendable, Hashable {
    public var resource: Resource
    /// For comparing with live objects: API defaults filled in.
    public var fields: [String: WireValue]
    /// For sending: only what the manifest sets (an unset duration is omitted, not sent as 0).
    public var request: [String: WireValue]
    /// IP policy rules by canonical CIDR.
    public var rules: [String: DesiredRule]
    public var marker: OwnershipMarker
    /// The secrets' fingerprint in the current and the earlier scheme (to recognise old markers).
    var fingerprints: Fingerprint.Pair
    /// Spec paths of secrets this run could not resolve (a plan without secrets): their values are
    /// `.secret(.deferred)` and the marker's fingerprint is unknown until apply.
    public var deferredSecrets: [String] = []

    public var address: ResourceAddress { resource.address }
    public var kind: Kind { resource.kind }

    /// Points pending references at what `reference` says (the live ID of a kept object).
    mutating func resolveReferences(_ reference: (ResourceAddress) -> RefTarget) {
        func map(_ value: WireValue) -> WireValue {
            switch value {
            case .ref(.pending(let address)): .ref(reference(address))
            case .list(let l): .list(l.map(map))
            case .set(let l): .makeSet(l.map(map))
            case .object(let o): .object(o.mapValues(map))
            default: value
            }
        }
        for (key, value) in fields where !value.references.isEmpty { fields[key] = map(value) }
        for (key, value) in request where !value.references.isEmpty { request[key] = map(value) }
    }
}

public struct DesiredRule: Sendable, Hashable {
    public var cidr: String
    public var description: String
    public var metadata: String
}

/// The secret inputs of a resource, by spec path.
public enum SecretInputs {
    public static func of(_ resource: Resource) -> [(path: String, reference: SecretReference)] {
        var out: [(String, SecretReference)] = []
        switch resource.spec {
        case .tlsCertificate(let cert):
            out.append(("spec.privateKeyPem", cert.privateKeyPem))
        case .endpointConfiguration(let ec):
            if let s = ec.modules.webhookValidation?.secret { out.append(("spec.modules.webhookValidation.secret", s)) }
            if let s = ec.modules.oauth?.clientSecret { out.append(("spec.modules.oauth.clientSecret", s)) }
            if let s = ec.modules.oidc?.clientSecret { out.append(("spec.modules.oidc.clientSecret", s)) }
        default:
            break
        }
        return out
    }
}

/// Builds desired objects from resources.
struct DesiredBuilder {
    var stack: String
    /// How a reference to another resource is sent: to its live ID or to the object the plan creates.
    var reference: (ResourceAddress) -> RefTarget
    /// Resolved secrets by resource and spec path.
    var secrets: [ResourceAddress: [String: SecretValue]]
    /// Canonical form of a CIDR (bare address → /32 or /128).
    var canonicalCIDR: (String) -> String
    /// Precomputed fingerprints by resource (computed here when missing).
    var fingerprints: [ResourceAddress: Fingerprint.Pair] = [:]

    func build(_ resource: Resource) -> DesiredObject {
        let secretValues = secrets[resource.address] ?? [:]
        let pair = fingerprints[resource.address]
            ?? Fingerprint.Pair(
                current: Fingerprint.of(stack: stack, address: resource.address, secrets: secretValues),
                legacy: Fingerprint.legacy(stack: stack, address: resource.address, secrets: secretValues))
        let deferred = SecretInputs.of(resource).map(\.path).filter { secretValues[$0] == nil }
        let marker = OwnershipMarker(
            stack: stack, address: resource.address,
            fingerprint: pair.current,
            userMetadata: resource.common.metadata,
            retain: resource.common.deletionPolicy == .retain, protect: resource.common.protect)
        var fields: [String: WireValue] = [
            "description": .string(resource.common.description ?? ""),
            "metadata": .string(marker.encoded),
        ]
        fields.reserveCapacity(16)
        var rules: [String: DesiredRule] = [:]
        var request: [String: WireValue] = [:]
        func secret(_ path: String) -> WireValue {
            secretValues[path].map { .secret(.known($0)) } ?? .secret(.deferred)
        }
        func ref(_ kind: Kind, _ name: String) -> WireValue { .ref(reference(ResourceAddress(kind, name))) }

        switch resource.spec {
        case .credential(let spec):
            fields["acl"] = .stringSet(spec.acl)
        case .ipPolicy(let spec):
            fields["action"] = .string(spec.action.rawValue)
            for rule in spec.rules {
                let cidr = canonicalCIDR(rule.cidr)
                rules[cidr] = DesiredRule(cidr: cidr, description: rule.description ?? "", metadata: rule.metadata ?? "")
            }
        case .ipWhitelistEntry(let spec):
            fields["ip_net"] = .string(canonicalCIDR(spec.ipNet))
        case .certificateAuthority(let spec):
            fields["ca_pem"] = .string(Normalize.pem(spec.caPem))
        case .tlsCertificate(let spec):
            fields["certificate_pem"] = .string(Normalize.pem(spec.certificatePem))
            fields["private_key_pem"] = secret("spec.privateKeyPem")
        case .endpointConfiguration(let spec):
            fields["type"] = .string(spec.type.rawValue)
            for module in ModuleName.allCases {
                fields[module.apiName] = moduleValue(module, spec.modules, secret: secret, ref: ref, fillDefaults: true)
                request[module.apiName] = moduleValue(module, spec.modules, secret: secret, ref: ref, fillDefaults: false)
            }
        case .reservedDomain(let spec):
            fields["name"] = .string(Normalize.domain(spec.domain))
            fields["region"] = .string(spec.region)
            fields["http_endpoint_configuration_id"] =
                spec.httpEndpointConfiguration.map { ref(.endpointConfiguration, $0) } ?? .null
            fields["https_endpoint_configuration_id"] =
                spec.httpsEndpointConfiguration.map { ref(.endpointConfiguration, $0) } ?? .null
            fields["certificate_id"] = spec.certificate.map { ref(.tlsCertificate, $0) } ?? .null
            fields["certificate_management_policy"] =
                spec.certificateManagement.map {
                    .object(["authority": .string($0.authority), "private_key_type": .string($0.privateKeyType)])
                } ?? .null
        case .reservedAddress(let spec):
            fields["region"] = .string(spec.region)
            fields["endpoint_configuration_id"] =
                spec.endpointConfiguration.map { ref(.endpointConfiguration, $0) } ?? .null
        }
        // Only modules are sent differently from how they compare; elsewhere the two share storage.
        if request.isEmpty {
            request = fields
        } else {
            for (field, value) in fields where request[field] == nil { request[field] = value }
        }
        return DesiredObject(
            resource: resource, fields: fields, request: request, rules: rules, marker: marker, fingerprints: pair,
            deferredSecrets: deferred)
    }

    /// A module in the API's request shape; `.null` when not configured. With `fillDefaults`, every
    /// unset field takes the value the API reports for it; without, unset fields are left out.
    private func moduleValue(
        _ module: ModuleName, _ modules: EndpointModules, secret: (String) -> WireValue,
        ref: (Kind, String) -> WireValue, fillDefaults: Bool
    ) -> WireValue {
        /// An optional manifest value: itself, else the API default (comparison) or nothing (request).
        func opt(_ value: WireValue?, _ apiDefault: WireValue) -> WireValue? { value ?? (fillDefaults ? apiDefault : nil) }
        func object(_ entries: [String: WireValue?]) -> WireValue { .object(entries.compactMapValues { $0 }) }
        /// A string the API treats as unset when empty (it fills its default instead).
        func nonEmpty(_ value: String?) -> String? { value?.isEmpty == false ? value : nil }
        /// The session fields oauth, oidc and saml share.
        func session(
            _ optionsPassthrough: Bool, _ cookiePrefix: String?, defaultPrefix: String, _ inactivityTimeout: Int?,
            _ maximumDuration: Int?
        ) -> [String: WireValue?] {
            [
                "options_passthrough": .bool(optionsPassthrough),
                // An empty prefix is none: the API keeps its default (`ngrok.` for OAuth).
                "cookie_prefix": opt(nonEmpty(cookiePrefix).map(WireValue.string), .string(defaultPrefix)),
                "inactivity_timeout": opt(inactivityTimeout.map(WireValue.int), .int(0)),
                "maximum_duration": opt(maximumDuration.map(WireValue.int), .int(0)),
            ]
        }
        switch module {
        case .circuitBreaker:
            guard let m = modules.circuitBreaker else { return .null }
            return object([
                "enabled": .bool(m.enabled),
                "tripped_duration": opt(m.trippedDuration.map(WireValue.int), .int(0)),
                "rolling_window": opt(m.rollingWindow.map(WireValue.int), .int(0)),
                "num_buckets": opt(m.numBuckets.map(WireValue.int), .int(0)),
                "volume_threshold": opt(m.volumeThreshold.map(WireValue.int), .int(0)),
                "error_threshold_percentage": opt(m.errorThresholdPercentage.map(WireValue.double), .double(0)),
            ])
        case .compression:
            guard let m = modules.compression else { return .null }
            return .object(["enabled": .bool(m.enabled)])
        case .requestHeaders, .responseHeaders:
            guard let m = module == .requestHeaders ? modules.requestHeaders : modules.responseHeaders else {
                return .null
            }
            var add: [String: WireValue] = [:]
            for pair in m.add { add[Normalize.headerName(pair.name)] = .string(pair.value) }
            return .object([
                "enabled": .bool(m.enabled),
                "add": .object(add),
                "remove": .stringSet(m.remove.map(Normalize.headerName)),
            ])
        case .ipPolicy:
            guard let m = modules.ipPolicy else { return .null }
            return .object([
                "enabled": .bool(m.enabled),
                "ip_policy_ids": .makeSet(m.ipPolicies.map { ref(.ipPolicy, $0) }),
            ])
        case .mutualTls:
            guard let m = modules.mutualTls else { return .null }
            return .object([
                "enabled": .bool(m.enabled),
                "certificate_authority_ids": .makeSet(m.certificateAuthorities.map { ref(.certificateAuthority, $0) }),
            ])
        case .tlsTermination:
            guard let m = modules.tlsTermination else { return .null }
            return object([
                "enabled": .bool(m.enabled),
                "terminate_at": .string(m.terminateAt.rawValue),
                "min_version": opt(m.minVersion.map(WireValue.string), .null),
            ])
        case .webhookValidation:
            guard let m = modules.webhookValidation else { return .null }
            return .object([
                "enabled": .bool(m.enabled),
                "provider": .string(m.provider),
                "secret": m.secret == nil ? .string("") : secret("spec.modules.webhookValidation.secret"),
            ])
        case .oauth:
            guard let m = modules.oauth else { return .null }
            var provider: [String: WireValue] = [
                "client_id": m.clientId.map(WireValue.string) ?? .null,
                "client_secret": m.clientSecret == nil ? .null : secret("spec.modules.oauth.clientSecret"),
                "scopes": .stringSet(m.scopes),
                "email_addresses": .stringSet(m.emailAddresses),
                "email_domains": .stringSet(m.emailDomains),
            ]
            if m.provider == .github {
                provider["teams"] = .stringSet(m.teams)
                provider["organizations"] = .stringSet(m.organizations)
            }
            if !fillDefaults { provider = provider.filter { $0.value != .null } }
            return object(
                session(m.optionsPassthrough, m.cookiePrefix, defaultPrefix: "ngrok.", m.inactivityTimeout, m.maximumDuration)
                    .merging([
                        "enabled": .bool(m.enabled),
                        "provider": .object([m.provider.rawValue: .object(provider)]),
                        "auth_check_interval": opt(m.authCheckInterval.map(WireValue.int), .int(0)),
                    ]) { $1 })
        case .oidc:
            guard let m = modules.oidc else { return .null }
            return object(
                session(m.optionsPassthrough, m.cookiePrefix, defaultPrefix: "", m.inactivityTimeout, m.maximumDuration)
                    .merging([
                        "enabled": .bool(m.enabled),
                        "issuer": .string(m.issuer),
                        "client_id": .string(m.clientId),
                        "client_secret": secret("spec.modules.oidc.clientSecret"),
                        "scopes": .stringSet(m.scopes),
                    ]) { $1 })
        case .saml:
            guard let m = modules.saml else { return .null }
            return object(
                session(m.optionsPassthrough, m.cookiePrefix, defaultPrefix: "", m.inactivityTimeout, m.maximumDuration)
                    .merging([
                "enabled": .bool(m.enabled),
                "idp_metadata": opt(m.idpMetadata.map(WireValue.string), .string("")),
                "idp_metadata_url": opt(m.idpMetadataUrl.map(WireValue.string), .string("")),
                "force_authn": .bool(m.forceAuthn),
                "allow_idp_initiated": opt(m.allowIdpInitiated.map(WireValue.bool), .bool(true)),
                "authorized_groups": .stringSet(m.authorizedGroups),
                "nameid_format": opt(nonEmpty(m.nameidFormat).map(WireValue.string), .string(SAMLDefaults.nameidFormat)),
                    ]) { $1 })
        }
    }
}

public enum SAMLDefaults {
    public static let nameidFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
}
