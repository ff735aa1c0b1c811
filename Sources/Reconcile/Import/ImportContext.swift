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

        /// The configuration's modules in manifest spelling, field by field as `APIVocabulary`
        /// declares them; a field at its default is left out, so the manifest says what was chosen.
        private mutating func endpointConfiguration() -> [(String, YAMLOut)] {
            var modules: [(String, YAMLOut)] = []
            for module in ModuleName.allCases {
                guard case .object(let m)? = fields[module.apiName] else { continue }
                let vocabulary = APIVocabulary.module(module)
                var out: [(String, YAMLOut)] = []
                var block: [String: WireValue] = [:]
                let selector = vocabulary.selectorField
                if let selector, case .object(let providers)? = m[selector.request],
                    case .object(let p)? = providers.values.first
                {
                    block = p
                }
                for field in vocabulary.fields {
                    if field.manifest == selector?.manifest, case .object(let providers)? = m[field.request] {
                        providers.keys.first.map { out.append((field.manifest, .string($0))) }
                        continue
                    }
                    let value = (field.inProviderBlock ? block : m)[field.request]
                    if let yaml = manifestValue(value, field, module: module) { out.append((field.manifest, yaml)) }
                }
                modules.append((module.rawValue, .map(out)))
            }
            var spec: [(String, YAMLOut)] = [("type", .string(fields["type"]?.stringValue ?? "https"))]
            if !modules.isEmpty { spec.append(("modules", .map(modules))) }
            return spec
        }

        /// One normalised module field in manifest spelling; nil when it is at its default.
        private mutating func manifestValue(_ value: WireValue?, _ field: ModuleField, module: ModuleName) -> YAMLOut? {
            guard let value, field.isRequired || value != field.absentValue else { return nil }
            switch field.type {
            case .boolean:
                if case .bool(let b) = value { return .bool(b) }
            case .integer, .duration:
                if case .int(let i) = value { return .int(i) }
            case .number:
                if case .double(let d) = value { return .double(d) }
            case .string, .choice:
                if let s = value.stringValue { return .string(s) }
            case .textOrFile:
                guard let text = value.stringValue, !text.isEmpty else { return nil }
                let file = "\(module.rawValue.lowercased())/\(address.name)-\(field.manifest).\(Self.fileExtension(text))"
                files["edges/" + file] = text
                return .map([("file", .string(file))])
            case .secret:
                let words = Self.words(field.manifest)
                let prefix = Self.words(module.rawValue).first ?? module.rawValue
                return secret(
                    prefix.uppercased(), words.joined(separator: "_").uppercased(),
                    what: "the \(APIVocabulary.module(module).title) \(words.joined(separator: " ").lowercased())")
            case .strings, .headerNames:
                let values = strings(value)
                return values.isEmpty ? nil : .list(values.map(YAMLOut.string))
            case .headerMap:
                if case .object(let add) = value, !add.isEmpty {
                    return .map(add.keys.sorted().map { ($0, .string(add[$0]?.stringValue ?? "")) })
                }
            case .references:
                return .list(refNames(value).map(YAMLOut.string))
            }
            return nil
        }

        /// `clientSecret` → `client`, `Secret`; `webhookValidation` → `webhook`, `Validation`.
        static func words(_ name: String) -> [String] {
            var out: [String] = []
            for character in name {
                if character.isUppercase || out.isEmpty { out.append("") }
                out[out.count - 1].append(character)
            }
            return out
        }

        static func fileExtension(_ text: String) -> String {
            text.drop { $0.isWhitespace }.hasPrefix("<") ? "xml" : "txt"
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
