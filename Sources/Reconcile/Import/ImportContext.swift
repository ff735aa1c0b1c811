import Foundation
import NgrokModel

extension StackImporter {
    /// Builds one object's spec (in manifest spelling) from its normalised fields, with the files
    /// and secret references it needs.
    struct Context {
        var address: ResourceAddress
        var object: LiveObject
        var fields: [String: WireValue]
        var kind: Kind
        var files: [String: String] = [:]
        var secrets: [Secret] = []

        init(address: ResourceAddress, object: LiveObject, fields: [String: WireValue], kind: Kind) {
            self.address = address
            self.object = object
            self.fields = fields
            self.kind = kind
        }

        /// An environment variable name for a secret of this object: `KIND_NAME_SUFFIX`.
        mutating func secret(_ prefix: String, _ suffix: String, what: String) -> YAMLOut {
            let variable = ([prefix, address.name.uppercased().replacingOccurrences(of: "-", with: "_"), suffix])
                .joined(separator: "_")
            secrets.append(Secret(variable: variable, usedBy: address.description, what: what))
            return .map([("env", .string(variable))])
        }

        mutating func spec(rules: [DesiredRule]) -> [(String, YAMLOut)] {
            switch kind {
            case .credential:
                return [("acl", .list(strings(fields["acl"]).map(YAMLOut.string)))]
            case .ipPolicy:
                var out: [(String, YAMLOut)] = [("action", .string(fields["action"]?.stringValue ?? "allow"))]
                var seen: Set<String> = []
                var list: [YAMLOut] = []
                for rule in rules where seen.insert(rule.cidr).inserted {
                    var entry: [(String, YAMLOut)] = [("cidr", .string(rule.cidr))]
                    if !rule.description.isEmpty { entry.append(("description", .string(rule.description))) }
                    if !rule.metadata.isEmpty { entry.append(("metadata", .string(rule.metadata))) }
                    list.append(.map(entry))
                }
                out.append(("rules", .list(list)))
                return out
            case .ipWhitelistEntry:
                return [("ipNet", .string(fields["ip_net"]?.stringValue ?? ""))]
            case .certificateAuthority:
                let path = "auth/authorities/\(address.name).pem"
                files[path] = fields["ca_pem"]?.stringValue ?? ""
                return [("caPem", .map([("file", .string("authorities/\(address.name).pem"))]))]
            case .tlsCertificate:
                let path = "auth/certificates/\(address.name).pem"
                files[path] = fields["certificate_pem"]?.stringValue ?? ""
                return [
                    ("certificatePem", .map([("file", .string("certificates/\(address.name).pem"))])),
                    ("privateKeyPem", secret("TLS", "PRIVATE_KEY", what: "the private key (PEM)")),
                ]
            case .endpointConfiguration:
                return endpointConfiguration()
            case .reservedDomain:
                var out: [(String, YAMLOut)] = [
                    ("domain", .string(object.json["domain"]?.stringValue ?? fields["name"]?.stringValue ?? "")),
                    ("region", .string(fields["region"]?.stringValue ?? "us")),
                ]
                if let n = refName(fields["http_endpoint_configuration_id"]) { out.append(("httpEndpointConfiguration", .string(n))) }
                if let n = refName(fields["https_endpoint_configuration_id"]) { out.append(("httpsEndpointConfiguration", .string(n))) }
                if case .object(let policy)? = fields["certificate_management_policy"] {
                    out.append((
                        "certificateManagement",
                        .map([
                            ("authority", .string(policy["authority"]?.stringValue ?? "letsencrypt")),
                            ("privateKeyType", .string(policy["private_key_type"]?.stringValue ?? "rsa")),
                        ])))
                } else if let n = refName(fields["certificate_id"]) {
                    out.append(("certificate", .string(n)))
                }
                return out
            case .reservedAddress:
                var out: [(String, YAMLOut)] = [("region", .string(fields["region"]?.stringValue ?? "us"))]
                if let n = refName(fields["endpoint_configuration_id"]) { out.append(("endpointConfiguration", .string(n))) }
                return out
            }
        }

        private mutating func endpointConfiguration() -> [(String, YAMLOut)] {
            var modules: [(String, YAMLOut)] = []
            for module in ModuleName.allCases {
                guard case .object(let m)? = fields[module.apiName] else { continue }
                var out: [(String, YAMLOut)] = []
                if m["enabled"] == .bool(false) { out.append(("enabled", .bool(false))) }
                func int(_ key: String, _ name: String) {
                    if case .int(let v)? = m[key], v != 0 { out.append((name, .int(v))) }
                }
                func list(_ key: String, _ name: String, from source: [String: WireValue]? = nil) {
                    let values = strings((source ?? m)[key])
                    if !values.isEmpty { out.append((name, .list(values.map(YAMLOut.string)))) }
                }
                func session(defaultPrefix: String) {
                    if m["options_passthrough"] == .bool(true) { out.append(("optionsPassthrough", .bool(true))) }
                    if let p = m["cookie_prefix"]?.stringValue, p != defaultPrefix { out.append(("cookiePrefix", .string(p))) }
                    int("inactivity_timeout", "inactivityTimeout")
                    int("maximum_duration", "maximumDuration")
                }
                switch module {
                case .circuitBreaker:
                    int("tripped_duration", "trippedDuration")
                    int("rolling_window", "rollingWindow")
                    int("num_buckets", "numBuckets")
                    int("volume_threshold", "volumeThreshold")
                    if case .double(let v)? = m["error_threshold_percentage"], v != 0 {
                        out.append(("errorThresholdPercentage", .double(v)))
                    }
                case .compression:
                    break
                case .requestHeaders, .responseHeaders:
                    if case .object(let add)? = m["add"], !add.isEmpty {
                        out.append(("add", .map(add.keys.sorted().map { ($0, .string(add[$0]?.stringValue ?? "")) })))
                    }
                    list("remove", "remove")
                case .ipPolicy:
                    out.append(("ipPolicies", .list(refNames(m["ip_policy_ids"]).map(YAMLOut.string))))
                case .mutualTls:
                    out.append(("certificateAuthorities", .list(refNames(m["certificate_authority_ids"]).map(YAMLOut.string))))
                case .tlsTermination:
                    out.append(("terminateAt", .string(m["terminate_at"]?.stringValue ?? "edge")))
                    if let v = m["min_version"]?.stringValue { out.append(("minVersion", .string(v))) }
                case .webhookValidation:
                    let provider = m["provider"]?.stringValue ?? ""
                    out.append(("provider", .string(provider)))
                    if provider != "SNS" {
                        out.append(("secret", secret("WEBHOOK", "SECRET", what: "the \(provider) webhook signing secret")))
                    }
                case .oauth:
                    if case .object(let providers)? = m["provider"], let (name, value) = providers.first,
                        case .object(let p) = value
                    {
                        out.append(("provider", .string(name)))
                        if let clientID = p["client_id"]?.stringValue {
                            out.append(("clientId", .string(clientID)))
                            out.append(("clientSecret", secret("OAUTH", "CLIENT_SECRET", what: "the \(name) OAuth client secret")))
                        }
                        list("scopes", "scopes", from: p)
                        list("email_addresses", "emailAddresses", from: p)
                        list("email_domains", "emailDomains", from: p)
                        if name == OAuthProvider.github.rawValue {
                            list("teams", "teams", from: p)
                            list("organizations", "organizations", from: p)
                        }
                    }
                    session(defaultPrefix: "ngrok.")
                    int("auth_check_interval", "authCheckInterval")
                case .oidc:
                    out.append(("issuer", .string(m["issuer"]?.stringValue ?? "")))
                    out.append(("clientId", .string(m["client_id"]?.stringValue ?? "")))
                    out.append(("clientSecret", secret("OIDC", "CLIENT_SECRET", what: "the OIDC client secret")))
                    list("scopes", "scopes")
                    session(defaultPrefix: "")
                case .saml:
                    if let url = m["idp_metadata_url"]?.stringValue, !url.isEmpty {
                        out.append(("idpMetadataUrl", .string(url)))
                    } else {
                        let path = "edges/saml/\(address.name).xml"
                        files[path] = m["idp_metadata"]?.stringValue ?? ""
                        out.append(("idpMetadata", .map([("file", .string("saml/\(address.name).xml"))])))
                    }
                    if m["force_authn"] == .bool(true) { out.append(("forceAuthn", .bool(true))) }
                    if m["allow_idp_initiated"] == .bool(false) { out.append(("allowIdpInitiated", .bool(false))) }
                    list("authorized_groups", "authorizedGroups")
                    if let f = m["nameid_format"]?.stringValue, !f.isEmpty, f != SAMLDefaults.nameidFormat {
                        out.append(("nameidFormat", .string(f)))
                    }
                    session(defaultPrefix: "")
                }
                modules.append((module.rawValue, .map(out)))
            }
            var spec: [(String, YAMLOut)] = [("type", .string(fields["type"]?.stringValue ?? "https"))]
            if !modules.isEmpty { spec.append(("modules", .map(modules))) }
            return spec
        }

        private func strings(_ value: WireValue?) -> [String] {
            switch value {
            case .list(let l)?, .set(let l)?: l.compactMap(\.stringValue)
            default: []
            }
        }

        private func refName(_ value: WireValue?) -> String? {
            guard case .ref(let target)? = value else { return nil }
            return target.address?.name
        }

        private func refNames(_ value: WireValue?) -> [String] {
            switch value {
            case .list(let l)?, .set(let l)?: l.compactMap { refName($0) }
            default: []
            }
        }
    }
}
