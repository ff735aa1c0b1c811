/// Credential ACL rules: `*` (no restriction) or `bind:<domain>`, `bind:*.<domain>`,
/// `bind:<host>:<port>` (ERR_NGROK_600).
public enum ACLRule {
    /// The rule that allows binding anything.
    public static let any = "*"

    /// Checks one rule.
    public static func validate(_ rule: String) -> RuleViolation? {
        let hint = "an ACL rule is '*' or 'bind:' followed by a domain (app.example.com), a wildcard domain (*.example.com) or an address (1.tcp.ngrok.io:20002)"
        if rule == any { return nil }
        guard rule.hasPrefix("bind:") else {
            if rule.lowercased().hasPrefix("bind:") {
                return .error("'\(rule)' must start with 'bind:' in lower case", hint: hint, code: 600,
                    suggestion: "bind:" + rule.dropFirst(5))
            }
            return .error("'\(rule)' is not a valid ACL rule", hint: hint, code: 600)
        }
        let value = String(rule.dropFirst(5))
        guard !value.isEmpty else { return .error("'\(rule)' binds nothing", hint: hint, code: 600) }
        if let colon = value.lastIndex(of: ":") {
            let host = String(value[..<colon])
            let port = value[value.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port),
                (1...65535).contains(number)
            else {
                return .error("'\(rule)' has an invalid port '\(port)'", hint: "ports are 1 to 65535", code: 600)
            }
            if IPAddress(host) != nil { return nil }
            if DomainName.validateHostname(host) != nil {
                return .error("'\(rule)' has an invalid host '\(host)'", hint: hint, code: 600)
            }
            return nil
        }
        if DomainName.validateHostname(value, allowWildcard: true) != nil {
            return .error("'\(rule)' does not bind a valid domain", hint: hint, code: 600)
        }
        return nil
    }

    /// Checks a list: each rule (field `[i]`), duplicates and a redundant `*` (warnings).
    /// An empty list is valid for the API (no restriction); manifests refuse it separately.
    public static func validate(_ rules: [String]) -> [RuleViolation] {
        var out: [RuleViolation] = []
        var seen: Set<String> = []
        for (i, rule) in rules.enumerated() {
            if var problem = validate(rule) {
                problem.field = "[\(i)]"
                out.append(problem)
            }
            if !seen.insert(rule.lowercased()).inserted {
                out.append(.warning(field: "[\(i)]", "'\(rule)' is listed twice", hint: "remove the duplicate"))
            }
        }
        if rules.count > 1, let star = rules.firstIndex(of: any) {
            out.append(
                .warning(
                    field: "[\(star)]", "'*' allows binding anything, so the other rules have no effect",
                    hint: "remove '*' to restrict the credential, or the other rules to keep it unrestricted"))
        }
        return out
    }
}
