import Foundation
import Manifests
import NgrokModel
import Reconcile
import Testing

/// Access and bind cases derived from the link docs (IP policies are a union; deny policies
/// subtract; an empty policy matches nothing; the IP whitelist is intersected with the policies;
/// ACLs bind exact names, leading wildcards at any depth and TCP addresses). Each case is checked
/// offline on the manifests and live on the emulator after applying them, with the same answer.
@Suite(.serialized) struct ExplainTableTests {
    static let doc = AcceptanceTests.doc

    enum Query: Sendable, CustomStringConvertible {
        case access(ip: String, host: String, scheme: AccessEvaluator.Scheme?)
        case bind(credential: String, host: String)

        var description: String {
            switch self {
            case .access(let ip, let host, let scheme): "access \(ip) → \(host)" + (scheme.map { " (\($0.rawValue))" } ?? "")
            case .bind(let credential, let host): "bind \(credential) → \(host)"
            }
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var query: Query
        var allowed: Bool
        /// Why, from the link docs.
        var why: String
        var description: String { "\(query): \(allowed ? "allowed" : "denied") (\(why))" }
    }

    static func access(_ ip: String, _ host: String, _ allowed: Bool, _ why: String, scheme: AccessEvaluator.Scheme? = nil) -> Case {
        Case(query: .access(ip: ip, host: host, scheme: scheme), allowed: allowed, why: why)
    }

    static func bind(_ credential: String, _ host: String, _ allowed: Bool, _ why: String) -> Case {
        Case(query: .bind(credential: credential, host: host), allowed: allowed, why: why)
    }

    // MARK: Setup 1: IP policies, no whitelist; credentials

    static func ec(_ name: String, _ type: String, _ modules: String) -> String {
        doc("EndpointConfiguration", name, "type: \(type)\nmodules:\n" + modules.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    }

    static func domain(_ name: String, _ host: String, https: String? = nil, http: String? = nil) -> String {
        var spec = "domain: \"\(host)\""
        if let https { spec += "\nhttpsEndpointConfiguration: \(https)" }
        if let http { spec += "\nhttpEndpointConfiguration: \(http)" }
        return doc("ReservedDomain", name, spec)
    }

    static let policies =
        doc("IPPolicy", "office", "rules:\n  - {cidr: 203.0.113.0/24, description: Paris}\n  - cidr: 198.51.100.17")
        + doc("IPPolicy", "ci", "rules: [{cidr: 192.0.2.0/26}]")
        + doc("IPPolicy", "abusers", "action: deny\nrules: [{cidr: 100.64.0.0/10}]")
        + doc("IPPolicy", "empty", "rules: []")
        + doc("IPPolicy", "v6", "rules:\n  - cidr: 2001:db8:1234::/48\n  - cidr: 2001:db8::1/128")
        + doc("IPPolicy", "all4", "rules: [{cidr: 0.0.0.0/0}]")
        + doc("IPPolicy", "all6", "rules: [{cidr: \"::/0\"}]")
        + doc("IPPolicy", "deny-one", "action: deny\nrules: [{cidr: 203.0.113.99/32}]")

    static let setup1 =
        policies
        + ec("office-https", "https", "ipPolicy: {ipPolicies: [office]}")
        + ec("multi-https", "https", "ipPolicy: {ipPolicies: [office, ci]}")
        + ec("deny-only", "https", "ipPolicy: {ipPolicies: [abusers]}")
        + ec("mixed", "https", "ipPolicy: {ipPolicies: [all4, deny-one]}")
        + ec("empty-https", "https", "ipPolicy: {ipPolicies: [empty]}")
        + ec("empty-plus-office", "https", "ipPolicy: {ipPolicies: [empty, office]}")
        + ec("v6-https", "https", "ipPolicy: {ipPolicies: [v6]}")
        + ec("all6-https", "https", "ipPolicy: {ipPolicies: [all6]}")
        + ec("both-families", "https", "ipPolicy: {ipPolicies: [office, v6]}")
        + ec("disabled", "https", "ipPolicy: {enabled: false, ipPolicies: [empty]}")
        + ec("open-https", "https", "compression: {}")
        + ec("plain-http", "http", "ipPolicy: {ipPolicies: [ci]}")
        + ec("tcp-cfg", "tcp", "ipPolicy: {ipPolicies: [office, v6]}")
        + domain("app", "app.example.com", https: "office-https", http: "plain-http")
        + domain("multi", "multi.example.com", https: "multi-https")
        + domain("deny", "deny.example.com", https: "deny-only")
        + domain("mixed", "mixed.example.com", https: "mixed")
        + domain("empty", "empty.example.com", https: "empty-https")
        + domain("emptyplus", "emptyplus.example.com", https: "empty-plus-office")
        + domain("v6", "v6.example.com", https: "v6-https")
        + domain("all6", "all6.example.com", https: "all6-https")
        + domain("both", "both.example.com", https: "both-families")
        + domain("disabled", "disabled.example.com", https: "disabled")
        + domain("open", "open.example.com", https: "open-https")
        + domain("noconfig", "noconfig.example.com")
        + domain("httponly", "httponly.example.com", http: "plain-http")
        + domain("wild", "*.wild.example.com", https: "office-https")
        + domain("exact-under-wild", "exact.wild.example.com", https: "open-https")
        + doc("ReservedAddress", "bastion", "endpointConfiguration: tcp-cfg")
        + doc("ReservedAddress", "bare", "description: no configuration")
        + doc("Credential", "any", "acl: [\"*\"]")
        + doc("Credential", "exact", "acl: [\"bind:app.example.com\"]")
        + doc("Credential", "wild", "acl: [\"bind:*.example.com\"]")
        + doc("Credential", "deep", "acl: [\"bind:*.eu.devices.example.com\"]")
        + doc("Credential", "tcp", "acl: [\"bind:1.tcp.ngrok.io:20002\"]")
        + doc("Credential", "mixed", "acl: [\"bind:api.example.org\", \"bind:*.gw.example.net\", \"bind:2.tcp.eu.ngrok.io:12345\"]")

    static let cases1: [Case] = [
        // One allow policy.
        access("203.0.113.7", "app.example.com", true, "in the only allow policy (/24)"),
        access("203.0.113.255", "app.example.com", true, "last address of the /24"),
        access("203.0.114.0", "app.example.com", false, "just outside the /24"),
        access("198.51.100.17", "app.example.com", true, "a bare address is a /32"),
        access("198.51.100.18", "app.example.com", false, "next to the /32"),
        access("2001:db8:1234::1", "app.example.com", false, "IPv6 against an IPv4-only policy"),
        // The http slot of the same domain has another configuration.
        access("192.0.2.10", "app.example.com", true, "http slot: ci policy", scheme: .http),
        access("203.0.113.7", "app.example.com", false, "http slot: office is not in ci", scheme: .http),
        access("192.0.2.10", "app.example.com", false, "https slot (default): ci is not in office"),
        access("192.0.2.10", "app.example.com:80", true, "port 80 means the http slot"),
        access("192.0.2.64", "app.example.com", false, "outside ci /26 and office", scheme: .http),
        // Several policies: the union.
        access("203.0.113.7", "multi.example.com", true, "union: office"),
        access("192.0.2.63", "multi.example.com", true, "union: ci, last address of the /26"),
        access("192.0.2.64", "multi.example.com", false, "union: neither"),
        access("10.1.2.3", "multi.example.com", false, "union: neither (private)"),
        // Deny policies.
        access("100.64.0.1", "deny.example.com", false, "in the deny policy"),
        access("100.127.255.255", "deny.example.com", false, "last address of the deny /10"),
        access("100.128.0.0", "deny.example.com", true, "only deny policies attached and none matches"),
        access("2001:db8::7", "deny.example.com", true, "IPv6 is not in an IPv4 deny policy"),
        access("203.0.113.7", "mixed.example.com", true, "allow /0 minus a denied /32"),
        access("203.0.113.99", "mixed.example.com", false, "the denied /32 wins over the allow /0"),
        access("2001:db8::99", "mixed.example.com", false, "0.0.0.0/0 does not cover IPv6"),
        // Empty policies.
        access("203.0.113.7", "empty.example.com", false, "a policy with no rules matches nothing"),
        access("2001:db8::1", "empty.example.com", false, "a policy with no rules matches nothing (IPv6)"),
        access("203.0.113.7", "emptyplus.example.com", true, "empty policy does not shrink the union"),
        access("192.0.2.1", "emptyplus.example.com", false, "empty policy does not widen the union"),
        // IPv6.
        access("2001:db8:1234:ffff::1", "v6.example.com", true, "in the /48"),
        access("2001:db8:1235::1", "v6.example.com", false, "next /48"),
        access("2001:db8::1", "v6.example.com", true, "the /128"),
        access("2001:db8::2", "v6.example.com", false, "next to the /128"),
        access("2001:0db8:1234:0000::0001", "v6.example.com", true, "non-canonical spelling of an address in the /48"),
        access("203.0.113.7", "v6.example.com", false, "IPv4 against an IPv6-only policy"),
        access("::1", "all6.example.com", true, "::/0 covers every IPv6 address"),
        access("203.0.113.7", "all6.example.com", false, "::/0 does not cover IPv4"),
        access("203.0.113.7", "both.example.com", true, "IPv4 half of a mixed union"),
        access("2001:db8:1234::9", "both.example.com", true, "IPv6 half of a mixed union"),
        access("2001:db9::1", "both.example.com", false, "neither family matches"),
        // No module, disabled module, nothing attached.
        access("198.18.0.1", "open.example.com", true, "no IP policy module: open"),
        access("2001:db8::1", "open.example.com", true, "no IP policy module: open (IPv6)"),
        access("198.18.0.1", "disabled.example.com", true, "a disabled module is not enforced"),
        access("198.18.0.1", "noconfig.example.com", true, "no configuration attached"),
        access("198.18.0.1", "httponly.example.com", true, "https slot empty although http has a policy"),
        access("198.18.0.1", "httponly.example.com", false, "http slot enforces ci", scheme: .http),
        // Wildcard reservations.
        access("203.0.113.7", "a.wild.example.com", true, "covered by *.wild.example.com (office)"),
        access("192.0.2.1", "a.b.wild.example.com", false, "covered at depth 2, office denies"),
        access("192.0.2.1", "exact.wild.example.com", true, "an exact reservation beats the wildcard (open)"),
        // TCP addresses.
        access("203.0.113.7", "ReservedAddress/bastion", true, "tcp configuration: office"),
        access("2001:db8:1234::5", "ReservedAddress/bastion", true, "tcp configuration: v6"),
        access("192.0.2.1", "ReservedAddress/bastion", false, "tcp configuration: neither"),
        access("192.0.2.1", "ReservedAddress/bare", true, "no configuration on the address"),
        // ACLs.
        bind("any", "anything.example.org", true, "'*' binds anything"),
        bind("any", "3.tcp.ngrok.io:30000", true, "'*' binds TCP addresses too"),
        bind("exact", "app.example.com", true, "exact name"),
        bind("exact", "APP.Example.com", true, "hostnames are case-insensitive"),
        bind("exact", "www.app.example.com", false, "an exact rule does not cover subdomains"),
        bind("exact", "example.com", false, "nor the parent"),
        bind("wild", "a.example.com", true, "wildcard, depth 1"),
        bind("wild", "a.b.example.com", true, "wildcard, depth 2"),
        bind("wild", "a.b.c.d.example.com", true, "wildcard, depth 4"),
        bind("wild", "*.example.com", true, "the wildcard itself"),
        bind("wild", "example.com", false, "a wildcard does not cover the domain itself"),
        bind("wild", "a.example.org", false, "another domain"),
        bind("wild", "aexample.com", false, "a suffix that is not a label boundary"),
        bind("deep", "x.eu.devices.example.com", true, "deep wildcard"),
        bind("deep", "y.x.eu.devices.example.com", true, "below a deep wildcard"),
        bind("deep", "x.us.devices.example.com", false, "sibling branch of a deep wildcard"),
        bind("deep", "eu.devices.example.com", false, "the deep wildcard's own domain"),
        bind("tcp", "1.tcp.ngrok.io:20002", true, "exact TCP address"),
        bind("tcp", "1.tcp.ngrok.io:20003", false, "another port"),
        bind("tcp", "2.tcp.ngrok.io:20002", false, "another host"),
        bind("tcp", "1.tcp.ngrok.io", false, "a TCP rule does not bind the hostname"),
        bind("mixed", "api.example.org", true, "first of several rules"),
        bind("mixed", "site-1.gw.example.net", true, "wildcard among several rules"),
        bind("mixed", "2.tcp.eu.ngrok.io:12345", true, "TCP address among several rules"),
        bind("mixed", "gw.example.net", false, "none of several rules"),
        bind("mixed", "api.example.org:443", false, "a hostname rule does not bind an address"),
    ]

    // MARK: Setup 2: the IP whitelist, alone and with policies

    static let setup2 =
        doc("IPWhitelistEntry", "hq", "ipNet: 203.0.113.0/24")
        + doc("IPWhitelistEntry", "hq-v6", "ipNet: 2001:db8::/32")
        + doc("IPWhitelistEntry", "vpn", "ipNet: 198.51.100.17")
        + doc("IPPolicy", "ci", "rules: [{cidr: 192.0.2.0/26}]")
        + doc("IPPolicy", "office", "rules: [{cidr: 203.0.113.0/25}]")
        + doc("IPPolicy", "abusers", "action: deny\nrules: [{cidr: 203.0.113.128/26}]")
        + ec("open-https", "https", "compression: {}")
        + ec("ci-https", "https", "ipPolicy: {ipPolicies: [ci]}")
        + ec("office-https", "https", "ipPolicy: {ipPolicies: [office]}")
        + ec("deny-https", "https", "ipPolicy: {ipPolicies: [abusers]}")
        + domain("open", "open.example.com", https: "open-https")
        + domain("ci", "ci.example.com", https: "ci-https")
        + domain("office", "office.example.com", https: "office-https")
        + domain("deny", "deny.example.com", https: "deny-https")
        + domain("bare", "bare.example.com")

    static let cases2: [Case] = [
        access("203.0.113.7", "open.example.com", true, "whitelist alone: on it"),
        access("198.18.0.1", "open.example.com", false, "whitelist alone: not on it"),
        access("198.51.100.17", "open.example.com", true, "whitelist alone: bare address /32"),
        access("2001:db8:ffff::1", "open.example.com", true, "whitelist alone: IPv6 /32"),
        access("2001:db9::1", "open.example.com", false, "whitelist alone: IPv6 outside"),
        access("198.18.0.1", "bare.example.com", false, "the whitelist applies with no configuration attached"),
        access("192.0.2.5", "ci.example.com", false, "intersection: policy yes, whitelist no"),
        access("203.0.113.7", "ci.example.com", false, "intersection: whitelist yes, policy no"),
        access("203.0.113.7", "office.example.com", true, "intersection: both"),
        access("203.0.113.200", "office.example.com", false, "intersection: whitelist yes, /25 no"),
        access("203.0.113.130", "deny.example.com", false, "whitelisted but in a deny policy"),
        access("203.0.113.7", "deny.example.com", true, "whitelisted and not denied"),
    ]

    // MARK: Running

    func check(_ setup: String, _ cases: [Case]) async throws {
        let h = try await Harness.start()
        try h.write(setup)
        let session = h.session
        let loaded = session.load(.directory(h.directory.path, commit: nil))
        #expect(loaded.ok, "\(loaded.diagnostics)")
        let offline = AccountView.desired(try #require(loaded.stack), canonicalCIDR: session.canonicalCIDR)
        try await h.converge()
        try await h.expectEmptyPlan()
        let live = AccountView.live(try await h.api.snapshot(), canonicalCIDR: session.canonicalCIDR)
        for c in cases {
            let off = try answer(c.query, offline)
            let on = try answer(c.query, live)
            #expect(off.allowed == c.allowed, "offline: \(c)\n\(off.text)")
            #expect(on.allowed == c.allowed, "live: \(c)\n\(on.text)")
            #expect(off.allowed == on.allowed && off.deciding == on.deciding, "offline and live differ: \(c)\n\(off.text)\(on.text)")
            // Every step is the same too (a live address also shows the address ngrok assigned).
            if !"\(c.query)".contains("ReservedAddress/") {
                #expect(off.text == on.text, "steps differ: \(c)\n\(off.text)\(on.text)")
            }
        }
        await h.stop()
    }

    func answer(_ query: Query, _ view: AccountView) throws -> (allowed: Bool, deciding: String, text: String) {
        switch query {
        case .access(let ip, let host, let scheme):
            let d = try AccessEvaluator(view: view).evaluate(ip: ip, host: host, scheme: scheme)
            return (d.allowed, d.decidedBy, d.text)
        case .bind(let credential, let host):
            let d = try ACLEvaluator(view: view).evaluate(credential: credential, host: host)
            return (d.allowed, d.rule ?? "-", d.text)
        }
    }

    @Test func policiesAndACLsOfflineAndLive() async throws {
        #expect(Self.cases1.count + Self.cases2.count >= 60)
        try await check(Self.setup1, Self.cases1)
    }

    @Test func whitelistOfflineAndLive() async throws {
        try await check(Self.setup2, Self.cases2)
    }

    @Test func unknownHostsAndBadAddressesAreErrors() async throws {
        let h = try await Harness.start()
        try h.write(Self.setup2)
        let loaded = h.session.load(.directory(h.directory.path, commit: nil))
        let view = AccountView.desired(try #require(loaded.stack), canonicalCIDR: h.session.canonicalCIDR)
        #expect(throws: AccessEvaluator.Failure.self) { try AccessEvaluator(view: view).evaluate(ip: "1.2.3", host: "open.example.com") }
        #expect(throws: AccessEvaluator.Failure.self) { try AccessEvaluator(view: view).evaluate(ip: "1.2.3.4", host: "nope.example.com") }
        #expect(throws: ACLEvaluator.NotFound.self) { try ACLEvaluator(view: view).evaluate(credential: "nobody", host: "a.example.com") }
        await h.stop()
    }
}
