import NgrokModel

/// Rules for a whole endpoint configuration: module ⇔ type support, TLS termination upstream,
/// mutual TLS, auth exclusivity, and every module's own rules. Fields are relative to the
/// spec: `modules.<module>.<field>`.
public enum EndpointConfigurationRules {
    /// Auth modules; only one may be enabled.
    public static let authModules: [ModuleName] = [.oauth, .oidc, .saml]

    /// Parses `http` / `https` / `tcp` (ERR_NGROK_1620 / 1622).
    public static func parseType(_ text: String?) -> Result<EndpointType, RuleViolation> {
        guard let text, !text.isEmpty else {
            return .failure(.error(field: "type", "type is required", hint: "use http, https or tcp", code: 1620))
        }
        if let type = EndpointType(rawValue: text) { return .success(type) }
        return .failure(
            .error(
                field: "type", "type must be 'http', 'https' or 'tcp' (it is '\(text)')", code: 1622,
                suggestion: EndpointType(rawValue: text.lowercased())?.rawValue))
    }

    /// One violation (field `modules.<name>`) per module the type does not support (ERR_NGROK_1621).
    public static func unsupportedModules(_ modules: [ModuleName], on type: EndpointType) -> [RuleViolation] {
        modules.filter { !$0.supportedTypes.contains(type) }.map { module in
            let supported = EndpointType.allCases.filter { module.supportedTypes.contains($0) }.map(\.rawValue)
            return .error(
                field: "modules.\(module.rawValue)",
                "the module \(module.rawValue) is not supported on an endpoint configuration of type \(type.rawValue)",
                hint:
                    "\(module.rawValue) works on type \(supported.joined(separator: " and ")); remove it or change the type",
                code: 1621)
        }
    }

    /// Composition rules on the set of modules.
    /// - Parameters:
    ///   - enabled: the configured modules whose `enabled` is true.
    ///   - terminateAt: the TLS termination module's setting when it is configured and enabled.
    public static func compositionViolations(enabled: [ModuleName], terminateAt: TLSTerminationModule.TerminateAt?)
        -> [RuleViolation]
    {
        var out: [RuleViolation] = []
        let auth = authModules.filter(enabled.contains)
        if auth.count > 1 {
            for module in auth.dropFirst() {
                out.append(
                    .error(
                        field: "modules.\(module.rawValue)",
                        "only one of oauth, oidc and saml may be enabled (found \(auth.map(\.rawValue).joined(separator: " and ")))",
                        hint: "keep one authentication module", code: 1679))
            }
        }
        if terminateAt == .upstream {
            for module in enabled
            where module != .tlsTermination && module != .ipPolicy && module != .mutualTls
                && module.supportedTypes != [.http, .https, .tcp]
            {
                out.append(
                    .error(
                        field: "modules.\(module.rawValue)",
                        "the module \(module.rawValue) cannot be used when TLS is terminated upstream",
                        hint: "the edge cannot see the traffic: remove \(module.rawValue) or terminate TLS at the edge",
                        code: 1662))
            }
            if enabled.contains(.mutualTls) {
                out.append(
                    .error(
                        field: "modules.mutualTls", "mutual TLS needs TLS terminated at the edge",
                        hint: "set tlsTermination.terminateAt to edge, or remove mutualTls", code: 1694))
            }
        }
        return out
    }

    /// Every rule for `modules` on a configuration of `type` (references are not resolved here).
    public static func validate(type: EndpointType, modules: EndpointModules) -> [RuleViolation] {
        var out = unsupportedModules(modules.configured, on: type)
        let enabled = modules.configured.filter(modules.isEnabled)
        let termination = modules.tlsTermination.flatMap { $0.enabled ? $0.terminateAt : nil }
        out += compositionViolations(enabled: enabled, terminateAt: termination)
        for module in modules.configured {
            guard let settings = modules[module] else { continue }
            out += ModuleRules.violations(settings).nested(under: "modules.\(module.rawValue)")
        }
        if let m = modules.ipPolicy, m.ipPolicies.isEmpty {
            out.append(
                .error(
                    field: "modules.ipPolicy.ipPolicies", "the ipPolicy module needs at least one IP policy",
                    hint: "list IPPolicy names, or remove the module", code: 1625))
        } else if let m = modules.ipPolicy {
            out += ListRules.nonEmptyUnique(m.ipPolicies, field: "ipPolicies", what: "IP policy").nested(
                under: "modules.ipPolicy")
        }
        if let m = modules.mutualTls, m.certificateAuthorities.isEmpty {
            out.append(
                .error(
                    field: "modules.mutualTls.certificateAuthorities",
                    "the mutualTls module needs at least one certificate authority",
                    hint: "list CertificateAuthority names, or remove the module", code: 1602))
        } else if let m = modules.mutualTls {
            out += ListRules.nonEmptyUnique(
                m.certificateAuthorities, field: "certificateAuthorities", what: "certificate authority"
            )
            .nested(under: "modules.mutualTls")
        }
        return out
    }

    public static func validate(_ spec: EndpointConfigurationSpec) -> [RuleViolation] {
        validate(type: spec.type, modules: spec.modules)
    }
}
