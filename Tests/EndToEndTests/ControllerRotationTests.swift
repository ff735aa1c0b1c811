import Controller
import Emulator
import Foundation
import Logging
import NgrokAPI
import NgrokModel
import Reconcile
import Synchronization
import TestSupport
import Testing

/// The emulator's clock, offset from the real one so that new credentials are born old.
final class OffsetClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    func set(days: Double) { offset.withLock { $0 = days * 86_400 } }
    var closure: @Sendable () -> Date { { Date().addingTimeInterval(self.offset.withLock { $0 }) } }
}

/// The controller rotates due credentials on its drift timer, lists upcoming rotations on
/// `/status` and exports the credential metrics.
@Suite(.serialized) struct ControllerRotationTests {
    @Test func dueRotationsHappenOnTheDriftTimer() async throws {
        let root = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let repo = try await ControllerSyncTests.repository(
            in: root, resources: "apiVersion: ngrokctl/v1\nkind: Credential\nmetadata: {name: one}\nspec: {acl: [\"*\"], rotation: {every: 90d, overlap: 1d}}\n")

        let clock = OffsetClock()
        clock.set(days: -100)  // every credential the emulator creates is 100 days old
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        var emulator = EmulatorConfiguration(apiKeys: ["ctl"], rateLimit: nil, logger: quiet)
        emulator.clock = clock.closure
        let server = try EmulatorServer(configuration: emulator)
        let url = try await server.start()
        let client = NgrokClient(configuration: NgrokClientConfiguration(baseURL: url, apiKey: APIKey("ctl")), budget: .unlimited())
        let api = NgrokClientAPI(client: client)
        let configuration = ControllerConfiguration(
            gitURL: repo, ref: "main", path: "stack", interval: .milliseconds(200), driftInterval: .milliseconds(500),
            listenPort: 0, stateDirectory: root.appendingPathComponent("state").path, jitter: 0)
        let controller = try Controller(
            configuration: configuration,
            engine: ReconcileEngine(session: .standard(), client: client, logger: quiet, tokenBase: root.path),
            logger: quiet)
        let run = Task { try await controller.run() }
        func generations() async throws -> [Int] {
            try await (api.snapshot().owned(by: "ctl")[ResourceAddress(.credential, "one")] ?? []).map { $0.marker?.generation ?? 1 }.sorted()
        }
        // Created, then rotated by a drift sync (it is 100 days old), without any new commit.
        try await ControllerSyncTests.waitFor("a rotation") { try await generations().max() ?? 0 >= 2 }
        clock.set(days: 0)
        // The new generations are young now: every older one but the last is revoked after its overlap.
        try await ControllerSyncTests.waitFor("the older generations to be revoked") {
            let live = try await generations()
            let status = controller.status
            return live.count == 2 && status.upcomingRotations?.first?.generation == live.last
                && (status.upcomingRotations?.first?.nextRotation ?? .distantPast) > Date().addingTimeInterval(89 * 86_400)
        }
        let live = try await generations()
        let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tokens").path)
        #expect(Set(files) == Set(["one.token"] + live.map { "one.gen-\($0).token" }), "\(files) for \(live)")
        let metrics = controller.metrics.exposition()
        #expect(metrics.contains("ngrokctl_credential_rotations_total{result=\"succeeded\"}"), "\(metrics)")
        #expect(!metrics.contains("ngrokctl_credential_rotations_total{result=\"succeeded\"} 0"), "\(metrics)")
        #expect(metrics.contains("ngrokctl_credential_age_seconds{credential=\"one\"}"), "\(metrics)")
        run.cancel()
        _ = try? await run.value
        await server.stop()
    }

    /// The operator's `tokenCommand` (controller config) receives each new token on standard input;
    /// the token file holds the same token.
    @Test func theOperatorsTokenCommandReceivesEachNewToken() async throws {
        let root = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let repo = try await ControllerSyncTests.repository(
            in: root, resources: "apiVersion: ngrokctl/v1\nkind: Credential\nmetadata: {name: one}\nspec: {acl: [\"*\"]}\n")
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let emulator = try await EmulatorFixture.start(apiKey: "ctl")
        let (server, url) = (emulator.server, emulator.baseURL)
        let client = NgrokClient(configuration: NgrokClientConfiguration(baseURL: url, apiKey: APIKey("ctl")), budget: .unlimited())
        let pushed = root.appendingPathComponent("pushed.txt").path
        var configuration = ControllerConfiguration(
            gitURL: repo, ref: "main", path: "stack", interval: .milliseconds(200), driftInterval: .seconds(60),
            listenPort: 0, stateDirectory: root.appendingPathComponent("state").path, jitter: 0)
        configuration.tokenCommand = "cat > '\(pushed).tmp' && echo \"$NGROKCTL_CREDENTIAL\" >> '\(pushed).tmp' && mv '\(pushed).tmp' '\(pushed)'"
        let engine = ReconcileEngine(session: .standard(), client: client, logger: quiet, configuration: configuration)
        let controller = try Controller(configuration: configuration, engine: engine, logger: quiet)
        let run = Task { try await controller.run() }
        let tokenFile = root.appendingPathComponent("state/tokens/one.token").path
        // The command runs first; the token file is written once it succeeded.
        try await ControllerSyncTests.waitFor("the token command and the token file") {
            FileManager.default.fileExists(atPath: pushed) && FileManager.default.fileExists(atPath: tokenFile)
        }
        let lines = try String(contentsOfFile: pushed, encoding: .utf8).split(separator: "\n").map(String.init)
        let file = try String(contentsOfFile: tokenFile, encoding: .utf8)
        #expect(lines == [file.trimmingCharacters(in: .whitespacesAndNewlines), "one"])
        run.cancel()
        _ = try? await run.value
        await server.stop()
    }
}
