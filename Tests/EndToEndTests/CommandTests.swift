import Foundation
import Testing

/// The CLI end to end: the real binary, the embedded emulator (`--api-url local:PATH`), real files.
@Suite(.serialized) struct CommandTests {
    static func stack(in dir: URL, resources: String, prune: Bool = true) throws {
        try """
        apiVersion: ngrokctl/v1
        kind: Stack
        metadata: {name: e2e}
        spec:
          prune: \(prune)
          maxDeletions: 1
          tokenDirectory: tokens
          api: {requestsPerMinute: 6000, concurrency: 8}
        """.write(to: dir.appendingPathComponent("ngrokctl.yaml"), atomically: true, encoding: .utf8)
        try resources.write(to: dir.appendingPathComponent("main.yaml"), atomically: true, encoding: .utf8)
    }

    static let resources = """
        apiVersion: ngrokctl/v1
        kind: IPPolicy
        metadata: {name: office}
        spec:
          rules: [{cidr: 10.0.0.0/8}, {cidr: "2001:db8::/32"}]
        ---
        apiVersion: ngrokctl/v1
        kind: Credential
        metadata: {name: device-1}
        spec:
          acl: ["bind:device-1.example.com"]
        ---
        apiVersion: ngrokctl/v1
        kind: EndpointConfiguration
        metadata: {name: api}
        spec:
          type: https
          modules:
            ipPolicy: {ipPolicies: [office]}
            webhookValidation: {provider: GITHUB, secret: {env: E2E_WEBHOOK_SECRET}}
        """

    @Test func planApplyPlanWithExitCodes() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stackDir = dir.appendingPathComponent("stack")
        try FileManager.default.createDirectory(at: stackDir, withIntermediateDirectories: true)
        try Self.stack(in: stackDir, resources: Self.resources)
        let env = ["E2E_WEBHOOK_SECRET": "s3cret-value", "NGROK_API_KEY": "e2e-key"]
        let api = "local:\(dir.path)/account.sqlite"

        let validate = try await CLI.run(["validate", stackDir.path], environment: env)
        #expect(validate.status == 0, "\(validate.all)")

        let plan = try await CLI.run(["plan", stackDir.path, "--api-url", api, "--detailed-exitcode"], environment: env)
        #expect(plan.status == 2, "\(plan.all)")
        #expect(plan.stdout.contains("+ create  IPPolicy/office"))
        #expect(plan.stdout.contains("Plan: 3 to create"))

        let refused = try await CLI.run(["apply", stackDir.path, "--api-url", api], environment: env)
        #expect(refused.status == 1, "no terminal and no --auto-approve must refuse")
        #expect(refused.stderr.contains("--auto-approve"))

        let apply = try await CLI.run(["apply", stackDir.path, "--api-url", api, "--auto-approve"], environment: env)
        #expect(apply.status == 0, "\(apply.all)")
        #expect(apply.stdout.contains("Apply complete"))
        let token = stackDir.appendingPathComponent("tokens/device-1.token")
        let attributes = try FileManager.default.attributesOfItem(atPath: token.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let again = try await CLI.run(["plan", stackDir.path, "--api-url", api, "--detailed-exitcode"], environment: env)
        #expect(again.status == 0, "\(again.all)")
        #expect(again.stdout.contains("No changes"))

        let json = try await CLI.run(["plan", stackDir.path, "--api-url", api, "--format", "json"], environment: env)
        #expect(json.stdout.contains("\"format_version\": \"1\""))
    }

    /// `--git URL --ref REF --path DIR` reads the manifests from a commit (no checkout) and records it.
    @Test func planAndApplyFromAGitRepository() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let repo = dir.appendingPathComponent("repo")
        let stackDir = repo.appendingPathComponent("stacks/prod")
        try FileManager.default.createDirectory(at: stackDir, withIntermediateDirectories: true)
        try Self.stack(in: stackDir, resources: Self.resources)
        _ = try await CLI.offPool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "cd '\(repo.path)' && git init -q -b main && git add -A && git -c user.email=t@t -c user.name=t commit -qm init"]
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        let env = ["E2E_WEBHOOK_SECRET": "s3cret-value", "NGROK_API_KEY": "e2e-key"]
        let api = "local:\(dir.path)/account.sqlite"
        let git = ["--git", repo.path, "--ref", "main", "--path", "stacks/prod", "--cache-dir", dir.appendingPathComponent("cache").path]
        let plan = try await CLI.run(["plan"] + git + ["--api-url", api, "--format", "json"], environment: env, directory: dir)
        #expect(plan.status == 0, "\(plan.all)")
        #expect(plan.stdout.contains("\"source_commit\": \""))
        let apply = try await CLI.run(["apply"] + git + ["--api-url", api, "--auto-approve"], environment: env, directory: dir)
        #expect(apply.status == 0, "\(apply.all)")
        let again = try await CLI.run(["plan"] + git + ["--api-url", api, "--detailed-exitcode"], environment: env, directory: dir)
        #expect(again.status == 0, "\(again.all)")
    }

    @Test func invalidManifestsExitOneWithLocations() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.stack(in: dir, resources: "apiVersion: ngrokctl/v1\nkind: Credential\nmetadata: {name: x}\nspec:\n  acls: [\"*\"]\n")
        let result = try await CLI.run(["validate", dir.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("main.yaml:5:3"), "\(result.all)")
        let plan = try await CLI.run(["plan", dir.path, "--api-url", "local:", "--detailed-exitcode"])
        #expect(plan.status == 1)
    }

    @Test func savedPlanIsRefusedWhenStale() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stackDir = dir.appendingPathComponent("stack")
        try FileManager.default.createDirectory(at: stackDir, withIntermediateDirectories: true)
        try Self.stack(in: stackDir, resources: Self.resources)
        let env = ["E2E_WEBHOOK_SECRET": "s3cret-value", "NGROK_API_KEY": "e2e-key"]
        let api = "local:\(dir.path)/account.sqlite"
        let planFile = dir.appendingPathComponent("plan.json").path
        #expect(try await CLI.run(["plan", stackDir.path, "--api-url", api, "--out", planFile], environment: env).status == 0)
        // Someone else changes the account: the plan is stale.
        #expect(try await CLI.run(["apply", stackDir.path, "--api-url", api, "--auto-approve", "--target", "IPPolicy/office"], environment: env).status == 0)
        let stale = try await CLI.run(["apply", planFile, "--api-url", api], environment: env)
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("stale"), "\(stale.all)")
        // A fresh plan applies.
        #expect(try await CLI.run(["plan", stackDir.path, "--api-url", api, "--out", planFile], environment: env).status == 0)
        let fresh = try await CLI.run(["apply", planFile, "--api-url", api], environment: env)
        #expect(fresh.status == 0, "\(fresh.all)")
    }

    @Test func deletionsBeyondTheLimitNeedAllowDeletions() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["E2E_WEBHOOK_SECRET": "s3cret-value", "NGROK_API_KEY": "e2e-key"]
        let api = "local:\(dir.path)/account.sqlite"
        try Self.stack(in: dir, resources: Self.resources)
        #expect(try await CLI.run(["apply", dir.path, "--api-url", api, "--auto-approve"], environment: env).status == 0)
        // Keep the policy (its two rules go): the credential, the endpoint configuration and the two
        // rules are four deletions, over the stack's maxDeletions: 1.
        try Self.stack(in: dir, resources: """
            apiVersion: ngrokctl/v1
            kind: IPPolicy
            metadata: {name: office}
            spec: {rules: []}
            """)
        let refused = try await CLI.run(["apply", dir.path, "--api-url", api, "--auto-approve"], environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--allow-deletions 4"), "\(refused.all)")
        #expect(refused.stdout.contains("2 IP policy rules to delete"), "\(refused.all)")
        let allowed = try await CLI.run(["apply", dir.path, "--api-url", api, "--auto-approve", "--allow-deletions", "4"], environment: env)
        #expect(allowed.status == 0, "\(allowed.all)")
    }
}
