import Controller
import Emulator
import Foundation
import GitSource
import Logging
import NgrokAPI
import NgrokModel
import Reconcile
import ServiceLifecycle
import TestSupport
import Testing

/// SIGTERM (graceful shutdown) during a long apply: the apply stops between operations, the
/// controller returns without error (exit 0), the account holds only completed operations, and
/// the next sync finishes the job.
@Suite(.serialized) struct ControllerShutdownTests {
    @Test func shutdownStopsTheApplyBetweenOperationsAndTheNextSyncResumes() async throws {
        let root = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let repo = root.appendingPathComponent("repo").path
        try FileManager.default.createDirectory(atPath: repo + "/stack", withIntermediateDirectories: true)
        try """
            apiVersion: ngrokctl/v1
            kind: Stack
            metadata: {name: halt}
            spec: {prune: true, api: {concurrency: 1}}
            """.write(toFile: repo + "/stack/ngrokctl.yaml", atomically: true, encoding: .utf8)
        let count = 30
        let policies = (0..<count).map {
            "apiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: p\($0)}\nspec: {description: p\($0)}\n"
        }.joined(separator: "---\n")
        try policies.write(toFile: repo + "/stack/policies.yaml", atomically: true, encoding: .utf8)
        try await ControllerSyncTests.git("init -q -b main && git add -A && git -c user.email=t@t -c user.name=t commit -qm all", in: repo)

        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        // Every API request takes 150 ms: the apply of 30 creates takes several seconds.
        let emulator = try await EmulatorFixture.start(
            apiKey: "halt", faults: FaultConfiguration(latency: .init(min: .milliseconds(150), max: .milliseconds(150))))
        let (server, url) = (emulator.server, emulator.baseURL)
        defer { Task { await server.stop() } }
        let client = NgrokClient(configuration: NgrokClientConfiguration(baseURL: url, apiKey: APIKey("halt")), budget: .unlimited())
        let engine = ReconcileEngine(session: .standard(), client: client, logger: quiet, tokenBase: root.path)
        var configuration = ControllerConfiguration(
            gitURL: repo, ref: "main", path: "stack", interval: .seconds(3600), driftInterval: .seconds(3600),
            listenPort: 0, stateDirectory: root.appendingPathComponent("state").path, jitter: 0)
        configuration.shutdownTimeout = .seconds(20)
        let controller = try Controller(configuration: configuration, engine: engine, logger: quiet)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [controller], logger: quiet))

        // A separate client for observing (no latency budget shared with the controller's).
        let observer = NgrokClientAPI(client: NgrokClient(
            configuration: NgrokClientConfiguration(baseURL: url, apiKey: APIKey("halt")), budget: .unlimited()))
        func owned() async throws -> Int { try await observer.snapshot().owned(by: "halt").count }

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await ControllerSyncTests.waitFor("the apply to start") { try await owned() >= 2 }
            await group.triggerGracefulShutdown()  // what SIGTERM does
            try await tasks.waitForAll()  // run() returned without error: the process exits 0
        }
        let afterStop = try await owned()
        #expect(afterStop < count, "the whole apply ran although shutdown was requested")
        #expect(controller.status.phase == "stopped")
        #expect(controller.status.lastResult == .failed)
        #expect(controller.status.lastError?.contains("stopped by shutdown") == true, "\(controller.status.lastError ?? "")")

        // Resumable: the next sync creates exactly the rest (no duplicates), then nothing is left.
        let snapshot = try await GitRepositorySource(configuration: configuration.gitSourceConfiguration).fetchSnapshot()
        let resumed = try await engine.sync(snapshot, dryRun: false)
        #expect(resumed.result == .applied)
        #expect(resumed.changes["create"] == count - afterStop)
        #expect(try await owned() == count)
        #expect(try await engine.sync(snapshot, dryRun: false).result == .noChange)
    }
}
