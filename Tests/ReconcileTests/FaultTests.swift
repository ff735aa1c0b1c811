import Emulator
import Foundation
import NgrokAPI
import NgrokModel
import Reconcile
import TestSupport
import Testing

/// Apply under injected faults, concurrent applies, and a shared account.
@Suite(.serialized) struct FaultTests {
    static let doc = AcceptanceTests.doc

    /// Every kind and most modules, `count` times over.
    static func bigStack(_ count: Int) -> String {
        var out = ""
        for i in 0..<count {
            out += doc("IPPolicy", "p\(i)", "rules:\n  - cidr: 10.\(i % 250).0.0/16\n  - cidr: 2001:db8:\(i)::/48")
            out += doc("Credential", "c\(i)", "acl: [\"bind:d\(i).example.com\"]")
            out += doc("IPWhitelistEntry", "w\(i)", "ipNet: 198.51.\(i % 250).\(i / 250 + 1)")
            out += doc(
                "EndpointConfiguration", "e\(i)",
                "type: https\nmodules:\n  ipPolicy: {ipPolicies: [p\(i)]}\n  compression: {}\n  requestHeaders: {add: {X-Id: \"${.ngrok.request_id}\"}}")
            out += doc("ReservedDomain", "d\(i)", "domain: d\(i).example.com\nhttpsEndpointConfiguration: e\(i)")
            out += doc("ReservedAddress", "a\(i)", "region: eu")
        }
        return out
    }

    /// With a third of all requests failing, eight attempts are exhausted now and then by chance
    /// over the hundreds of requests of these runs; what is under test is convergence.
    static let patient = RetryPolicy(maxAttempts: 16, baseDelay: 0.01, maxDelay: 0.2)

    /// Live objects of this stack that share a marker: there must be none.
    static func duplicates(_ h: Harness) async throws -> [ResourceAddress] {
        let live = try await h.api.snapshot()
        return live.owned(by: "acc").filter { $0.value.count > 1 }.map(\.key)
    }

    @Test func applyConvergesUnderFaults() async throws {
        let faults = FaultConfiguration(seed: 42, failRate: 0.2, throttleRate: 0.1, dropRate: 0.05, lostResponseRate: 0.1)
        let h = try await Harness.start(faults: faults, retry: Self.patient)
        try h.write(Self.bigStack(8))
        // Each round applies what it can; failures are reported, and the next plan resumes.
        var rounds = 0
        while rounds < 8 {
            rounds += 1
            let plan = try await h.plan()
            #expect(plan.errors.isEmpty, "\(plan.errors)")
            if plan.isEmpty { break }
            _ = await h.apply(plan)
        }
        #expect(rounds < 8, "did not converge")
        #expect(try await Self.duplicates(h).isEmpty)
        // The plan is empty and the account holds exactly what the manifests say.
        try await h.expectEmptyPlan()
        let live = try await h.api.snapshot()
        #expect(live.owned(by: "acc").count == 8 * 6)
        #expect(live.all(LiveState.ruleCollection).count == 16)
        await h.stop()
    }

    /// `examples/production` (every kind and module) with 20% 5xx, 10% 429, 5% dropped connections
    /// and 10% lost responses: it converges, with no duplicate and an empty plan after.
    @Test func productionExampleConvergesUnderFaults() async throws {
        let faults = FaultConfiguration(seed: 7, failRate: 0.2, throttleRate: 0.1, dropRate: 0.05, lostResponseRate: 0.1)
        let h = try await Harness.start(
            faults: faults,
            environment: [
                "GOOGLE_OAUTH_CLIENT_SECRET": "prod-google", "GITHUB_WEBHOOK_SECRET": "prod-github",
                "OIDC_CLIENT_SECRET": "prod-oidc",
            ],
            retry: Self.patient)
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/production")
        try FileManager.default.removeItem(at: h.directory)
        try FileManager.default.copyItem(at: example, to: h.directory)
        if !FileManager.default.fileExists(atPath: h.directory.appendingPathComponent("generated/app.key").path) {
            try FileManager.default.createDirectory(at: h.directory.appendingPathComponent("generated"), withIntermediateDirectories: true)
            _ = try TestPKI.writeFiles(in: h.directory.appendingPathComponent("generated"))
            for (from, to) in [("ca.pem", "client-ca.pem"), ("bundle.pem", "app-bundle.pem"), ("leaf.key", "app.key")] {
                try? FileManager.default.copyItem(
                    at: h.directory.appendingPathComponent("generated/\(from)"),
                    to: h.directory.appendingPathComponent("generated/\(to)"))
            }
        }
        var rounds = 0
        while rounds < 8 {
            rounds += 1
            let plan = try await h.plan()
            #expect(plan.errors.isEmpty, "\(plan.errors)")
            if plan.isEmpty { break }
            _ = await h.apply(plan)
        }
        #expect(rounds < 8, "did not converge")
        let live = try await h.api.snapshot()
        #expect(live.owned(by: "prod").values.allSatisfy { $0.count == 1 }, "duplicates")
        try await h.expectEmptyPlan()
        await h.stop()
    }

    @Test func twoConcurrentAppliesEndWithoutDuplicates() async throws {
        let h = try await Harness.start()
        try h.write(Self.bigStack(5))
        let first = try await h.plan()
        let second = try await h.plan()
        async let a = h.apply(first)
        async let b = h.apply(second)
        _ = await (a, b)
        // Both created everything: the next plan removes the newer copies.
        let cleanup = try await h.plan()
        #expect(cleanup.operations.allSatisfy { $0.action == .dedupe || $0.action == .delete || $0.action == .attach || $0.action == .modulePut })
        #expect(await h.apply(cleanup).ok)
        try await h.converge(rounds: 2)
        try await h.expectEmptyPlan()
        #expect(try await Self.duplicates(h).isEmpty)
        #expect(try h.server.objectCount() == 5 * 6 + 10)
        await h.stop()
    }

    @Test func sharingTheAccountStaysUnderTwoPercent429s() async throws {
        // The emulator enforces 120/min per key; the stack budget is 120/min too; another client
        // spends 0.5 requests/s with the same key.
        let h = try await Harness.start(
            rateLimit: RateLimit(requests: 120, window: .seconds(60)),
            budget: APIBudget(.init(requestsPerMinute: 120, concurrency: 4)))
        try h.write(Self.bigStack(3))
        let other = NgrokClient(
            configuration: NgrokClientConfiguration(baseURL: h.server.baseURL!, apiKey: APIKey(Harness.apiKey)),
            budget: APIBudget(.init(requestsPerMinute: 30, concurrency: 1)))
        let noise = Task {
            while !Task.isCancelled {
                _ = try? await other.execute(.get, "/credentials?limit=1")
                try? await Task.sleep(for: .seconds(2))
            }
        }
        try await h.converge(rounds: 3)
        noise.cancel()
        let stats = h.client.statistics
        let share = Double(stats.rateLimited) / Double(max(1, stats.totalRequests))
        #expect(share < 0.02, "429s: \(stats.rateLimited) of \(stats.totalRequests)")
        try await h.expectEmptyPlan()
        await h.stop()
    }
}
