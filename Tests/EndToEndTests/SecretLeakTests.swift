import Foundation
import TestSupport
import Testing

/// Seed unique canary strings as every secret and assert they never appear in any output,
/// plan file or log.
@Suite struct SecretLeakTests {
    @Test func noSecretAppearsAnywhere() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stack = dir.appendingPathComponent("stack")
        try FileManager.default.createDirectory(at: stack, withIntermediateDirectories: true)
        let keys = dir.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        let leaf = try TestPKI.makeLeaf(["app.example.com"], signedBy: try TestPKI.makeCA())
        try Data((leaf.keyPEM + "\n").utf8).write(to: keys.appendingPathComponent("app.key"))
        try Data((leaf.certificatePEM + "\n").utf8).write(to: keys.appendingPathComponent("app.pem"))
        let privateKey = try String(contentsOf: keys.appendingPathComponent("app.key"), encoding: .utf8)
        let keyBody = privateKey.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)

        let canaries = [
            "E2E_OAUTH_SECRET": "canary-oauth-2b7e151628aed2a6",
            "E2E_OIDC_SECRET": "canary-oidc-abf7158809cf4f3c",
            "E2E_WEBHOOK_SECRET": "canary-webhook-762e7160f38b4da5",
        ]
        let apiKey = "canary-apikey-6a09e667f3bcc908"
        var env = canaries
        env["NGROK_API_KEY"] = apiKey
        try """
        apiVersion: ngrokctl/v1
        kind: Stack
        metadata: {name: leak}
        spec: {prune: true, api: {requestsPerMinute: 6000}}
        """.write(to: stack.appendingPathComponent("ngrokctl.yaml"), atomically: true, encoding: .utf8)
        try """
        apiVersion: ngrokctl/v1
        kind: TLSCertificate
        metadata: {name: app}
        spec:
          certificatePem: {file: \(keys.path)/app.pem}
          privateKeyPem: {file: \(keys.path)/app.key}
        ---
        apiVersion: ngrokctl/v1
        kind: Credential
        metadata: {name: device}
        spec: {acl: ["*"]}
        ---
        apiVersion: ngrokctl/v1
        kind: EndpointConfiguration
        metadata: {name: google}
        spec:
          type: https
          modules:
            oauth: {provider: google, clientId: id.apps.googleusercontent.com, clientSecret: {env: E2E_OAUTH_SECRET}}
            webhookValidation: {provider: STRIPE, secret: {env: E2E_WEBHOOK_SECRET}}
        ---
        apiVersion: ngrokctl/v1
        kind: EndpointConfiguration
        metadata: {name: sso}
        spec:
          type: https
          modules:
            oidc: {issuer: "https://id.example.com", clientId: app, clientSecret: {env: E2E_OIDC_SECRET}}
        ---
        apiVersion: ngrokctl/v1
        kind: ReservedDomain
        metadata: {name: app}
        spec: {domain: app.example.com, certificate: app, httpsEndpointConfiguration: google}
        """.write(to: stack.appendingPathComponent("main.yaml"), atomically: true, encoding: .utf8)

        let api = "local:\(dir.path)/account.sqlite"
        let planFile = dir.appendingPathComponent("plan.json")
        var outputs: [String] = []
        func run(_ args: [String]) async throws -> CLI.Result {
            // The keys live outside the stack, in a directory the operator allows; so do the tokens.
            var args = args + ["--file-dir", keys.path]
            if args[0] != "validate" { args += ["--token-dir", dir.appendingPathComponent("tokens").path] }
            let r = try await CLI.run(args, environment: env)
            outputs.append(r.all)
            return r
        }
        #expect(try await run(["validate", stack.path]).status == 0)
        for format in ["text", "json", "markdown"] {
            #expect(try await run(["plan", stack.path, "--api-url", api, "--format", format, "--verbose"]).status == 0)
        }
        #expect(try await run(["plan", stack.path, "--api-url", api, "--out", planFile.path]).status == 0)
        outputs.append(try String(contentsOf: planFile, encoding: .utf8))
        let apply = try await run(["apply", planFile.path, "--api-url", api, "--verbose"])
        #expect(apply.status == 0, "\(apply.all)")
        // Change every secret: the plan notices, and still shows none.
        for (k, v) in canaries { env[k] = v + "-rotated" }
        let rotated = try await run(["plan", stack.path, "--api-url", api, "--format", "json"])
        #expect(rotated.stdout.contains("(sensitive)"))
        #expect(try await run(["apply", stack.path, "--api-url", api, "--auto-approve", "--verbose"]).status == 0)
        let token = try String(contentsOf: dir.appendingPathComponent("tokens/device.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!token.isEmpty)

        // Rotation: the new tokens go to files and to a token command that echoes them back (its
        // output is not shown, and its failure report masks the token).
        var tokens: Set<String> = [token]
        func collectTokens() {
            let tokenDir = dir.appendingPathComponent("tokens")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: tokenDir.path)) ?? [] where name.hasSuffix(".token") {
                if let text = try? String(contentsOf: tokenDir.appendingPathComponent(name), encoding: .utf8) {
                    tokens.insert(text.trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
        }
        let rotateArgs = ["rotate", stack.path, "Credential/device", "--api-url", api, "--auto-approve", "--verbose"]
        #expect(try await run(rotateArgs + ["--token-command", "cat; cat >&2"]).status == 0)
        collectTokens()
        let failing = try await run(rotateArgs + ["--revoke-now", "--token-command", "cat; exit 1"])
        #expect(failing.status != 0 && failing.all.contains("(token)"), "\(failing.all)")
        #expect(try await run(rotateArgs + ["--revoke-now"]).status == 0)
        collectTokens()
        #expect(tokens.count == 3)

        let everything = outputs.joined(separator: "\n")
        var secrets = Array(canaries.values) + canaries.values.map { $0 + "-rotated" } + [apiKey] + Array(tokens)
        secrets += keyBody.filter { $0.count > 20 }
        for secret in secrets {
            #expect(!everything.contains(secret), "a secret leaked into the output")
        }
    }
}
