import Emulator
import Foundation
import NgrokAPI
import NgrokModel
import Reconcile

/// The 200-resource stack (1 policy with 120 rules, 30 credentials, 20 tcp configurations
/// with the policy, 20 reserved addresses attached) applied ONCE at concurrency 8 against
/// `--fail-rate 0.2 --throttle-rate 0.1 --drop-rate 0.05 --lost-response-rate 0.1`, for `seeds`
/// seeds. Counts: runs that converged in one apply, exact objects (no duplicate, nothing missing),
/// one token file per credential, and an empty plan after.
extension Bench {
    static func faultStack(in dir: String, rules: Int = 120, credentials: Int = 30, configurations: Int = 20) throws {
        try """
        apiVersion: ngrokctl/v1
        kind: Stack
        metadata: {name: faults}
        spec:
          prune: true
          maxDeletions: 10
          tokenDirectory: tokens
          api: {concurrency: 8}
        """.write(toFile: dir + "/ngrokctl.yaml", atomically: true, encoding: .utf8)
        var out = "---\napiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: office}\nspec:\n  rules:\n"
        for i in 0..<rules { out += "    - cidr: 10.\(i / 250).\(i % 250).0/24\n" }
        for i in 0..<credentials {
            out += "---\napiVersion: ngrokctl/v1\nkind: Credential\nmetadata: {name: c\(i)}\nspec: {acl: [\"*\"]}\n"
        }
        for i in 0..<configurations {
            out += "---\napiVersion: ngrokctl/v1\nkind: EndpointConfiguration\nmetadata: {name: e\(i)}\n"
                + "spec: {type: tcp, modules: {ipPolicy: {ipPolicies: [office]}}}\n"
            out += "---\napiVersion: ngrokctl/v1\nkind: ReservedAddress\nmetadata: {name: a\(i)}\n"
                + "spec: {region: eu, endpointConfiguration: e\(i)}\n"
        }
        try out.write(toFile: dir + "/resources.yaml", atomically: true, encoding: .utf8)
    }

    struct FaultRun {
        var converged = false
        var exact = false
        var tokens = false
        var emptyAfter = false
        var detail = ""
    }

    static func faultRun(seed: UInt64, dir: String) async throws -> FaultRun {
        let stackDir = dir + "/stack-\(seed)"
        try FileManager.default.createDirectory(atPath: stackDir, withIntermediateDirectories: true)
        try faultStack(in: stackDir)
        let faults = FaultConfiguration(seed: seed, failRate: 0.2, throttleRate: 0.1, dropRate: 0.05, lostResponseRate: 0.1)
        let server = try EmulatorServer(
            configuration: EmulatorConfiguration(apiKeys: ["bench"], rateLimit: nil, faults: faults, logger: quiet))
        let url = try await server.start()
        do {
            let run = try await faultRun(url: url, stackDir: stackDir)
            await server.stop()
            return run
        } catch {
            await server.stop()
            throw error
        }
    }

    static func faultRun(url: String, stackDir: String) async throws -> FaultRun {
        // Short backoff: the emulator's 429s and 5xx are injected, not load; the counts are the figure.
        let client = NgrokClient(
            configuration: NgrokClientConfiguration(
                baseURL: url, apiKey: APIKey("bench"),
                retry: RetryPolicy(maxAttempts: 8, baseDelay: 0.01, maxDelay: 0.2, maxRetryAfter: 0.2)),
            budget: .unlimited(concurrency: 8))
        let api = NgrokClientAPI(client: client)
        let session = StackSession.standard()
        let loaded = session.load(.directory(stackDir, commit: nil))
        var run = FaultRun()
        let plan = try await session.plan(loaded, api: api, options: PlanOptions())
        let result = await Executor(api: api, concurrency: 8, tokens: TokenSink(directory: stackDir + "/tokens"), logger: quiet)
            .execute(plan)
        run.converged = result.ok
        if !result.ok {
            let failures = result.outcomes.values.compactMap { if case .failed(let why) = $0 { why } else { nil } }
            run.detail = "\(result.failed) failed, \(result.skipped) skipped: \(failures.first ?? "")"
        }
        let live = try await api.snapshot()
        let counts = [
            live.all(.ipPolicy).count == 1, live.all(LiveState.ruleCollection).count == 120,
            live.all(.credential).count == 30, live.all(.endpointConfiguration).count == 20,
            live.all(.reservedAddress).count == 20,
        ]
        run.exact = !counts.contains(false) && live.owned(by: "faults").values.allSatisfy { $0.count == 1 }
        if !run.exact {
            run.detail += " objects: policies \(live.all(.ipPolicy).count), rules \(live.all(LiveState.ruleCollection).count), credentials \(live.all(.credential).count), configurations \(live.all(.endpointConfiguration).count), addresses \(live.all(.reservedAddress).count)"
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: stackDir + "/tokens")) ?? []
        run.tokens = files.sorted() == (0..<30).map { "c\($0).token" }.sorted()
        let after = try await session.plan(loaded, api: api, options: PlanOptions())
        run.emptyAfter = after.isEmpty
        return run
    }

    static func faultScenario(seeds: Int) async throws {
        let dir = try temporaryDirectory("faults")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let start = ContinuousClock.now
        var runs: [FaultRun] = []
        for seed in 1...max(1, seeds) {
            let run = try await faultRun(seed: UInt64(seed), dir: dir)
            if !(run.converged && run.exact && run.tokens && run.emptyAfter) {
                print("  seed \(seed): converged \(run.converged), exact \(run.exact), tokens \(run.tokens), empty plan after \(run.emptyAfter); \(run.detail)")
            }
            runs.append(run)
        }
        let n = runs.count
        print(
            "fault scenario (200 resources, fail 0.2 throttle 0.1 drop 0.05 lost 0.1, one apply at concurrency 8), \(n) seeds: "
                + "\(runs.filter(\.converged).count)/\(n) converged in one apply (target ≥ \(n - n / 20)), "
                + "\(runs.filter(\.exact).count)/\(n) exact objects, \(runs.filter(\.tokens).count)/\(n) one token file per credential, "
                + "\(runs.filter(\.emptyAfter).count)/\(n) empty plan after; \(fmt(seconds(ContinuousClock.now - start), 1)) s wall")
    }
}
