import Emulator
import Foundation
import Logging
import NgrokModel
import Reconcile
import Testing

/// Creates whose response is lost are settled in the same run: found by marker or natural key and
/// adopted, "already exists" after an unknown outcome means it happened, and a credential whose
/// token was lost is replaced.
@Suite(.serialized) struct LostResponseTests {
    static let doc = AcceptanceTests.doc

    /// Every write's response is lost (`--lost-response-rate 1.0`): the policy and its rule are
    /// adopted, nothing is duplicated, and no operation fails with ERR_NGROK_1408.
    @Test func everyResponseLost() async throws {
        let h = try await Harness.start(faults: FaultConfiguration(seed: 3, lostResponseRate: 1.0))
        try h.write(
            Self.doc("IPPolicy", "office", "rules: [{cidr: 10.0.0.0/8}]")
                + Self.doc("IPWhitelistEntry", "hq", "ipNet: 198.51.100.7"))
        let plan = try await h.plan()
        let result = await h.apply(plan)
        #expect(result.ok, "\(result.outcomes)")
        let live = try await h.api.snapshot()
        #expect(live.all(.ipPolicy).count == 1)
        #expect(live.all(LiveState.ruleCollection).count == 1)
        #expect(live.all(.ipWhitelistEntry).count == 1)
        try await h.expectEmptyPlan()
        await h.stop()
    }

    /// A credential's token exists only in the create response: when every response is lost no
    /// token can be had; the apply says so and leaves no credential behind.
    @Test func credentialWithEveryResponseLostLeavesNoOrphan() async throws {
        let h = try await Harness.start(faults: FaultConfiguration(seed: 3, lostResponseRate: 1.0))
        try h.write(Self.doc("Credential", "device", "acl: [\"*\"]"))
        let plan = try await h.plan()
        let executor = Executor(
            api: h.api, concurrency: 2,
            tokens: TokenSink(directory: h.directory.appendingPathComponent("tokens").path),
            logger: .init(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        var small = executor
        small.createAttempts = 3
        let result = await small.execute(plan)
        #expect(result.failed == 1)
        #expect(try await h.api.listAll(.credentials).isEmpty)
        await h.stop()
    }

    /// Lost responses at 50%: credentials are created once each, with one token file each, in one run.
    @Test func credentialsWhoseTokenWasLostAreReplacedInTheSameRun() async throws {
        let h = try await Harness.start(faults: FaultConfiguration(seed: 11, lostResponseRate: 0.5))
        try h.write((0..<8).map { Self.doc("Credential", "c\($0)", "acl: [\"*\"]") }.joined())
        let result = await h.apply(try await h.plan())
        #expect(result.ok, "\(result.outcomes)")
        let credentials = try await h.api.listAll(.credentials)
        #expect(credentials.count == 8)
        let files = try FileManager.default.contentsOfDirectory(atPath: h.directory.appendingPathComponent("tokens").path)
        #expect(files.filter { $0.hasSuffix(".token") }.sorted() == (0..<8).map { "c\($0).token" }.sorted())
        try await h.expectEmptyPlan()
        await h.stop()
    }

    /// The fault scenario of `ngrokctl-bench faults`, smaller: one apply converges with exactly the
    /// declared objects, one token file per credential, and an empty plan after.
    @Test(arguments: [UInt64(1), 2, 3])
    func oneApplyConvergesUnderFaults(seed: UInt64) async throws {
        // No injected 429s here (each pauses the whole client for its Retry-After of 1 s, and a 429
        // is never an unknown outcome); the bench runs the full mix.
        let faults = FaultConfiguration(seed: seed, failRate: 0.2, dropRate: 0.05, lostResponseRate: 0.1)
        let h = try await Harness.start(faults: faults)
        var docs = Self.doc("IPPolicy", "office", "rules:\n" + (0..<20).map { "  - cidr: 10.\($0).0.0/16" }.joined(separator: "\n"))
        for i in 0..<6 { docs += Self.doc("Credential", "c\(i)", "acl: [\"*\"]") }
        for i in 0..<4 {
            docs += Self.doc("EndpointConfiguration", "e\(i)", "type: tcp\nmodules: {ipPolicy: {ipPolicies: [office]}}")
            docs += Self.doc("ReservedAddress", "a\(i)", "region: eu\nendpointConfiguration: e\(i)")
        }
        try h.write(docs)
        let result = await h.apply(try await h.plan(), concurrency: 8)
        #expect(result.ok, "\(result.outcomes.filter { if case .succeeded = $0.value { false } else { true } })")
        let live = try await h.api.snapshot()
        #expect(live.all(.ipPolicy).count == 1)
        #expect(live.all(LiveState.ruleCollection).count == 20)
        #expect(live.all(.credential).count == 6)
        #expect(live.all(.endpointConfiguration).count == 4)
        #expect(live.all(.reservedAddress).count == 4)
        let files = try FileManager.default.contentsOfDirectory(atPath: h.directory.appendingPathComponent("tokens").path)
        #expect(files.sorted() == (0..<6).map { "c\($0).token" }.sorted())
        try await h.expectEmptyPlan()
        await h.stop()
    }
}
