import Emulator
import Foundation
import NgrokAPI
import NgrokModel
import Reconcile
import Synchronization
import TestSupport
import Testing

/// Every pair of module changes on one endpoint configuration attached to a reserved domain
/// (add / remove / swap × authentication, IP policy, mutual TLS, webhook validation, and where
/// TLS terminates): apply succeeds in one run, and a poller reading every attached configuration
/// back to back (2 ms apart, with 5–15 ms of emulator latency on every request) meanwhile never sees
/// one less protected than both the old and the new state. All pairs run in one stack and one apply.
@Suite(.serialized) struct ProtectionOrderTests {
    static let doc = AcceptanceTests.doc

    /// One kind of module change: the module text before and after (nil = absent).
    struct Change {
        var category: String
        var name: String
        var before: String?
        var after: String?
    }

    static let variants: [(category: String, a: String, b: String)] = [
        ("auth", "saml: {idpMetadataUrl: \"https://idp.example.com/metadata\"}", "oauth: {provider: google, emailDomains: [example.com]}"),
        ("ipPolicy", "ipPolicy: {ipPolicies: [pa]}", "ipPolicy: {ipPolicies: [pb]}"),
        ("mutualTls", "mutualTls: {certificateAuthorities: [ca1]}", "mutualTls: {certificateAuthorities: [ca2]}"),
        ("webhook", "webhookValidation: {provider: SNS}", "webhookValidation: {provider: GITHUB, secret: {env: HOOK_SECRET}}"),
    ]

    static var changes: [Change] {
        var out: [Change] = []
        for v in variants {
            out.append(Change(category: v.category, name: "add \(v.category)", before: nil, after: v.a))
            out.append(Change(category: v.category, name: "remove \(v.category)", before: v.a, after: nil))
            out.append(Change(category: v.category, name: "swap \(v.category)", before: v.a, after: v.b))
        }
        out.append(Change(category: "tls", name: "edge→upstream", before: "tlsTermination: {terminateAt: edge}", after: "tlsTermination: {terminateAt: upstream}"))
        out.append(Change(category: "tls", name: "upstream→edge", before: "tlsTermination: {terminateAt: upstream}", after: "tlsTermination: {terminateAt: edge}"))
        return out
    }

    /// Modules the edge needs to see the traffic for: not allowed with TLS terminated upstream.
    static func valid(_ modules: [String]) -> Bool {
        guard modules.contains(where: { $0.contains("upstream") }) else { return true }
        return !modules.contains { $0.hasPrefix("saml") || $0.hasPrefix("oauth") || $0.hasPrefix("mutualTls") || $0.hasPrefix("webhook") }
    }

    struct Pair {
        var name: String
        var before: [String]
        var after: [String]
    }

    /// Every two changes of different categories whose two endpoints are valid.
    static var pairs: [Pair] {
        var out: [Pair] = []
        let all = changes
        for (i, first) in all.enumerated() {
            for second in all[(i + 1)...] where second.category != first.category {
                let before = [first.before, second.before].compactMap { $0 }
                let after = [first.after, second.after].compactMap { $0 }
                guard valid(before), valid(after) else { continue }
                out.append(Pair(name: "\(first.name) + \(second.name)", before: before, after: after))
            }
        }
        return out
    }

    static func protections(_ modules: [String]) -> Set<String> {
        var out: Set<String> = []
        for m in modules {
            if m.hasPrefix("saml") || m.hasPrefix("oauth") { out.insert("authentication") }
            if m.hasPrefix("ipPolicy") { out.insert("ip_policy") }
            if m.hasPrefix("mutualTls") { out.insert("mutual_tls") }
            if m.hasPrefix("webhook") { out.insert("webhook_validation") }
        }
        return out
    }

    /// Protections present on a configuration as the API returns it.
    static func protections(_ json: [String: WireValue]) -> Set<String> {
        func on(_ key: String) -> Bool {
            guard case .object(let m)? = json[key] else { return false }
            return m["enabled"] != .bool(false)
        }
        var out: Set<String> = []
        if on("oauth") || on("oidc") || on("saml") { out.insert("authentication") }
        for key in ["ip_policy", "mutual_tls", "webhook_validation"] where on(key) { out.insert(key) }
        return out
    }

    static func stack(_ pairs: [Pair], after: Bool) -> String {
        var out = doc("IPPolicy", "pa", "rules: [{cidr: 10.0.0.0/8}]") + doc("IPPolicy", "pb", "rules: [{cidr: 192.168.0.0/16}]")
        out += doc("CertificateAuthority", "ca1", "caPem: {file: ca.pem}") + doc("CertificateAuthority", "ca2", "caPem: {file: ca2.pem}")
        for (i, pair) in pairs.enumerated() {
            let modules = after ? pair.after : pair.before
            let body = modules.isEmpty ? " {}" : "\n" + modules.map { "  " + $0 }.joined(separator: "\n")
            out += doc("EndpointConfiguration", "c\(i)", "type: https\nmodules:\(body)")
            out += doc("ReservedDomain", "d\(i)", "domain: d\(i).example.com\nhttpsEndpointConfiguration: c\(i)")
        }
        return out
    }

    @Test func everyPairKeepsProtectionOnAnAttachedConfiguration() async throws {
        let pairs = Self.pairs
        #expect(pairs.count > 50)
        let h = try await Harness.start(
            faults: FaultConfiguration(latency: .init(min: .milliseconds(5), max: .milliseconds(15))),
            environment: ["HOOK_SECRET": "hook-secret-value"])
        let certs = try TestPKI.writeFiles(in: h.directory)
        _ = certs
        try h.write(Self.stack(pairs, after: false))
        try await h.converge(rounds: 2)
        try await h.expectEmptyPlan()

        try h.write(Self.stack(pairs, after: true))
        let plan = try await h.plan()
        #expect(plan.errors.isEmpty, "\(plan.errors)")
        // An auth provider swap replaces the configuration, and says why.
        for (i, pair) in pairs.enumerated() where pair.name.contains("swap auth") {
            #expect(plan.operations.contains {
                $0.address == ResourceAddress(.endpointConfiguration, "c\(i)") && $0.action == .create
                    && $0.reason.hasPrefix("replace: avoids an unauthenticated window")
            }, "\(pair.name)")
        }
        // A change of where TLS terminates on an attached configuration is flagged disruptive.
        for (i, pair) in pairs.enumerated() where pair.name.contains("→") {
            #expect(plan.operations.contains {
                $0.address == ResourceAddress(.endpointConfiguration, "c\(i)") && $0.disruptive
            }, "\(pair.name)")
        }
        #expect(PlanRenderer.markdown(plan).contains("disruptive change(s)"))

        // The poller: domains, then the configuration each uses, every few milliseconds.
        let required = pairs.map { Self.protections($0.before).intersection(Self.protections($0.after)) }
        let violations = Mutex<[String]>([])
        let polls = Mutex(0)
        let stop = Mutex(false)
        // Its own client and budget, so that the apply does not starve it.
        let api = NgrokClientAPI(
            client: NgrokClient(
                configuration: NgrokClientConfiguration(baseURL: h.server.baseURL!, apiKey: APIKey(Harness.apiKey)),
                budget: .unlimited(concurrency: 2)))
        let poller = Task {
            while !stop.withLock({ $0 }) {
                guard let domains = try? await api.listAll(.reservedDomains),
                    let configurations = try? await api.listAll(.endpointConfigurations)
                else { continue }
                var byID: [String: [String: WireValue]] = [:]
                for c in configurations { if let id = c["id"]?.stringValue { byID[id] = c } }
                for domain in domains {
                    guard let name = domain["domain"]?.stringValue, name.hasPrefix("d"),
                        let index = Int(name.dropFirst().prefix { $0.isNumber }), index < pairs.count,
                        case .object(let ref)? = domain["https_endpoint_configuration"],
                        let id = ref["id"]?.stringValue, let configuration = byID[id]
                    else { continue }
                    let seen = Self.protections(configuration)
                    if !seen.isSuperset(of: required[index]) {
                        violations.withLock {
                            $0.append("\(pairs[index].name): saw \(seen.sorted()), needs \(required[index].sorted())")
                        }
                    }
                }
                polls.withLock { $0 += 1 }
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        let result = await h.apply(plan, concurrency: 8)
        stop.withLock { $0 = true }
        await poller.value
        #expect(result.ok, "apply failed: \(result.outcomes.filter { if case .succeeded = $0.value { false } else { true } })")
        #expect(polls.withLock { $0 } > 0)
        #expect(violations.withLock { $0 }.isEmpty, "\(violations.withLock { $0 }.prefix(10))")
        try await h.expectEmptyPlan()
        await h.stop()
    }
}
