import Emulator
import Foundation
import Logging
import Manifests
import NgrokAPI
import NgrokModel
import Reconcile
import TestSupport
import Testing

/// A real emulator on a loopback port, a real libcurl client, and a stack directory in a temp dir.
struct Harness {
    let server: EmulatorServer
    let client: NgrokClient
    let api: NgrokClientAPI
    let directory: URL
    let environment: [String: String]

    static let apiKey = "test-key-acceptance"

    static func start(
        faults: FaultConfiguration = .none, rateLimit: RateLimit? = nil, budget: APIBudget = .unlimited(concurrency: 8),
        environment: [String: String] = [:], retry: RetryPolicy = RetryPolicy(maxAttempts: 8, baseDelay: 0.01, maxDelay: 0.2),
        clock: (@Sendable () -> Date)? = nil
    ) async throws -> Harness {
        let emulator = try await EmulatorFixture.start(apiKey: apiKey, rateLimit: rateLimit, faults: faults, clock: clock)
        let server = emulator.server
        let client = emulator.client(budget: budget, retry: retry)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ngrokctl-acc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return Harness(server: server, client: client, api: NgrokClientAPI(client: client), directory: directory, environment: environment)
    }

    func stop() async {
        await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Replaces the stack's manifests: `ngrokctl.yaml` (stack `acc`, prune on) plus `resources.yaml`.
    func write(_ resources: String, prune: Bool = true, extraStack: String = "") throws {
        let stack = """
            apiVersion: ngrokctl/v1
            kind: Stack
            metadata: {name: acc}
            spec:
              prune: \(prune)
              maxDeletions: 100
              tokenDirectory: tokens
            \(extraStack)
            """
        try stack.write(to: directory.appendingPathComponent("ngrokctl.yaml"), atomically: true, encoding: .utf8)
        try resources.write(to: directory.appendingPathComponent("resources.yaml"), atomically: true, encoding: .utf8)
    }

    func writeFile(_ name: String, _ contents: String) throws {
        try contents.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    var session: StackSession { .standard(environment: environment) }

    func plan(options: PlanOptions = PlanOptions(), sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> Plan {
        let loaded = session.load(.directory(directory.path, commit: nil))
        #expect(loaded.ok, "manifests invalid: \(loaded.diagnostics)", sourceLocation: sourceLocation)
        return try await session.plan(loaded, api: api, options: options)
    }

    func apply(_ plan: Plan, concurrency: Int = 4) async -> Executor.Result {
        // The stack's own token directory: where the next plan looks for delivered tokens.
        let tokenDirectory = session.load(.directory(directory.path, commit: nil), secrets: .optional).stack?.spec.tokenDirectory
            .map { ManifestPath.join(directory.path, $0) }
        let executor = Executor(
            api: api, concurrency: concurrency,
            tokens: TokenSink(directory: tokenDirectory ?? directory.appendingPathComponent("tokens").path),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return await executor.execute(plan)
    }

    /// Plans and applies until nothing is left (at most `rounds` times); returns the plans applied.
    @discardableResult
    func converge(rounds: Int = 1, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> [Plan] {
        var plans: [Plan] = []
        for _ in 0..<rounds {
            let plan = try await self.plan(sourceLocation: sourceLocation)
            #expect(plan.errors.isEmpty, "\(plan.errors)", sourceLocation: sourceLocation)
            if plan.isEmpty { break }
            plans.append(plan)
            let result = await apply(plan)
            #expect(result.ok, "apply failed: \(result.outcomes.filter { if case .succeeded = $0.value { false } else { true } })", sourceLocation: sourceLocation)
        }
        return plans
    }

    func expectEmptyPlan(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let plan = try await self.plan(sourceLocation: sourceLocation)
        #expect(plan.isEmpty, "expected an empty plan, got:\n\(PlanRenderer.text(plan, color: false))", sourceLocation: sourceLocation)
    }
}
