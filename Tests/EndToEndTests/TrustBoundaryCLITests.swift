import Controller
import Emulator
import Foundation
import GitSource
import Logging
import NgrokAPI
import NgrokModel
import Reconcile
import Testing
import TestSupport

/// The operator decides where the API key goes and which stack a controller manages; the
/// manifest cannot (docs/security.md). The listener is on 127.0.0.1 and records every request.
@Suite(.serialized) struct TrustBoundaryCLITests {
    static func stack(in dir: URL, api: String) throws {
        try """
        apiVersion: ngrokctl/v1
        kind: Stack
        metadata: {name: trust}
        spec: {\(api.isEmpty ? "" : "api: {url: \"\(api)\"}")}
        """.write(to: dir.appendingPathComponent("ngrokctl.yaml"), atomically: true, encoding: .utf8)
        try "apiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: office}\nspec: {rules: []}\n"
            .write(to: dir.appendingPathComponent("main.yaml"), atomically: true, encoding: .utf8)
    }

    @Test func aManifestCannotSendTheKeyElsewhere() async throws {
        let listener = try RecordingListener()
        defer { listener.stop() }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["NGROK_API_KEY": "operator-key-9f8e", "NGROK_API_URL": ""]
        try Self.stack(in: dir, api: listener.url)

        // The operator's URL is the default: the manifest's differs, so nothing is sent.
        let refused = try await CLI.run(["plan", dir.path], environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("spec.api.url is \(listener.url)"), "\(refused.all)")
        #expect(refused.stderr.contains("https://api.ngrok.com"), "\(refused.all)")
        #expect(listener.requests.isEmpty)
        #expect(!refused.all.contains("operator-key-9f8e"))

        // The operator allows the manifest's URL: now (and only now) the key goes there.
        _ = try await CLI.run(["plan", dir.path, "--allow-manifest-api-url"], environment: env)
        #expect(listener.authorizations.first == "Authorization: Bearer operator-key-9f8e")

        // The same URL given by the operator is fine without the flag.
        let count = listener.requests.count
        _ = try await CLI.run(["plan", dir.path, "--api-url", listener.url], environment: env)
        #expect(listener.requests.count > count)

        // local: is never taken from a manifest, even when allowed: no SQLite file appears.
        let db = dir.appendingPathComponent("planted.sqlite").path
        try Self.stack(in: dir, api: "local:\(db)")
        let local = try await CLI.run(["apply", dir.path, "--allow-manifest-api-url", "--auto-approve"], environment: env)
        #expect(local.status == 1)
        #expect(local.stderr.contains("local:"), "\(local.all)")
        #expect(!FileManager.default.fileExists(atPath: db))

        // The operator's own plain-http URL to a non-loopback host is refused before connecting.
        try Self.stack(in: dir, api: "")
        let plain = try await CLI.run(["plan", dir.path, "--api-url", "http://203.0.113.9:8080"], environment: env)
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("refusing to send the API key over plain http"), "\(plain.all)")
    }

    @Test func theControllerAppliesOnlyItsOwnStack() async throws {
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let root = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let emulator = try await EmulatorFixture.start(apiKey: "ctl")
        let (server, url) = (emulator.server, emulator.baseURL)
        defer { Task { await server.stop() } }
        let client = NgrokClient(configuration: NgrokClientConfiguration(baseURL: url, apiKey: APIKey("ctl")), budget: .unlimited())
        var configuration = ControllerConfiguration(gitURL: "unused", stateDirectory: root.path)
        configuration.stack = "prod"
        let engine = ReconcileEngine(session: .standard(environment: [:]), client: client, logger: quiet, configuration: configuration)
        func snapshot(_ name: String) -> SourceSnapshot {
            SourceSnapshot(
                commit: String(repeating: "a", count: 40),
                files: [
                    "ngrokctl.yaml": Array("apiVersion: ngrokctl/v1\nkind: Stack\nmetadata: {name: \(name)}\nspec: {prune: true}\n".utf8),
                    "main.yaml": Array("apiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: office}\nspec: {rules: []}\n".utf8),
                ],
                ref: "main", url: "unused", path: "")
        }
        let other = try await engine.sync(snapshot("other"), dryRun: false)
        #expect(other.result == .invalid)
        #expect(other.errorText?.contains("the operator manages stack prod") == true, "\(other.errorText ?? "")")
        #expect(client.statistics.totalRequests == 0)
        let own = try await engine.sync(snapshot("prod"), dryRun: false)
        #expect(own.result == .applied, "\(own.errorText ?? "")")
    }

    /// A secret file tracked by git is a warning; the same file ignored by git is not.
    @Test func aSecretFileTrackedByGitWarns() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "apiVersion: ngrokctl/v1\nkind: Stack\nmetadata: {name: tracked}\n"
            .write(to: dir.appendingPathComponent("ngrokctl.yaml"), atomically: true, encoding: .utf8)
        try """
        apiVersion: ngrokctl/v1
        kind: EndpointConfiguration
        metadata: {name: hooks}
        spec:
          type: https
          modules: {webhookValidation: {provider: GITHUB, secret: {file: hook.secret}}}
        """.write(to: dir.appendingPathComponent("main.yaml"), atomically: true, encoding: .utf8)
        try "tracked-secret-value-77\n".write(to: dir.appendingPathComponent("hook.secret"), atomically: true, encoding: .utf8)
        try await ControllerSyncTests.git("init -q -b main && git add -A", in: dir.path)
        let tracked = try await CLI.run(["validate", dir.path])
        #expect(tracked.status == 0, "\(tracked.all)")
        #expect(tracked.all.contains("the secret file is tracked by git"), "\(tracked.all)")
        #expect(!tracked.all.contains("tracked-secret-value-77"))
        try await ControllerSyncTests.git("rm -q --cached hook.secret && echo hook.secret > .gitignore", in: dir.path)
        let ignored = try await CLI.run(["validate", dir.path])
        #expect(ignored.status == 0, "\(ignored.all)")
        #expect(!ignored.all.contains("tracked by git"), "\(ignored.all)")
    }
}
