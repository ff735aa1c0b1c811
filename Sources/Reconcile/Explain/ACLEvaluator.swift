import NgrokModel
import Validation

/// May a credential's authtoken bind a hostname or TCP address? ACL rules: `*` (anything), an
/// exact `bind:<domain>`, `bind:*.<domain>` (any subdomain at any depth, not the domain itself),
/// `bind:<host>:<port>` (that TCP address only). A credential with an empty ACL binds anything.
public struct ACLEvaluator: Sendable {
    public struct Decision: Sendable, Hashable {
        public var allowed: Bool
        public var credential: String
        public var host: String
        /// The rule that allowed, if one did.
        public var rule: String?
        public var steps: [ExplainStep]

        public var wireValue: WireValue {
            .object([
                "allowed": .bool(allowed), "credential": .string(credential), "host": .string(host),
                "rule": rule.map(WireValue.string) ?? .null, "steps": .list(steps.map(\.wireValue)),
            ])
        }

        public var text: String {
            var out = "\(allowed ? "ALLOWED" : "DENIED"): Credential/\(credential) binding \(host)"
            out += rule.map { " (rule \($0))\n" } ?? "\n"
            for step in steps { out += "  [\(step.outcome.rawValue)] \(step.check): \(step.detail)\n" }
            return out
        }
    }

    public struct NotFound: Error, CustomStringConvertible {
        public var credential: String
        public var origin: String
        public var known: [String]
        public var description: String {
            "no credential \"\(credential)\" (\(origin)); known: "
                + (known.isEmpty ? "none" : known.prefix(20).joined(separator: ", "))
        }
    }

    public var view: AccountView

    public init(view: AccountView) { self.view = view }

    /// `credential` is a name (manifest name, marker name or derived name) or, live, an ID.
    public func evaluate(credential: String, host: String) throws(NotFound) -> Decision {
        let credentials = view.all(.credential)
        guard let object = credentials.first(where: { $0.name == credential || $0.id == credential }) else {
            throw NotFound(credential: credential, origin: view.origin, known: credentials.map(\.name))
        }
        let acl: [String]
        switch object.fields["acl"] {
        case .set(let l)?, .list(let l)?: acl = l.compactMap(\.stringValue)
        default: acl = []
        }
        return Self.evaluate(acl: acl, credential: object.name, host: host)
    }

    public static func evaluate(acl: [String], credential: String, host: String) -> Decision {
        var steps: [ExplainStep] = []
        if acl.isEmpty {
            steps.append(.init("acl", .allow, "the credential has no ACL rules, so it may bind anything"))
            return Decision(allowed: true, credential: credential, host: host, rule: nil, steps: steps)
        }
        var allowedBy: String?
        for rule in acl {
            let (hit, why) = matches(rule: rule, host: host)
            steps.append(.init("rule \(rule)", hit ? .match : .noMatch, why))
            if hit, allowedBy == nil { allowedBy = rule }
        }
        steps.append(
            allowedBy.map { .init("acl", .allow, "allowed by \($0)") }
                ?? .init("acl", .deny, "none of the \(acl.count) rules allows binding \(host)"))
        return Decision(allowed: allowedBy != nil, credential: credential, host: host, rule: allowedBy, steps: steps)
    }

    /// Whether one rule allows binding `host` (`name`, `*.name` or `host:port`), and why.
    public static func matches(rule: String, host: String) -> (Bool, String) {
        if rule == ACLRule.any { return (true, "'*' allows binding anything") }
        guard rule.hasPrefix("bind:") else { return (false, "not a bind rule") }
        let target = String(rule.dropFirst(5)).lowercased()
        let wanted = host.lowercased()
        let (ruleHost, rulePort) = EndpointLookup.split(target)
        let (wantedHost, wantedPort) = EndpointLookup.split(wanted)
        switch (rulePort, wantedPort) {
        case (let rp?, let wp?):
            if ruleHost == wantedHost && rp == wp { return (true, "the same TCP address") }
            return (false, ruleHost == wantedHost ? "another port (\(rp))" : "another TCP address")
        case (.some, nil):
            return (false, "binds a TCP address, not a hostname")
        case (nil, .some):
            return (false, "binds a hostname, not a TCP address")
        case (nil, nil):
            if target == wanted { return (true, "exact name") }
            if target.hasPrefix("*.") {
                if DomainPattern.covers(pattern: target, host: wanted) {
                    return (true, "\(wanted) is below \(target.dropFirst(2))")
                }
                if wanted == target.dropFirst(2) { return (false, "a wildcard does not cover the domain itself") }
                return (false, "\(wanted) is not below \(target.dropFirst(2))")
            }
            return (false, "another name")
        }
    }
}
