import Foundation
import NgrokAPI
import NgrokModel
import Reconcile
import Testing

/// The secret fingerprint uses a slow derivation; markers written with the earlier scheme keep
/// working: not reported as a changed secret, and re-marked on the next real update.
@Suite struct FingerprintTests {
    static let ec = """
        apiVersion: ngrokctl/v1
        kind: EndpointConfiguration
        metadata: {name: hooks}
        spec:
          type: https
          modules: {webhookValidation: {provider: GITHUB, secret: {env: FP_HOOK_SECRET}}}
        """

    @Test func theNewSchemeIsSlowSaltedAndDistinct() {
        let address = ResourceAddress(.endpointConfiguration, "hooks")
        let secrets = ["spec.modules.webhookValidation.secret": SecretValue("hunter2")]
        let current = Fingerprint.of(stack: "acc", address: address, secrets: secrets)
        #expect(current.hasPrefix("p2:") && current.count == 35)
        #expect(!Fingerprint.isLegacy(current))
        #expect(Fingerprint.isLegacy(Fingerprint.legacy(stack: "acc", address: address, secrets: secrets)))
        #expect(current != Fingerprint.of(stack: "other", address: address, secrets: secrets))
        #expect(Fingerprint.of(stack: "acc", address: address, secrets: [:]) == "")
    }

    @Test func anOldMarkerIsNotAChangedSecretAndIsRemarkedOnTheNextUpdate() async throws {
        let h = try await Harness.start(environment: ["FP_HOOK_SECRET": "hook-secret-1"])
        defer { Task { await h.stop() } }
        try h.write(Self.ec)
        try await h.converge()
        // Rewrite the live marker as an earlier version of ngrokctl wrote it.
        let address = ResourceAddress(.endpointConfiguration, "hooks")
        let live = try #require(try await h.api.snapshot().owned(by: "acc")[address]?.first)
        let legacy = Fingerprint.legacy(
            stack: "acc", address: address, secrets: ["spec.modules.webhookValidation.secret": SecretValue("hook-secret-1")])
        let old = OwnershipMarker(stack: "acc", address: address, fingerprint: legacy)
        let body = WireValue.object(["metadata": .string(old.encoded)]).serialized()
        _ = try await h.client.execute(.patch, "/endpoint_configurations/\(live.id)", body: Array(body.utf8))
        try await h.expectEmptyPlan()

        // A real change rewrites the marker with the new scheme.
        try h.write(Self.ec.replacingOccurrences(of: "  type: https", with: "  type: https\n  description: hooks"))
        let plan = try await h.plan()
        #expect(plan.operations.count == 1)
        let metadata = plan.operations.first?.request.body?["metadata"]?.stringValue ?? ""
        #expect(metadata.contains("p2:"), "\(metadata)")
        #expect(!(plan.operations.first?.changes.contains { $0.path == "secrets" } ?? true))
        try await h.converge()
        try await h.expectEmptyPlan()
        let after = try #require(try await h.api.snapshot().owned(by: "acc")[address]?.first)
        #expect(after.marker?.fingerprint.hasPrefix("p2:") == true)

        // A changed secret is still noticed against an old marker.
        let h2 = try await Harness.start(environment: ["FP_HOOK_SECRET": "hook-secret-2"])
        defer { Task { await h2.stop() } }
        try h2.write(Self.ec)
        try await h2.converge()
        let live2 = try #require(try await h2.api.snapshot().owned(by: "acc")[address]?.first)
        let body2 = WireValue.object(["metadata": .string(old.encoded)]).serialized()
        _ = try await h2.client.execute(.patch, "/endpoint_configurations/\(live2.id)", body: Array(body2.utf8))
        let changed = try await h2.plan()
        #expect(!changed.isEmpty)
    }
}
