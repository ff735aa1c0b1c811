import Foundation
import NgrokModel
import Validation

/// The effective configuration of a reserved domain or address: each slot's endpoint
/// configuration with its modules (termination, authentication, IP policies and their rules,
/// mutual TLS CAs, headers, circuit breaker, compression, webhook validation) and the certificate.
/// Secrets are never shown.
public struct EndpointExplainer: Sendable {
    public struct Explanation: Sendable {
        public var endpoint: String
        public var host: String
        public var origin: String
        /// Ordered lines: indentation level, label, text.
        public var lines: [(level: Int, label: String, text: String)]
        public var json: WireValue

        public var text: String {
            var out = "\(endpoint): \(host) (\(origin))\n"
            for line in lines {
                out += String(repeating: "  ", count: line.level + 1) + line.label + (line.text.isEmpty ? "" : ": " + line.text) + "\n"
            }
            return out
        }
    }

    public var view: AccountView

    public init(view: AccountView) { self.view = view }

    public func explain(_ query: String) throws(EndpointLookup.NotFound) -> Explanation {
        let found = try EndpointLookup(view: view).find(query)
        var lines: [(Int, String, String)] = []
        var json: [String: WireValue] = ["origin": .string(view.origin)]
        let object = found.object
        json["endpoint"] = .string(object.address.description)
        if !object.description.isEmpty { lines.append((0, "description", Self.quoted(object.description))) }
        let host: String
        var slots: [(String, ResourceAddress?)] = []
        switch found {
        case .domain(let domain, let how):
            host = EndpointLookup.hostname(domain)
            json["host"] = .string(host)
            json["match"] = .string(how)
            lines.append((0, "matched", how))
            lines.append((0, "region", domain.fields["region"]?.stringValue ?? "us"))
            let certificate = certificateSummary(domain)
            lines.append((0, "certificate", certificate.text))
            json["certificate"] = certificate.json
            slots = [
                ("http", AccountView.referencedName(domain.fields["http_endpoint_configuration_id"])),
                ("https", AccountView.referencedName(domain.fields["https_endpoint_configuration_id"])),
            ]
        case .address(let address):
            host = address.addr ?? "(address assigned by ngrok)"
            json["host"] = .string(host)
            lines.append((0, "region", address.fields["region"]?.stringValue ?? "us"))
            slots = [("tcp", AccountView.referencedName(address.fields["endpoint_configuration_id"]))]
        }
        var slotValues: [String: WireValue] = [:]
        for (slot, configurationAddress) in slots {
            guard let configurationAddress, let configuration = view.object(configurationAddress) else {
                lines.append((0, slot, "no endpoint configuration attached (no modules apply)"))
                slotValues[slot] = .null
                continue
            }
            let type = configuration.fields["type"]?.stringValue ?? slot
            lines.append((0, slot, "\(configurationAddress) (type \(type))"))
            var modules: [String: WireValue] = [:]
            for (label, text, value) in moduleLines(configuration, type: type) {
                lines.append((1, label, text))
                modules[label] = value
            }
            slotValues[slot] = .object([
                "configuration": .string(configurationAddress.name), "type": .string(type), "modules": .object(modules),
            ])
        }
        json["slots"] = .object(slotValues)
        return Explanation(endpoint: object.address.description, host: host, origin: view.origin, lines: lines, json: .object(json))
    }

    private func certificateSummary(_ domain: AccountView.Object) -> (text: String, json: WireValue) {
        if case .object(let policy)? = domain.fields["certificate_management_policy"] {
            let authority = policy["authority"]?.stringValue ?? "letsencrypt"
            let keyType = policy["private_key_type"]?.stringValue ?? "rsa"
            return (
                "managed by ngrok (\(authority), \(keyType) key)",
                .object(["managed": .bool(true), "authority": .string(authority), "privateKeyType": .string(keyType)])
            )
        }
        guard let address = AccountView.referencedName(domain.fields["certificate_id"]) else {
            return ("none attached (ngrok's default certificate)", .null)
        }
        guard let certificate = view.object(address),
            let info = try? CertificateInfo(pem: certificate.fields["certificate_pem"]?.stringValue ?? "")
        else { return ("\(address)", .object(["name": .string(address.name)])) }
        let names = info.dnsNames.isEmpty ? "" : ", names " + info.dnsNames.joined(separator: ", ")
        return (
            "\(address): CN=\(info.subjectCommonName)\(names), expires \(info.notAfter)",
            .object([
                "name": .string(address.name), "commonName": .string(info.subjectCommonName),
                "dnsNames": .strings(info.dnsNames), "notAfter": .string(info.notAfter),
            ])
        )
    }

    private func moduleLines(_ configuration: AccountView.Object, type: String) -> [(String, String, WireValue)] {
        var out: [(String, String, WireValue)] = []
        let fields = configuration.fields
        func module(_ name: ModuleName) -> [String: WireValue]? {
            guard case .object(let m)? = fields[name.apiName] else { return nil }
            return m
        }
        func enabled(_ m: [String: WireValue]) -> Bool { m["enabled"] != .bool(false) }
        func state(_ m: [String: WireValue]) -> String { enabled(m) ? "" : " (disabled)" }

        if type == "https" {
            if let m = module(.tlsTermination) {
                let at = m["terminate_at"]?.stringValue ?? "edge"
                let min = m["min_version"]?.stringValue.map { ", minimum TLS \($0)" } ?? ""
                out.append(("tlsTermination", "terminate at \(at)\(min)\(state(m))", Self.named(.object(m))))
            } else {
                out.append(("tlsTermination", "terminate at edge (default, no module)", .null))
            }
        }
        var authentication: [String] = []
        if let m = module(.oauth) {
            var provider = "?"
            var details: [String] = []
            if case .object(let providers)? = m["provider"], let (name, value) = providers.first {
                provider = name
                if case .object(let p) = value {
                    details.append(p["client_id"]?.stringValue.map { "own app \($0)" } ?? "ngrok's managed app")
                    for key in ["email_addresses", "email_domains", "teams", "organizations"] {
                        let values = Self.strings(p[key])
                        if !values.isEmpty { details.append("\(key.replacingOccurrences(of: "_", with: " ")): \(values.joined(separator: ", "))") }
                    }
                }
            }
            authentication.append("oauth \(provider)\(state(m)): " + details.joined(separator: "; "))
            out.append(("oauth", "\(provider)\(state(m))", Self.named(.object(m))))
        }
        if let m = module(.oidc) {
            authentication.append("oidc\(state(m)): issuer \(m["issuer"]?.stringValue ?? ""), client \(m["client_id"]?.stringValue ?? "")")
            out.append(("oidc", "issuer \(m["issuer"]?.stringValue ?? "")\(state(m))", Self.named(.object(m))))
        }
        if let m = module(.saml) {
            let source = m["idp_metadata_url"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "inline IdP metadata"
            let groups = Self.strings(m["authorized_groups"])
            authentication.append(
                "saml\(state(m)): \(source)" + (groups.isEmpty ? "" : "; groups: " + groups.joined(separator: ", ")))
            out.append(("saml", source + state(m), Self.named(.object(m))))
        }
        if type == "https" || !authentication.isEmpty {
            out.insert(
                ("authentication", authentication.isEmpty ? "none" : authentication.joined(separator: " | "), .null),
                at: type == "https" ? 1 : 0)
        }
        if let m = module(.ipPolicy) {
            var parts: [String] = []
            for address in AccountView.referencedNames(m["ip_policy_ids"]) {
                guard let policy = view.object(address) else {
                    parts.append("\(address.name) (missing)")
                    continue
                }
                let action = policy.fields["action"]?.stringValue ?? "allow"
                let rules = policy.rules.isEmpty ? "no rules: matches nothing" : policy.rules.map(\.cidr).joined(separator: ", ")
                parts.append("\(address.name) (\(action): \(rules))")
            }
            out.append(("ipPolicy", parts.joined(separator: "; ") + state(m), Self.named(.object(m))))
        }
        if let m = module(.mutualTls) {
            var parts: [String] = []
            for address in AccountView.referencedNames(m["certificate_authority_ids"]) {
                let cn = view.object(address).flatMap { try? CertificateInfo(pem: $0.fields["ca_pem"]?.stringValue ?? "") }
                parts.append(address.name + (cn.map { " (CN=\($0.subjectCommonName), expires \($0.notAfter))" } ?? ""))
            }
            out.append(("mutualTls", "client certificates signed by " + parts.joined(separator: ", ") + state(m), Self.named(.object(m))))
        }
        for name in [ModuleName.requestHeaders, .responseHeaders] {
            guard let m = module(name) else { continue }
            var parts: [String] = []
            if case .object(let add)? = m["add"], !add.isEmpty {
                parts.append("add " + add.keys.sorted().map { "\($0): \(add[$0]?.stringValue ?? "")" }.joined(separator: ", "))
            }
            let remove = Self.strings(m["remove"])
            if !remove.isEmpty { parts.append("remove " + remove.joined(separator: ", ")) }
            out.append((name.rawValue, (parts.isEmpty ? "no changes" : parts.joined(separator: "; ")) + state(m), Self.named(.object(m))))
        }
        if let m = module(.circuitBreaker) {
            let text = ["tripped_duration", "rolling_window", "num_buckets", "volume_threshold", "error_threshold_percentage"]
                .map { "\($0.replacingOccurrences(of: "_", with: " ")) \(m[$0]?.display ?? "0")" }.joined(separator: ", ")
            out.append(("circuitBreaker", text + state(m), Self.named(.object(m))))
        }
        if let m = module(.compression) {
            out.append(("compression", enabled(m) ? "on" : "off (disabled)", Self.named(.object(m))))
        }
        if let m = module(.webhookValidation) {
            out.append(("webhookValidation", "provider \(m["provider"]?.stringValue ?? "")\(state(m))", Self.named(.object(m))))
        }
        return out
    }

    static func strings(_ value: WireValue?) -> [String] {
        switch value {
        case .list(let l)?, .set(let l)?: l.compactMap(\.stringValue)
        default: []
        }
    }

    static func quoted(_ s: String) -> String { WireValue.string(s).display }

    /// References by name, secrets redacted.
    static func named(_ value: WireValue) -> WireValue {
        switch value {
        case .null, .bool, .int, .double, .string: value
        case .list(let l), .set(let l): .list(l.map(named))
        case .object(let o): .object(o.mapValues(named))
        case .ref(let target): target.address.map { .string($0.name) } ?? .null
        case .secret: .string("(sensitive)")
        }
    }
}
