import Controller
import Emulator
import Foundation
import GitSource
import Logging
import NgrokAPI
import NgrokModel
import Reconcile
import TestSupport
import Testing

/// The controller with the real engine: a git repository in a temp dir, the emulator over loopback.
/// Commits that add, change, rename and remove resources converge; a bad commit is not applied;
/// drift made through the API is reverted.
@Suite(.serialized) struct ControllerSyncTests {
    static func git(_ args: String, in dir: String) async throws {
        _ = try await CLI.offPool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "cd '\(dir)' && git -c user.email=t@t -c user.name=t -c commit.gpgsign=false \(args)"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
    }

    static let stackFile = """
        apiVersion: ngrokctl/v1
        kind: Stack
        metadata: {name: ctl}
        spec: {prune: true, maxDeletions: 10, tokenDirectory: tokens}
        """

    static func waitFor(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        do {
            try await eventually(what, timeout: timeout, interval: .milliseconds(100), condition)
        } catch let error as FixtureError {
            Issue.record("\(error)")
        }
    }

    /// A git repository under `root` with the stack file and `resources` as `stack/main.yaml`,
    /// committed on main; returns its path.
    static func repository(in root: URL, resources: String) async throws -> String {
        let repo = root.appendingPathComponent("repo").path
        try FileManager.default.createDirectory(atPath: repo + "/stack", withIntermediateDirectories: true)
        try stackFile.write(toFile: repo + "/stack/ngrokctl.yaml", atomically: true, encoding: .utf8)
        try resources.write(toFile: repo + "/stack/main.yaml", atomically: true, encoding: .utf8)
        try await git("init -q -b main", in: repo)
        try await git("add -A && git -c user.email=t@t -c user.name=t commit -qm one", in: repo)
        return repo
    }

    @Test func commitsConvergeBadCommitsAreNotAppliedAndDriftIsReverted() async throws {
        let root = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let repo = try await Self.repository(
            in: root, resources: "apiVersion: ngrokctl/v1\nkind: Credential\nmetadata: {name: one}\nspec: {acl: [\"*\"]}\n")
        func write(_ resources: String, _ message: String) async throws {
            try resources.write(toFile: repo + "/stack/main.yaml", atomically: true, encoding: .utf8)
            try await Self.git("add -A && git -c user.email=t@t -c user.name=t commit -qm '\(message)'", in: repo)
        }

        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let emulator = try await EmulatorFixture.start(apiKey: "ctl")
        let (server, url) = (emulator.server, emulator.baseURL)
        let client = NgrokClient(configuration: NgrokClientConfiguration(baseURL: url, apiKey: APIKey("ctl")), budget: .unlimited())
        let api = NgrokClientAPI(client: client)
        let configuration = ControllerConfiguration(
            gitURL: repo, ref: "main", path: "stack", interval: .milliseconds(200), driftInterval: .seconds(1),
            listenPort: 0, stateDirectory: root.appendingPathComponent("state").path, jitter: 0)
        let controller = try Controller(
            configuration: configuration,
            engine: ReconcileEngine(session: .standard(), client: client, logger: quiet, tokenBase: root.path),
            logger: quiet)
        let run = Task { try await controller.run() }

        func owned() async throws -> [ResourceAddress: [Reconcile.LiveObject]] { try await api.snapshot().owned(by: "ctl") }
        try await Self.waitFor("the first commit") { try await owned().keys.map(\.description) == ["Credential/one"] }

        // Add and change.
        try await write(
            "apiVersion: ngrokctl/v1\nkind: Credential\nmetadata: {name: one}\nspec: {acl: [\"bind:one.example.com\"]}\n"
                + "---\napiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: office}\nspec: {rules: [{cidr: 10.0.0.0/8}]}\n",
            "add and change")
        try await Self.waitFor("add and change") {
            let live = try await owned()
            return live.count == 2
                && live[ResourceAddress(.credential, "one")]?.first?.json["acl"] == .list([.string("bind:one.example.com")])
        }
        // Rename (the old one is pruned) and remove.
        try await write(
            "apiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: headquarters}\nspec: {rules: [{cidr: 10.0.0.0/8}]}\n",
            "rename and remove")
        try await Self.waitFor("rename and remove") { try await owned().keys.map(\.description) == ["IPPolicy/headquarters"] }

        // A bad commit is reported and not applied; the last good commit stays enforced. (The
        // account changes before the controller records the sync: wait for the status too.)
        let good = try String(contentsOfFile: repo + "/.git/refs/heads/main", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await Self.waitFor("the status to record the rename") { controller.status.lastGoodCommit == good }
        try await write("apiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: headquarters}\nspec: {rules: [{cidr: 10.0.0.1/8}]}\n", "bad")
        try await Self.waitFor("the bad commit to be reported") { controller.status.lastResult == .invalid }
        #expect(controller.status.lastGoodCommit == good)
        #expect(controller.status.lastError?.contains("10.0.0.0/8") == true)

        // Drift made through the API is reverted at the next drift check.
        let policy = try #require(await owned()[ResourceAddress(.ipPolicy, "headquarters")]?.first)
        _ = try await api.send(method: .delete, path: "/ip_policies/\(policy.id)", body: nil)
        try await Self.waitFor("drift to be reverted") { try await owned().keys.map(\.description) == ["IPPolicy/headquarters"] }

        run.cancel()
        _ = try? await run.value
        await server.stop()
    }
}
