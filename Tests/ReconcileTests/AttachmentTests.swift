import Emulator
import Foundation
import NgrokModel
import Reconcile
import TestSupport
import Testing

/// Certificates, authorities, attachments and replacement orderings against the real emulator.
@Suite(.serialized) struct AttachmentTests {
    func harness() async throws -> (Harness, TestPKI.Files) {
        let h = try await Harness.start(environment: ["ACC_KEY_CANARY": "unused"])
        let certs = try TestPKI.writeFiles(in: h.directory)
        return (h, certs)
    }

    static let doc = AcceptanceTests.doc

    @Test func certificatesAuthoritiesAndDomainAttachments() async throws {
        let (h, _) = try await harness()
        let base =
            Self.doc("CertificateAuthority", "devices", "caPem: {file: ca.pem}")
            + Self.doc("TLSCertificate", "app", "certificatePem: {file: bundle.pem}\nprivateKeyPem: {file: leaf.key}")
            + Self.doc("EndpointConfiguration", "app-https", "type: https\nmodules:\n  mutualTls: {certificateAuthorities: [devices]}")
            + Self.doc("EndpointConfiguration", "app-http", "type: http\nmodules:\n  compression: {}")
        try h.write(base + Self.doc("ReservedDomain", "app", "domain: app.example.com\nhttpsEndpointConfiguration: app-https\ncertificate: app"))
        try await h.converge()
        try await h.expectEmptyPlan()

        // Attach the http configuration too: exactly one attach.
        try h.write(base + Self.doc("ReservedDomain", "app", "domain: app.example.com\nhttpEndpointConfiguration: app-http\nhttpsEndpointConfiguration: app-https\ncertificate: app"))
        var plan = try await h.plan()
        #expect(plan.operations.map(\.action) == [.attach], "\(PlanRenderer.text(plan, color: false))")
        #expect(await h.apply(plan).ok)
        try await h.expectEmptyPlan()

        // Switch to a managed certificate: attach the policy; the uploaded certificate goes with it.
        try h.write(base + Self.doc("ReservedDomain", "app", "domain: app.example.com\nhttpEndpointConfiguration: app-http\nhttpsEndpointConfiguration: app-https\ncertificateManagement: {authority: letsencrypt, privateKeyType: ecdsa}"))
        plan = try await h.plan()
        #expect(plan.operations.map(\.action) == [.attach], "\(PlanRenderer.text(plan, color: false))")
        #expect(await h.apply(plan).ok)
        try await h.expectEmptyPlan()

        // Detach the http configuration: a detach through its sub-path.
        try h.write(base + Self.doc("ReservedDomain", "app", "domain: app.example.com\nhttpsEndpointConfiguration: app-https\ncertificateManagement: {authority: letsencrypt, privateKeyType: ecdsa}"))
        plan = try await h.plan()
        #expect(plan.operations.map(\.action) == [.detach])
        #expect(plan.operations.first?.request.suffix == "/http_endpoint_configuration")
        #expect(await h.apply(plan).ok)
        try await h.expectEmptyPlan()
        await h.stop()
    }

    @Test func replacingAnAuthorityInUseCreatesRepointsAndDeletes() async throws {
        let (h, _) = try await harness()
        let ec = Self.doc("EndpointConfiguration", "mtls", "type: https\nmodules:\n  mutualTls: {certificateAuthorities: [devices]}")
        try h.write(Self.doc("CertificateAuthority", "devices", "caPem: {file: ca.pem}") + ec)
        try await h.converge()
        try h.write(Self.doc("CertificateAuthority", "devices", "caPem: {file: ca2.pem}") + ec)
        let plan = try await h.plan()
        #expect(plan.summary.replace == 1)
        let order = plan.operations.map { "\($0.action.rawValue)\($0.replacement ? "*" : "")" }
        #expect(order == ["create*", "module-put", "delete*"], "\(PlanRenderer.text(plan, color: false))")
        #expect(await h.apply(plan).ok)
        try await h.expectEmptyPlan()
        await h.stop()
    }

    @Test func changingAConfigurationTypeWhileADomainUsesItReplacesSafely() async throws {
        let (h, _) = try await harness()
        try h.write(
            Self.doc("EndpointConfiguration", "web", "type: http")
                + Self.doc("ReservedDomain", "www", "domain: www.example.com\nhttpEndpointConfiguration: web"))
        try await h.converge()
        // The configuration becomes https: a new one is created, the domain moves slot, the old is deleted.
        try h.write(
            Self.doc("EndpointConfiguration", "web", "type: https")
                + Self.doc("ReservedDomain", "www", "domain: www.example.com\nhttpsEndpointConfiguration: web"))
        let plan = try await h.plan()
        #expect(plan.errors.isEmpty, "\(plan.errors)")
        let create = try #require(plan.operations.first { $0.action == .create })
        let delete = try #require(plan.operations.first { $0.action == .delete })
        #expect(create.id < delete.id)
        #expect(await h.apply(plan).ok)
        try await h.expectEmptyPlan()
        await h.stop()
    }

    @Test func reservedDomainRenameIsDestructiveAndDeletesFirst() async throws {
        let (h, _) = try await harness()
        try h.write(Self.doc("ReservedDomain", "app", "domain: old.example.com"))
        try await h.converge()
        try h.write(Self.doc("ReservedDomain", "app", "domain: new.example.com"))
        let plan = try await h.plan()
        #expect(plan.operations.map(\.action) == [.delete, .create])
        #expect(plan.operations[0].destructive)
        #expect(await h.apply(plan).ok)
        try await h.expectEmptyPlan()
        await h.stop()
    }

    @Test func policyUsedByAConfigurationNeverHasAnEmptyRuleWindow() async throws {
        let (h, _) = try await harness()
        try h.write(
            Self.doc("IPPolicy", "office", "rules: [{cidr: 10.0.0.0/8}]")
                + Self.doc("EndpointConfiguration", "app", "type: https\nmodules:\n  ipPolicy: {ipPolicies: [office]}"))
        let first = try await h.plan()
        // The configuration is created after the policy *and* its rule.
        let ecCreate = try #require(first.operations.first { $0.address.kind == .endpointConfiguration })
        let ruleCreate = try #require(first.operations.first { if case .rule = $0.subject { true } else { false } })
        #expect(ecCreate.dependsOn.contains(ruleCreate.id))
        #expect(await h.apply(first).ok)
        // Swapping the only rule adds the new one before deleting the old one.
        try h.write(
            Self.doc("IPPolicy", "office", "rules: [{cidr: 192.168.0.0/16}]")
                + Self.doc("EndpointConfiguration", "app", "type: https\nmodules:\n  ipPolicy: {ipPolicies: [office]}"))
        let swap = try await h.plan()
        #expect(swap.operations.map(\.action) == [.create, .delete])
        #expect(swap.operations[1].dependsOn == [swap.operations[0].id])
        #expect(await h.apply(swap, concurrency: 1).ok)
        try await h.expectEmptyPlan()
        await h.stop()
    }

    @Test func unownedDomainConflictsUntilAdopted() async throws {
        let (h, _) = try await harness()
        _ = try await h.api.send(method: .post, path: "/reserved_domains", body: Array(#"{"name":"legacy.example.com","description":"made by hand"}"#.utf8))
        try h.write(Self.doc("ReservedDomain", "legacy", "domain: legacy.example.com\ndescription: now managed"))
        let conflict = try await h.plan()
        #expect(conflict.errors.count == 1)
        try h.write(Self.doc("ReservedDomain", "legacy", "domain: legacy.example.com\ndescription: now managed\nadopt: true"))
        let adopt = try await h.plan()
        #expect(adopt.operations.map(\.action) == [.adopt])
        #expect(await h.apply(adopt).ok)
        try await h.expectEmptyPlan()
        #expect(try h.server.objectCount() == 1)
        await h.stop()
    }
}
