import NgrokModel
import Validation

/// One line of an explanation: what was checked and what came of it.
public struct ExplainStep: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case info, match, noMatch = "no-match", allow, deny, skip
    }
    public var check: String
    public var outcome: Outcome
    public var detail: String

    public init(_ check: String, _ outcome: Outcome, _ detail: String) {
        self.check = check
        self.outcome = outcome
        self.detail = detail
    }

    public var wireValue: WireValue {
        .object(["check": .string(check), "result": .string(outcome.rawValue), "detail": .string(detail)])
    }
}

/// Would a connection from an IP be let through to a reserved domain or address by the edge?
///
/// The link docs' rules: the IP policy module admits an address that matches the union of its
/// `allow` policies (any address when only `deny` policies are attached; a policy with no rules
/// matches nothing) and no rule of its `deny` policies; when the account has IP whitelist entries,
/// the address must also match one of them (the intersection). No module and no whitelist: open.
public struct AccessEvaluator: Sendable {
    public enum Scheme: String, Sendable, Hashable, CaseIterable {
        case http, https
    }

    public struct Decision: Sendable, Hashable {
        public var allowed: Bool
        public var host: String
        public var ip: String
        /// The endpoint configuration that applied (its name), if any.
        public var configuration: String?
        /// What decided: `ipPolicy module of EndpointConfiguration/x`, `IP whitelist`, or `open`.
        public var decidedBy: String
        public var steps: [ExplainStep]

        public var wireValue: WireValue {
            .object([
                "allowed": .bool(allowed), "host": .string(host), "ip": .string(ip),
                "configuration": configuration.map(WireValue.string) ?? .null, "decidedBy": .string(decidedBy),
                "steps": .list(steps.map(\.wireValue)),
            ])
        }

        public var text: String {
            var out = "\(allowed ? "ALLOWED" : "DENIED"): \(ip) → \(host) (decided by \(decidedBy))\n"
            for step in steps { out += "  [\(step.outcome.rawValue)] \(step.check): \(step.detail)\n" }
            return out
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case badIP(String)
        case notFound(EndpointLookup.NotFound)
        public var description: String {
            switch self {
            case .badIP(let ip): "'\(ip)' is not an IPv4 or IPv6 address"
            case .notFound(let e): e.description
            }
        }
    }

    public var view: AccountView

    public init(view: AccountView) { self.view = view }

    public func evaluate(ip ipText: String, host: String, scheme requested: Scheme? = nil) throws(Failure) -> Decision {
        guard let ip = IPAddress(ipText) else { throw .badIP(ipText) }
        let found: EndpointLookup.Found
        do { found = try EndpointLookup(view: view).find(host) } catch { throw .notFound(error) }
        var steps: [ExplainStep] = []
        let configuration: ResourceAddress?
        switch found {
        case .domain(let domain, let how):
            let port = EndpointLookup.split(host).port
            let scheme = requested ?? (port == 80 ? .http : .https)
            steps.append(.init("endpoint", .info, "\(domain.address) (\(EndpointLookup.hostname(domain)), \(how)), \(scheme.rawValue) slot"))
            configuration = AccountView.referencedName(domain.fields["\(scheme.rawValue)_endpoint_configuration_id"])
            if let configuration {
                steps.append(.init("\(scheme.rawValue) slot", .info, "\(configuration)"))
            } else {
                steps.append(.init("\(scheme.rawValue) slot", .info, "no endpoint configuration attached"))
            }
        case .address(let address):
            steps.append(.init("endpoint", .info, "\(address.address)" + (address.addr.map { " (\($0))" } ?? "")))
            configuration = AccountView.referencedName(address.fields["endpoint_configuration_id"])
            steps.append(.init("tcp", .info, configuration.map(\.description) ?? "no endpoint configuration attached"))
        }

        // The configuration's IP policy module.
        var moduleAllows = true
        var moduleDecided = false
        if let configuration, let config = view.object(configuration) {
            let module = config.fields["ip_policy"] ?? .null
            if module == .null {
                steps.append(.init("ipPolicy module", .skip, "\(configuration) has no IP policy module"))
            } else if module["enabled"] == .bool(false) {
                steps.append(.init("ipPolicy module", .skip, "\(configuration) has an IP policy module, disabled (enabled: false)"))
            } else {
                moduleDecided = true
                let policies = AccountView.referencedNames(module["ip_policy_ids"]).compactMap { view.object($0) }
                moduleAllows = evaluateModule(ip, policies: policies, configuration: configuration, steps: &steps)
            }
        } else if let configuration {
            steps.append(.init("ipPolicy module", .skip, "\(configuration) is not in the \(view.origin) account"))
        }

        // The account's IP whitelist.
        let entries = view.all(.ipWhitelistEntry)
        var whitelistAllows = true
        if entries.isEmpty {
            steps.append(.init("IP whitelist", .skip, "the account has no IP whitelist entries"))
        } else {
            whitelistAllows = false
            for entry in entries {
                let net = entry.fields["ip_net"]?.stringValue ?? ""
                let matches = Self.matches(ip, net)
                steps.append(.init("IP whitelist \(entry.address.name)", matches ? .match : .noMatch, net))
                if matches { whitelistAllows = true }
            }
            steps.append(
                .init(
                    "IP whitelist", whitelistAllows ? .allow : .deny,
                    whitelistAllows ? "\(ip) is on the whitelist" : "\(ip) matches none of the \(entries.count) whitelist entries"))
        }

        let allowed = moduleAllows && whitelistAllows
        let moduleName = configuration.map { "ipPolicy module of \($0)" } ?? "ipPolicy module"
        let decidedBy: String
        if !moduleAllows {
            decidedBy = moduleName
        } else if !whitelistAllows {
            decidedBy = "IP whitelist"
        } else if moduleDecided && !entries.isEmpty {
            decidedBy = "\(moduleName) and IP whitelist"
        } else if moduleDecided {
            decidedBy = moduleName
        } else if !entries.isEmpty {
            decidedBy = "IP whitelist"
        } else {
            decidedBy = "open (no IP policy module, no IP whitelist)"
        }
        return Decision(
            allowed: allowed, host: host, ip: ip.description, configuration: configuration?.name, decidedBy: decidedBy,
            steps: steps)
    }

    /// The union of the allow policies, minus every deny rule.
    private func evaluateModule(
        _ ip: IPAddress, policies: [AccountView.Object], configuration: ResourceAddress, steps: inout [ExplainStep]
    ) -> Bool {
        var allowPolicies = 0
        var allowMatched = false
        var denyMatched = false
        for policy in policies {
            let action = policy.fields["action"]?.stringValue ?? "allow"
            if action == "allow" { allowPolicies += 1 }
            if policy.rules.isEmpty {
                steps.append(.init("\(policy.address) (\(action))", .noMatch, "has no rules, so it matches nothing"))
                continue
            }
            var matched = false
            for rule in policy.rules {
                let hit = Self.matches(ip, rule.cidr)
                let note = rule.description.isEmpty ? "" : " (\(rule.description))"
                steps.append(.init("\(policy.address) (\(action)) rule \(rule.cidr)", hit ? .match : .noMatch, rule.cidr + note))
                if hit { matched = true }
            }
            if matched { if action == "allow" { allowMatched = true } else { denyMatched = true } }
        }
        let allowed: Bool
        let why: String
        if denyMatched {
            allowed = false
            why = "\(ip) matches a rule of a deny policy"
        } else if allowPolicies == 0 {
            allowed = true
            why = "only deny policies are attached and none matches \(ip)"
        } else if allowMatched {
            allowed = true
            why = "\(ip) matches the union of the allow policies (\(allowPolicies))"
        } else {
            allowed = false
            why = "\(ip) matches none of the allow policies (\(allowPolicies))"
        }
        steps.append(.init("ipPolicy module of \(configuration)", allowed ? .allow : .deny, why))
        return allowed
    }

    static func matches(_ ip: IPAddress, _ cidr: String) -> Bool {
        guard let network = try? CIDR(parsing: cidr, requireNetworkAddress: false) else { return false }
        return network.contains(ip)
    }
}
