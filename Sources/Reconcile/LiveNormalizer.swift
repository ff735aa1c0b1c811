import NgrokModel

/// Turns a live object (response shape) into the request shape the desired side uses, so the two
/// compare field by field.
struct LiveNormalizer {
    /// Addresses of the objects this stack owns, by ID (for showing references by name).
    var addressOfID: [String: ResourceAddress]
    var canonicalCIDR: (String) -> String

    func fields(of object: LiveObject, kind: Kind) -> [String: WireValue] {
        let json = object.json
        var out: [String: WireValue] = [
            "description": .string(json["description"]?.stringValue ?? ""),
            "metadata": .string(metadata(object)),
        ]
        out.reserveCapacity(16)
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
                out[module.apiName] = moduleValue(module, json[module.apiName] ?? .null)
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

    private func refSet(_ value: WireValue?) -> WireValue {
        guard case .list(let refs)? = value else { return .set([]) }
        return .makeSet(refs.map { ref($0) }.filter { $0 != .null })
    }

    private func stringSet(_ value: WireValue?) -> WireValue {
        switch value {
        case .list(let l)?, .set(let l)?: return .makeSet(l.filter { $0 != .null })
        default: return .set([])
        }
    }

    private func secret(_ value: WireValue?) -> WireValue {
        guard let s = value?.stringValue, !s.isEmpty else { return .secret(.unknown) }
        return .secret(.known(SecretValue(s)))
    }

    private func int(_ value: WireValue?) -> WireValue {
        switch value {
        case .int(let i)?: return .int(i)
        case .double(let d)?: return .int(Int(d))
        default: return .int(0)
        }
    }

    private func double(_ value: WireValue?) -> WireValue {
        switch value {
        case .int(let i)?: return .double(Double(i))
        case .double(let d)?: return .double(d)
        default: return .double(0)
        }
    }

    private func bool(_ value: WireValue?, default fallback: Bool) -> WireValue {
        if case .bool(let b)? = value { return .bool(b) }
        return .bool(fallback)
    }

    private func string(_ value: WireValue?, default fallback: String = "") -> WireValue {
        .string(value?.stringValue ?? fallback)
    }

    private func moduleValue(_ module: ModuleName, _ value: WireValue) -> WireValue {
        guard case .object(let m) = value else { return .null }
        let enabled = bool(m["enabled"], default: true)
        switch module {
        case .circuitBreaker:
            return .object([
                "enabled": enabled,
                "tripped_duration": int(m["tripped_duration"]),
                "rolling_window": int(m["rolling_window"]),
                "num_buckets": int(m["num_buckets"]),
                "volume_threshold": int(m["volume_threshold"]),
                "error_threshold_percentage": double(m["error_threshold_percentage"]),
            ])
        case .compression:
            return .object(["enabled": enabled])
        case .requestHeaders, .responseHeaders:
            var add: [String: WireValue] = [:]
            if case .object(let pairs)? = m["add"] {
                for (name, value) in pairs { add[Normalize.headerName(name)] = value }
            }
            var remove: [String] = []
            if case .list(let names)? = m["remove"] { remove = names.compactMap(\.stringValue) }
            return .object(["enabled": enabled, "add": .object(add), "remove": .stringSet(remove.map(Normalize.headerName))])
        case .ipPolicy:
            return .object(["enabled": enabled, "ip_policy_ids": refSet(m["ip_policies"])])
        case .mutualTls:
            return .object(["enabled": enabled, "certificate_authority_ids": refSet(m["certificate_authorities"])])
        case .tlsTermination:
            let minVersion = m["min_version"]?.stringValue
            return .object([
                "enabled": enabled,
                "terminate_at": string(m["terminate_at"], default: "edge"),
                "min_version": minVersion.map(WireValue.string) ?? .null,
            ])
        case .webhookValidation:
            let provider = m["provider"]?.stringValue ?? ""
            return .object([
                "enabled": enabled,
                "provider": .string(provider),
                "secret": provider == "SNS" && (m["secret"]?.stringValue ?? "").isEmpty ? .string("") : secret(m["secret"]),
            ])
        case .oauth:
            var providerValue: WireValue = .object([:])
            if case .object(let providers)? = m["provider"] {
                for name in OAuthProvider.allCases.map(\.rawValue) {
                    guard case .object(let p)? = providers[name] else { continue }
                    let clientID = p["client_id"]?.stringValue
                    var inner: [String: WireValue] = [
                        "client_id": clientID.map(WireValue.string) ?? .null,
                        "client_secret": clientID == nil ? .null : secret(p["client_secret"]),
                        "scopes": stringSet(p["scopes"]),
                        "email_addresses": stringSet(p["email_addresses"]),
                        "email_domains": stringSet(p["email_domains"]),
                    ]
                    if name == OAuthProvider.github.rawValue {
                        inner["teams"] = stringSet(p["teams"])
                        inner["organizations"] = stringSet(p["organizations"])
                    }
                    providerValue = .object([name: .object(inner)])
                    break
                }
            }
            return .object(session(m).merging([
                "enabled": enabled,
                "provider": providerValue,
                "auth_check_interval": int(m["auth_check_interval"]),
            ]) { $1 })
        case .oidc:
            return .object(session(m).merging([
                "enabled": enabled,
                "issuer": string(m["issuer"]),
                "client_id": string(m["client_id"]),
                "client_secret": secret(m["client_secret"]),
                "scopes": stringSet(m["scopes"]),
            ]) { $1 })
        case .saml:
            return .object(session(m).merging([
                "enabled": enabled,
                "idp_metadata": string(m["idp_metadata"]),
                "idp_metadata_url": string(m["idp_metadata_url"]),
                "force_authn": bool(m["force_authn"], default: false),
                "allow_idp_initiated": bool(m["allow_idp_initiated"], default: true),
                "authorized_groups": stringSet(m["authorized_groups"]),
                "nameid_format": string(m["nameid_format"], default: SAMLDefaults.nameidFormat),
            ]) { $1 })
        }
    }

    /// The session fields oauth, oidc and saml share.
    private func session(_ m: [String: WireValue]) -> [String: WireValue] {
        [
            "options_passthrough": bool(m["options_passthrough"], default: false),
            "cookie_prefix": string(m["cookie_prefix"]),
            "inactivity_timeout": int(m["inactivity_timeout"]),
            "maximum_duration": int(m["maximum_duration"]),
        ]
    }
}
