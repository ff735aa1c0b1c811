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
        guard resource.kind == .tlsCertificate || resource.kind == .endpointConfiguration else { return [] }
        var out: [(String, SecretReference)] = []
        switch resource.spec {
        case .tlsCertificate(let cert):
            out.append(("spec.privateKeyPem", cert.privateKeyPem))
        case .endpointConfiguration(let ec):
            out += ModuleWire.secretPaths(ec.modules)
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
        var fields = [String: WireValue](minimumCapacity: 16)
        fields["description"] = .string(resource.common.description ?? "")
        fields["metadata"] = .string(marker.encoded)
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
                let value = ModuleWire.desired(module, spec.modules[module], secret: secret, ref: ref)
                fields[module.apiName] = value.compared
                request[module.apiName] = value.sent
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
}
