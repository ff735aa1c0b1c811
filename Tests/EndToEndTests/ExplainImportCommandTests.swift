import Foundation
import Testing

/// `explain`, `import` and `plan --explain-access` through the real binary and the embedded emulator.
@Suite(.serialized) struct ExplainImportCommandTests {
    static let resources = """
        apiVersion: ngrokctl/v1
        kind: IPPolicy
        metadata: {name: office}
        spec:
          rules: [{cidr: 203.0.113.0/24, description: "Paris \\"HQ\\""}, {cidr: "2001:db8::/32"}]
        ---
        apiVersion: ngrokctl/v1
        kind: IPPolicy
        metadata: {name: abusers}
        spec:
          action: deny
          rules: [{cidr: 203.0.113.66/32}]
        ---
        apiVersion: ngrokctl/v1
        kind: Credential
        metadata: {name: sensors}
        spec:
          acl: ["bind:*.sensors.example.com"]
        ---
        apiVersion: ngrokctl/v1
        kind: EndpointConfiguration
        metadata: {name: app}
        spec:
          type: https
          modules:
            ipPolicy: {ipPolicies: [office, abusers]}
            compression: {}
            webhookValidation: {provider: GITHUB, secret: {env: E2E_WEBHOOK_SECRET}}
        ---
        apiVersion: ngrokctl/v1
        kind: ReservedDomain
        metadata: {name: app}
        spec:
          domain: app.example.com
          httpsEndpointConfiguration: app
        """

    static let secret = "e2e-explain-webhook-secret-canary"

    struct Env {
        var dir: URL
        var stack: URL
        var api: String
        var env: [String: String]
    }

    func setUp() async throws -> Env {
        let dir = try CLI.temporaryDirectory()
        let stack = dir.appendingPathComponent("stack")
        try FileManager.default.createDirectory(at: stack, withIntermediateDirectories: true)
        try CommandTests.stack(in: stack, resources: Self.resources)
        let env = Env(dir: dir, stack: stack, api: "local:\(dir.path)/account.sqlite", env: ["NGROK_API_KEY": "e2e-key"])
        let apply = try await CLI.run(
            ["apply", stack.path, "--api-url", env.api, "--auto-approve"],
            environment: env.env.merging(["E2E_WEBHOOK_SECRET": Self.secret]) { $1 })
        #expect(apply.status == 0, "\(apply.all)")
        return env
    }

    @Test func explainAccessBindAndEndpointOfflineAndLive() async throws {
        let e = try await setUp()
        defer { try? FileManager.default.removeItem(at: e.dir) }
        for live in [false, true] {
            let mode = live ? ["--live", "--api-url", e.api] : []
            let allowed = try await CLI.run(
                ["explain", "access", e.stack.path, "--ip", "203.0.113.7", "--host", "app.example.com"] + mode, environment: e.env)
            #expect(allowed.status == 0, "\(allowed.all)")
            #expect(allowed.stdout.hasPrefix("ALLOWED"), "\(allowed.all)")
            #expect(allowed.stdout.contains("IPPolicy/office (allow) rule 203.0.113.0/24"))

            let denied = try await CLI.run(
                ["explain", "access", e.stack.path, "--ip", "203.0.113.66", "--host", "app.example.com", "--format", "json"] + mode,
                environment: e.env)
            #expect(denied.status == 3, "\(denied.all)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(denied.stdout.utf8)) as? [String: Any])
            #expect(json["allowed"] as? Bool == false)
            #expect(json["configuration"] as? String == "app")
            #expect((json["steps"] as? [Any])?.isEmpty == false)
            #expect(json["origin"] as? String == (live ? "live" : "offline"))

            let bind = try await CLI.run(
                ["explain", "bind", e.stack.path, "--credential", "sensors", "--host", "a.b.sensors.example.com"] + mode,
                environment: e.env)
            #expect(bind.status == 0, "\(bind.all)")
            #expect(bind.stdout.contains("rule bind:*.sensors.example.com"))
            let noBind = try await CLI.run(
                ["explain", "bind", e.stack.path, "--credential", "sensors", "--host", "sensors.example.com"] + mode,
                environment: e.env)
            #expect(noBind.status == 3, "\(noBind.all)")

            let endpoint = try await CLI.run(["explain", "endpoint", e.stack.path, "app.example.com"] + mode, environment: e.env)
            #expect(endpoint.status == 0, "\(endpoint.all)")
            #expect(endpoint.stdout.contains("ipPolicy: abusers (deny: 203.0.113.66/32); office (allow: 203.0.113.0/24, 2001:db8::/32)"), "\(endpoint.stdout)")
            #expect(endpoint.stdout.contains("compression: on"))
            #expect(endpoint.stdout.contains("webhookValidation: provider GITHUB"))
            let endpointJSON = try await CLI.run(
                ["explain", "endpoint", e.stack.path, "app.example.com", "--format", "json"] + mode, environment: e.env)
            #expect(endpointJSON.status == 0, "\(endpointJSON.all)")
            #expect(endpointJSON.stdout.contains("(sensitive)"), "\(endpointJSON.stdout)")
            for output in [endpoint, endpointJSON, allowed, denied] { #expect(!output.all.contains(Self.secret)) }

            let unknown = try await CLI.run(
                ["explain", "access", e.stack.path, "--ip", "203.0.113.7", "--host", "nope.example.com"] + mode, environment: e.env)
            #expect(unknown.status == 1, "\(unknown.all)")
        }
    }

    @Test func planExplainAccessShowsBeforeAndAfter() async throws {
        let e = try await setUp()
        defer { try? FileManager.default.removeItem(at: e.dir) }
        // Narrow the office policy: 203.0.113.7 loses access, IPv6 keeps it.
        try CommandTests.stack(
            in: e.stack, resources: Self.resources.replacingOccurrences(of: "203.0.113.0/24", with: "203.0.113.128/25"))
        let env = e.env.merging(["E2E_WEBHOOK_SECRET": Self.secret]) { $1 }
        let plan = try await CLI.run(
            ["plan", e.stack.path, "--api-url", e.api, "--explain-access", "203.0.113.7@app.example.com",
             "--explain-access", "2001:db8::1@app.example.com"], environment: env)
        #expect(plan.status == 0, "\(plan.all)")
        #expect(plan.stdout.contains("! 203.0.113.7 → app.example.com: allowed → denied"), "\(plan.stdout)")
        #expect(plan.stdout.contains("= 2001:db8::1 → app.example.com: allowed → allowed"), "\(plan.stdout)")
        let json = try await CLI.run(
            ["plan", e.stack.path, "--api-url", e.api, "--format", "json", "--explain-access", "203.0.113.7@app.example.com"],
            environment: env)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["accessChanges"] as? [[String: Any]])
        #expect(rows.first?["changed"] as? Bool == true)
        let bad = try await CLI.run(["plan", e.stack.path, "--api-url", e.api, "--explain-access", "nope"], environment: env)
        #expect(bad.status != 0)
    }

    @Test func importWritesAStackAndRefusesNonEmptyDirectories() async throws {
        let e = try await setUp()
        defer { try? FileManager.default.removeItem(at: e.dir) }
        let out = e.dir.appendingPathComponent("imported")
        // Everything belongs to stack e2e: importing as another stack skips it all.
        let other = try await CLI.run(["import", "--out", out.path, "--api-url", e.api], environment: e.env)
        #expect(other.status == 0, "\(other.all)")
        #expect(other.stdout.contains("owned by stack \"e2e\""), "\(other.stdout)")
        let refused = try await CLI.run(["import", "--out", out.path, "--api-url", e.api, "--stack", "e2e"], environment: e.env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--force"))
        let mine = try await CLI.run(
            ["import", "--out", out.path, "--api-url", e.api, "--stack", "e2e", "--force"], environment: e.env)
        #expect(mine.status == 0, "\(mine.all)")
        #expect(mine.stdout.contains("Imported 5 resources"), "\(mine.stdout)")
        let policies = try String(contentsOf: out.appendingPathComponent("network/ip-policies.yaml"), encoding: .utf8)
        #expect(policies.contains("name: \"office\""))
        #expect(policies.contains("description: \"Paris \\\"HQ\\\"\""))
        let env = e.env.merging(["WEBHOOK_APP_SECRET": Self.secret]) { $1 }
        #expect(mine.stdout.contains("WEBHOOK_APP_SECRET"))
        let validate = try await CLI.run(["validate", out.path], environment: env)
        #expect(validate.status == 0, "\(validate.all)")
        let plan = try await CLI.run(["plan", out.path, "--api-url", e.api, "--detailed-exitcode"], environment: env)
        #expect(plan.status == 0, "re-importing the owning stack gives an empty plan: \(plan.all)")

        for file in try FileManager.default.subpathsOfDirectory(atPath: out.path) {
            let text = (try? String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)) ?? ""
            #expect(!text.contains(Self.secret), "\(file) holds the secret")
        }
        #expect(!mine.all.contains(Self.secret))

        let onlyPolicies = e.dir.appendingPathComponent("policies")
        let kind = try await CLI.run(
            ["import", "--out", onlyPolicies.path, "--api-url", e.api, "--stack", "e2e", "--kind", "IPPolicy", "--kind", "EndpointConfiguration"],
            environment: e.env)
        #expect(kind.status == 0, "\(kind.all)")
        #expect(kind.stdout.contains("IPPolicy: 2") && kind.stdout.contains("EndpointConfiguration: 1"), "\(kind.stdout)")
        #expect(!FileManager.default.fileExists(atPath: onlyPolicies.appendingPathComponent("devices/credentials.yaml").path))
        let badKind = try await CLI.run(["import", "--out", onlyPolicies.path, "--kind", "Nope"], environment: e.env)
        #expect(badKind.status != 0)
    }
}
