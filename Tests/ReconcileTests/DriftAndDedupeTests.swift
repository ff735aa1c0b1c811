import Emulator
import Foundation
import NgrokModel
import Reconcile
import Testing

/// Drift the manifest format does not model, and this stack's own duplicates.
@Suite(.serialized) struct DriftAndDedupeTests {
    static let doc = AcceptanceTests.doc

    /// A `basic_auth` module added by hand to an owned configuration is planned for removal.
    @Test func unmodelledModuleAddedByHandIsRemoved() async throws {
        let h = try await Harness.start()
        try h.write(Self.doc("EndpointConfiguration", "app", "type: https\nmodules:\n  compression: {}"))
        try await h.converge()
        let id = try #require(try await h.api.listAll(.endpointConfigurations).first?["id"]?.stringValue)
        _ = try await h.api.send(
            method: .put, path: "/endpoint_configurations/\(id)/basic_auth", body: Array("{\"realm\": \"x\"}".utf8))
        let plan = try await h.plan()
        #expect(plan.operations.map(\.target) == ["EndpointConfiguration/app module basic_auth"])
        #expect(plan.operations.first?.action == .moduleDelete)
        #expect(await h.apply(plan).ok)
        try await h.expectEmptyPlan()
        await h.stop()
    }

    /// Extra copies with this stack's marker are removed (`dedupe`) without counting against maxDeletions.
    @Test func dedupeIsShownButNotCounted() async throws {
        let h = try await Harness.start()
        try h.write(Self.doc("IPPolicy", "office", "rules: [{cidr: 10.0.0.0/8}]"))
        try await h.converge()
        let policy = try #require(try await h.api.listAll(.ipPolicies).first)
        let copy = WireValue.object(["description": policy["description"] ?? .string(""), "metadata": policy["metadata"]!, "action": .string("allow")])
        _ = try await h.api.send(method: .post, path: "/ip_policies", body: Array(copy.serialized().utf8))
        let plan = try await h.plan()
        #expect(plan.operations.contains { $0.action == .dedupe && $0.subject == .object })
        #expect(plan.deletionCount == 0)
        #expect(await h.apply(plan).ok)
        try await h.expectEmptyPlan()
        #expect(try await h.api.listAll(.ipPolicies).count == 1)
        await h.stop()
    }
}

/// One run reports every error: an unknown field in one document does not hide the product-rule
/// errors of the others.
@Suite struct AllErrorsTests {
    @Test func unknownFieldDoesNotHideABadCIDRElsewhere() async throws {
        let h = try await Harness.start()
        try h.write(AcceptanceTests.doc("IPPolicy", "office", "rules: [{cidr: 10.0.0.1/8}]"))
        try h.writeFile("other.yaml", AcceptanceTests.doc("Credential", "device", "acl: [\"*\"]\ncolour: blue"))
        let loaded = h.session.load(.directory(h.directory.path, commit: nil))
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        #expect(errors.contains { $0.location?.file == "other.yaml" && $0.message.contains("unknown field") }, "\(errors)")
        #expect(errors.contains { $0.location?.file == "resources.yaml" && $0.address == ResourceAddress(.ipPolicy, "office") }, "\(errors)")
        await h.stop()
    }
}
