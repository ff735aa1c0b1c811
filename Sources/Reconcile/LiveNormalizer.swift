import NgrokModel

/// Turns a live object (response shape) into the request shape the desired side uses, so the two
/// compare field by field.
struct LiveNormalizer {
    /// Addresses of the objects this stack owns, by ID (for showing references by name).
    var addressOfID: [String: ResourceAddress]
    var canonicalCIDR: (String) -> String

    func fields(of object: LiveObject, kind: Kind) -> [String: WireValue] {
        let json = object.json
        var out = [String: WireValue](minimumCapacity: 16)
        out["description"] = .string(json["description"]?.stringValue ?? "")
        out["metadata"] = .string(metadata(object))
        switch kind {
        case .credential:
            // An empty ACL binds anything, which manifests spell `["*"]`.
            let acl = stringSet(json["acl"])
            out["acl"] = acl == .set([]) ? .stringSet(["*"]) : acl
        case .ipPolicy:
            out["action"] = .string(json["action"]?.stringValue ?? "allow")
        case .ipWhitelistEntry:
            out["ip_net"] = .string(canonicalCIDR(json["ip_net"]?.stringValue ?? ""))
        case .certificateAuthority:
            out["ca_pem"] = .string(Normalize.pem(json["ca_pem"]?.stringValue ?? ""))
        case .tlsCertificate:
            out["certificate_pem"] = .string(Normalize.pem(json["certificate_pem"]?.stringValue ?? ""))
            out["private_key_pem"] = .secret(.unknown)  // never returned
        case .endpointConfiguration:
            out["type"] = .string(json["type"]?.stringValue ?? "")
            for module in ModuleName.allCases {
                out[module.apiName] = ModuleWire.live(module, json[module.apiName] ?? .null, ref: ref)
            }
        case .reservedDomain:
            out["name"] = .string((json["domain"]?.stringValue ?? json["name"]?.stringValue ?? "").lowercased())
            out["region"] = .string(json["region"]?.stringValue ?? "us")
            out["http_endpoint_configuration_id"] = ref(json["http_endpoint_configuration"])
            out["https_endpoint_configuration_id"] = ref(json["https_endpoint_configuration"])
            if case .object(let policy)? = json["certificate_management_policy"] {
                out["certificate_management_policy"] = .object([
                    "authority": policy["authority"] ?? .string("letsencrypt"),
                    "private_key_type": policy["private_key_type"] ?? .string("rsa"),
                ])
                // The certificate of a managed domain is the one ngrok issued: not ours to compare.
                out["certificate_id"] = .null
            } else {
                out["certificate_management_policy"] = .null
                out["certificate_id"] = ref(json["certificate"])
            }
        case .reservedAddress:
            out["region"] = .string(json["region"]?.stringValue ?? "us")
            out["endpoint_configuration_id"] = ref(json["endpoint_configuration"])
        }
        return out
    }

    func rule(_ object: LiveObject) -> DesiredRule {
        DesiredRule(
            cidr: canonicalCIDR(object.json["cidr"]?.stringValue ?? ""),
            description: object.json["description"]?.stringValue ?? "",
            metadata: object.json["metadata"]?.stringValue ?? "")
    }

    /// A marker is compared in its canonical encoding; anything else as written.
    private func metadata(_ object: LiveObject) -> String {
        if let marker = object.marker { return marker.encoded }
        return object.json["metadata"]?.stringValue ?? ""
    }

    private func ref(_ value: WireValue?) -> WireValue {
        guard case .object(let ref)? = value, let id = ref["id"]?.stringValue, !id.isEmpty else { return .null }
        return .ref(.live(id: id, address: addressOfID[id]))
    }

    private func stringSet(_ value: WireValue?) -> WireValue {
        switch value {
        case .list(let l)?, .set(let l)?: return .makeSet(l.filter { $0 != .null })
        default: return .set([])
        }
    }
}
