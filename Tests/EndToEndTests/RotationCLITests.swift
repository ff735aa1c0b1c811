import Emulator
import Foundation
import Logging
import NgrokAPI
import NgrokModel
import Reconcile
import TestSupport
import Testing

/// `ngrokctl rotate`, `tokenCommand`, and a `kill -9` between a credential's create and its token
/// write, through the real binary against an in-process emulator.
@Suite(.serialized) struct RotationCLITests {
    struct Setup {
        var server: EmulatorServer
        var url: String
        var dir: URL
        var api: NgrokClientAPI
        var env: [String: String]

        func credentials() async throws -> [Reconcile.LiveObject] {
            try await api.snapshot().owned(by: "rot")[ResourceAddress(.credential, "dev")] ?? []
        }

        func token(_ name: String) -> String? {
            (try? String(contentsOf: dir.appendingPathComponent("tokens/\(name)"), encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func files() -> Set<String> {
            Set(((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("tokens").path)) ?? []))
        }
    }

    static func setup(stackExtra: String = "", rotation: String = "{every: 90d, overlap: 7d}") async throws -> Setup {
        let emulator = try await EmulatorFixture.start(apiKey: "rot-key")
        let (server, url) = (emulator.server, emulator.baseURL)
        let dir = try CLI.temporaryDirectory()
        try """
        apiVersion: ngrokctl/v1
        kind: Stack
        metadata: {name: rot}
        spec:
          prune: true
          tokenDirectory: tokens
        \(stackExtra)
        """.write(to: dir.appendingPathComponent("ngrokctl.yaml"), atomically: true, encoding: .utf8)
        try """
        apiVersion: ngrokctl/v1
        kind: Credential
        metadata: {name: dev}
        spec:
          acl: ["*"]
          rotation: \(rotation)
        """.write(to: dir.appendingPathComponent("main.yaml"), atomically: true, encoding: .utf8)
        let client = NgrokClient(
            configuration: NgrokClientConfiguration(baseURL: url, apiKey: APIKey("rot-key")), budget: .unlimited())
        return Setup(server: server, url: url, dir: dir, api: NgrokClientAPI(client: client), env: ["NGROK_API_KEY": "rot-key"])
    }

    @Test func rotateThenRevokeNowLeavesOneGeneration() async throws {
        let s = try await Self.setup()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let apply = try await CLI.run(["apply", s.dir.path, "--api-url", s.url, "--auto-approve"], environment: s.env)
        #expect(apply.status == 0, "\(apply.all)")
        let rotate = try await CLI.run(["rotate", s.dir.path, "Credential/dev", "--api-url", s.url, "--auto-approve"], environment: s.env)
        #expect(rotate.status == 0, "\(rotate.all)")
        #expect(rotate.stdout.contains("+ rotate  Credential/dev"), "\(rotate.stdout)")
        #expect(try await s.credentials().count == 2)
        #expect(s.files() == ["dev.token", "dev.gen-1.token", "dev.gen-2.token"])
        // Not due yet: the plan is empty, both generations stay valid.
        let plan = try await CLI.run(["plan", s.dir.path, "--api-url", s.url, "--detailed-exitcode"], environment: s.env)
        #expect(plan.status == 0, "\(plan.all)")
        let emergency = try await CLI.run(
            ["rotate", s.dir.path, "Credential/dev", "--revoke-now", "--api-url", s.url, "--auto-approve"], environment: s.env)
        #expect(emergency.status == 0, "\(emergency.all)")
        let left = try await s.credentials()
        #expect(left.count == 1 && left.first?.marker?.generation == 3)
        #expect(s.files() == ["dev.token", "dev.gen-3.token"])
        #expect(s.token("dev.token") == s.token("dev.gen-3.token"))
        #expect(s.token("dev.token")?.hasPrefix(String(left[0].id.dropFirst(3)) + "_") == true)
        // `rotate Credential/NAME` alone uses the current directory.
        let here = try await CLI.run(["rotate", "Credential/dev", "--api-url", s.url, "--auto-approve"], environment: s.env, directory: s.dir)
        #expect(here.status == 0, "\(here.all)")
        let notACredential = try await CLI.run(["rotate", s.dir.path, "IPPolicy/x", "--api-url", s.url], environment: s.env)
        #expect(notACredential.status != 0 && notACredential.stderr.contains("Credential/NAME"))
        await s.server.stop()
    }

    @Test func manifestTokenCommandNeedsTheOperator() async throws {
        let s = try await Self.setup(stackExtra: "  tokenCommand: \"cat > pushed.txt\"")
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let refused = try await CLI.run(["apply", s.dir.path, "--api-url", s.url, "--auto-approve"], environment: s.env)
        #expect(refused.status != 0 && refused.stderr.contains("--allow-manifest-token-command"), "\(refused.all)")
        #expect(try await s.credentials().isEmpty)
        let allowed = try await CLI.run(
            ["apply", s.dir.path, "--api-url", s.url, "--auto-approve", "--allow-manifest-token-command"], environment: s.env)
        #expect(allowed.status == 0, "\(allowed.all)")
        let pushed = try String(contentsOf: s.dir.appendingPathComponent("pushed.txt"), encoding: .utf8)
        #expect(pushed.trimmingCharacters(in: .whitespacesAndNewlines) == s.token("dev.token"))
        await s.server.stop()
    }

    /// The token command stalls after the create: the process is killed before any token file is
    /// written. The next apply replaces the undelivered credential; no untracked generation stays.
    @Test func killNineBetweenCreateAndTokenWriteHeals() async throws {
        let s = try await Self.setup()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let mark = s.dir.appendingPathComponent("in-token-command")
        let stall = "touch '\(mark.path)'; while [ -e '\(mark.path)' ]; do sleep 0.05; done; exit 1"
        for trial in 0..<2 {
            // Round 0: the first generation; trial 1: a rotation of an existing credential.
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = (trial == 0 ? ["apply", s.dir.path] : ["rotate", s.dir.path, "Credential/dev"])
                + ["--api-url", s.url, "--auto-approve", "--token-command", stall]
            process.environment = ProcessInfo.processInfo.environment.merging(s.env) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var waited = 0
            while !FileManager.default.fileExists(atPath: mark.path), waited < 6000, process.isRunning {
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            #expect(FileManager.default.fileExists(atPath: mark.path), "trial \(trial): the token command never ran")
            kill(process.processIdentifier, SIGKILL)
            try await CLI.offPool { process.waitUntilExit() }
            try? FileManager.default.removeItem(at: mark)
            let stranded = try await s.credentials()
            #expect(stranded.count == trial + 1, "trial \(trial): the create did not happen before the kill")

            let plan = try await CLI.run(["plan", s.dir.path, "--api-url", s.url], environment: s.env)
            #expect(plan.stdout.contains("token never delivered"), "trial \(trial): \(plan.stdout)")
            let resume = try await CLI.run(["apply", s.dir.path, "--api-url", s.url, "--auto-approve"], environment: s.env)
            #expect(resume.status == 0, "trial \(trial): \(resume.all)")
            let healed = try await s.credentials()
            #expect(healed.count == trial + 1, "trial \(trial): \(healed.count) generations")
            #expect(!healed.contains { $0.id == stranded.last!.id }, "trial \(trial): the undelivered credential stayed")
            for object in healed {
                let g = object.marker?.generation ?? 1
                let prefix = String(object.id.dropFirst(3)) + "_"
                #expect(s.token("dev.gen-\(g).token")?.hasPrefix(prefix) == true, "trial \(trial): gen \(g)")
            }
            let empty = try await CLI.run(["plan", s.dir.path, "--api-url", s.url, "--detailed-exitcode"], environment: s.env)
            #expect(empty.status == 0, "trial \(trial): \(empty.all)")
        }
        await s.server.stop()
    }
}
