import Emulator
import Foundation
import NgrokModel
import Reconcile
import TestSupport
import Testing

/// Every kind and every module, against the real emulator over loopback HTTP:
/// apply → plan empty; a single change → plan shows exactly that change, apply converges;
/// removal → prune.
@Suite(.serialized) struct AcceptanceTests {
    struct Change: Sendable, CustomStringConvertible {
        var name: String
        var before: String
        var after: String
        /// Expected operations: "action target" with the changed paths.
        var expected: [String]
        var description: String { name }
    }

    static func doc(_ kind: String, _ name: String, _ spec: String) -> String {
        "---\napiVersion: ngrokctl/v1\nkind: \(kind)\nmetadata: {name: \(name)}\nspec:\n" + spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    static let policy = doc("IPPolicy", "office", "rules:\n  - cidr: 10.0.0.0/8\n  - {cidr: 2001:db8::/32, description: v6}")
    static let policy2 = doc("IPPolicy", "vpn", "action: allow\nrules: [{cidr: 192.0.2.1}]")

    static func ec(_ type: String, _ modules: String) -> String {
        doc("EndpointConfiguration", "app", "type: \(type)\nmodules:\n" + modules.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    }

    static let changes: [Change] = [
        Change(
            name: "credential acl", before: doc("Credential", "device-1", "acl: [\"bind:a.example.com\"]"),
            after: doc("Credential", "device-1", "acl: [\"bind:a.example.com\", \"bind:*.b.example.com\"]"),
            expected: ["update Credential/device-1: acl"]),
        Change(
            name: "credential description", before: doc("Credential", "device-1", "acl: [\"*\"]"),
            after: doc("Credential", "device-1", "acl: [\"*\"]\ndescription: fleet device 1"),
            expected: ["update Credential/device-1: description"]),
        Change(
            name: "ip policy rule added", before: policy,
            after: doc("IPPolicy", "office", "rules:\n  - cidr: 10.0.0.0/8\n  - {cidr: 2001:db8::/32, description: v6}\n  - cidr: 172.16.0.0/12"),
            expected: ["create IPPolicy/office rule 172.16.0.0/12: cidr"]),
        Change(
            name: "ip policy rule description", before: policy,
            after: doc("IPPolicy", "office", "rules:\n  - cidr: 10.0.0.0/8\n  - {cidr: 2001:db8::/32, description: v6 office}"),
            expected: ["update IPPolicy/office rule 2001:db8::/32: description"]),
        Change(
            name: "ip policy rule replaced", before: policy,
            after: doc("IPPolicy", "office", "rules:\n  - cidr: 10.0.0.0/8\n  - {cidr: 2001:db8:1::/48, description: v6}"),
            expected: ["create IPPolicy/office rule 2001:db8:1::/48: cidr,description", "delete IPPolicy/office rule 2001:db8::/32: cidr"]),
        Change(
            name: "ip policy description", before: policy2,
            after: doc("IPPolicy", "vpn", "action: allow\ndescription: vpn exits\nrules: [{cidr: 192.0.2.1}]"),
            expected: ["update IPPolicy/vpn: description"]),
        Change(
            name: "whitelist description", before: doc("IPWhitelistEntry", "hq", "ipNet: 198.51.100.7"),
            after: doc("IPWhitelistEntry", "hq", "ipNet: 198.51.100.7\ndescription: headquarters"),
            expected: ["update IPWhitelistEntry/hq: description"]),
        Change(
            name: "certificate authority description",
            before: doc("CertificateAuthority", "devices", "caPem: {file: ca.pem}"),
            after: doc("CertificateAuthority", "devices", "caPem: {file: ca.pem}\ndescription: device fleet CA"),
            expected: ["update CertificateAuthority/devices: description"]),
        Change(
            name: "tls certificate metadata",
            before: doc("TLSCertificate", "app", "certificatePem: {file: bundle.pem}\nprivateKeyPem: {file: leaf.key}"),
            after: doc("TLSCertificate", "app", "certificatePem: {file: bundle.pem}\nprivateKeyPem: {file: leaf.key}\nmetadata: owner=web"),
            expected: ["update TLSCertificate/app: metadata"]),
        Change(
            name: "reserved address description",
            before: doc("ReservedAddress", "ssh", "region: eu"),
            after: doc("ReservedAddress", "ssh", "region: eu\ndescription: device ssh"),
            expected: ["update ReservedAddress/ssh: description"]),
        Change(
            name: "reserved domain metadata",
            before: doc("ReservedDomain", "app", "domain: app.example.com"),
            after: doc("ReservedDomain", "app", "domain: app.example.com\nmetadata: team=web"),
            expected: ["update ReservedDomain/app: metadata"]),
        Change(
            name: "module circuitBreaker",
            before: ec("https", "circuitBreaker: {trippedDuration: 10s, rollingWindow: 1m, numBuckets: 10, volumeThreshold: 20, errorThresholdPercentage: 0.5}"),
            after: ec("https", "circuitBreaker: {trippedDuration: 10s, rollingWindow: 1m, numBuckets: 10, volumeThreshold: 20, errorThresholdPercentage: 0.25}"),
            expected: ["module-put EndpointConfiguration/app module circuitBreaker: modules.circuitBreaker.errorThresholdPercentage"]),
        Change(
            name: "module compression", before: ec("http", "compression: {}"), after: ec("http", "compression: {enabled: false}"),
            expected: ["module-put EndpointConfiguration/app module compression: modules.compression.enabled"]),
        Change(
            name: "module requestHeaders",
            before: ec("https", "requestHeaders: {add: {X-Request-Id: \"${.ngrok.request_id}\"}, remove: [X-Debug]}"),
            after: ec("https", "requestHeaders: {add: {X-Request-Id: \"${.ngrok.request_id}\", X-Country: \"${.ngrok.geo.country_code}\"}, remove: [X-Debug]}"),
            expected: ["module-put EndpointConfiguration/app module requestHeaders: modules.requestHeaders.add.x-country"]),
        Change(
            name: "module responseHeaders",
            before: ec("http", "responseHeaders: {add: {Strict-Transport-Security: max-age=63072000}}"),
            after: ec("http", "responseHeaders: {add: {Strict-Transport-Security: max-age=63072000}, remove: [Server]}"),
            expected: ["module-put EndpointConfiguration/app module responseHeaders: modules.responseHeaders.remove"]),
        Change(
            name: "module ipPolicy",
            before: policy + policy2 + ec("tcp", "ipPolicy: {ipPolicies: [office]}"),
            after: policy + policy2 + ec("tcp", "ipPolicy: {ipPolicies: [office, vpn]}"),
            expected: ["module-put EndpointConfiguration/app module ipPolicy: modules.ipPolicy.ipPolicies"]),
        Change(
            name: "module tlsTermination",
            before: ec("https", "tlsTermination: {terminateAt: edge, minVersion: \"1.2\"}"),
            after: ec("https", "tlsTermination: {terminateAt: edge, minVersion: \"1.3\"}"),
            expected: ["module-put EndpointConfiguration/app module tlsTermination: modules.tlsTermination.minVersion"]),
        Change(
            name: "module webhookValidation",
            before: ec("https", "webhookValidation: {provider: SNS}"),
            after: ec("https", "webhookValidation: {provider: GITHUB, secret: {env: ACC_WEBHOOK_SECRET}}"),
            expected: [
                "module-put EndpointConfiguration/app module webhookValidation: modules.webhookValidation.provider,modules.webhookValidation.secret",
                "update EndpointConfiguration/app: secrets",
            ]),
        Change(
            name: "module oauth",
            before: ec("https", "oauth: {provider: google, emailDomains: [example.com]}"),
            after: ec("https", "oauth: {provider: google, emailDomains: [example.com, example.org], authCheckInterval: 1h}"),
            expected: ["module-put EndpointConfiguration/app module oauth: modules.oauth.authCheckInterval,modules.oauth.emailDomains"]),
        Change(
            name: "module oidc",
            before: ec("https", "oidc: {issuer: \"https://id.example.com\", clientId: app, clientSecret: {env: ACC_OIDC_SECRET}}"),
            after: ec("https", "oidc: {issuer: \"https://id.example.com\", clientId: app, clientSecret: {env: ACC_OIDC_SECRET}, scopes: [openid, email]}"),
            expected: ["module-put EndpointConfiguration/app module oidc: modules.oidc.scopes"]),
        Change(
            name: "module saml",
            before: ec("https", "saml: {idpMetadataUrl: \"https://idp.example.com/metadata\"}"),
            after: ec("https", "saml: {idpMetadataUrl: \"https://idp.example.com/metadata\", forceAuthn: true}"),
            expected: ["module-put EndpointConfiguration/app module saml: modules.saml.forceAuthn"]),
        Change(
            name: "module removed", before: ec("http", "circuitBreaker: {numBuckets: 4}\ncompression: {}"),
            after: ec("http", "circuitBreaker: {numBuckets: 4}"),
            expected: ["module-delete EndpointConfiguration/app module compression: modules.compression.enabled"]),
    ]

    static let environment = ["ACC_WEBHOOK_SECRET": "canary-webhook-9f1", "ACC_OIDC_SECRET": "canary-oidc-7d2"]

    @Test(arguments: changes)
    func applyThenChangeThenPrune(_ change: Change) async throws {
        let h = try await Harness.start(environment: Self.environment)
        defer { Task { await h.stop() } }
        if change.before.contains("{file:") { _ = try TestPKI.writeFiles(in: h.directory) }
        try h.write(change.before)
        try await h.converge()
        try await h.expectEmptyPlan()

        try h.write(change.after)
        let plan = try await h.plan()
        let described = plan.operations.map { op in
            let paths = Set(op.changes.map(\.path)).sorted().joined(separator: ",")
            return "\(op.action.rawValue) \(op.target): \(paths)"
        }
        #expect(described.sorted() == change.expected.sorted(), "\(PlanRenderer.text(plan, color: false))")
        #expect(await h.apply(plan).ok)
        try await h.expectEmptyPlan()

        try h.write("")
        let prune = try await h.plan()
        #expect(!prune.isEmpty && prune.operations.allSatisfy { $0.action == .delete })
        #expect(await h.apply(prune).ok)
        try await h.expectEmptyPlan()
        #expect(try h.server.objectCount() == 0)
        await h.stop()
    }
}
