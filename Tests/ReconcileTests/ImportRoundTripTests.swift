import Foundation
import Manifests
import NgrokAPI
import NgrokModel
import Reconcile
import Testing

/// `ngrokctl import` round trip on the emulator: import → the output validates with zero errors
/// and matches the JSON Schemas → plan shows only adoptions → apply → plan is empty; objects of
/// another stack are skipped; a second import gives the same files.
@Suite(.serialized) struct ImportRoundTripTests {
    static let seedScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EmulatorTests/python/seed_import.py").path
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas").path

    static func python(_ arguments: [String], input: String = "") -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let inputPath = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).in").path
        _ = FileManager.default.createFile(atPath: inputPath, contents: Data(input.utf8))
        defer { try? FileManager.default.removeItem(atPath: inputPath) }
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).out").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        guard let output = FileHandle(forWritingAtPath: outputPath) else { return (-1, "cannot write \(outputPath)") }
        process.standardInput = FileHandle(forReadingAtPath: inputPath)
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch { return (-1, "\(error)") }
        process.waitUntilExit()
        try? output.close()
        return (process.terminationStatus, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    static var officialClientInstalled: Bool { python(["-c", "import ngrok, jsonschema, referencing, yaml"]).status == 0 }

    /// Values of the secrets the seed used, by the prefix of the variable `import` names.
    static func secretValues(_ result: StackImporter.Result, privateKey: String) -> [String: String] {
        var env: [String: String] = [:]
        for secret in result.secrets {
            let v = secret.variable
            env[v] =
                v.hasPrefix("TLS_") ? privateKey
                : v.hasPrefix("WEBHOOK_") ? "webhook-secret-value"
                : v.hasPrefix("OAUTH_") ? "oauth-secret-value" : "oidc-secret-value"
        }
        return env
    }

    /// Every YAML document of the imported stack against its kind's schema and manifest.schema.json.
    static let schemaScript = """
        import json, os, sys, yaml
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        schemas_dir, root = sys.argv[1], sys.argv[2]
        registry = Registry()
        for name in sorted(os.listdir(schemas_dir)):
            if name.endswith(".schema.json"):
                with open(os.path.join(schemas_dir, name)) as f:
                    registry = registry.with_resource(name, Resource.from_contents(json.load(f)))
        def validator(name):
            with open(os.path.join(schemas_dir, name)) as f:
                return Draft202012Validator(json.load(f), registry=registry)
        anykind = validator("manifest.schema.json")
        problems, documents = [], 0
        for directory, _, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith(".yaml"):
                    continue
                with open(os.path.join(directory, name)) as f:
                    for doc in yaml.safe_load_all(f):
                        documents += 1
                        for v in (validator(doc["kind"] + ".schema.json"), anykind):
                            problems += ["%s %s: %s" % (name, doc["metadata"]["name"], e.message) for e in v.iter_errors(doc)]
        print(json.dumps({"documents": documents, "problems": problems}))
        """

    func importAndRoundTrip(_ h: Harness, privateKey: String, expectSkipped: [String]) async throws -> StackImporter.Result {
        let live = try await h.api.snapshot()
        let result = StackImporter(live: live, options: .init(stack: "acc")).run()
        let out = h.directory.appendingPathComponent("imported")
        try StackImporter.write(result, to: out.path, force: false)
        #expect(throws: StackImporter.ImportError.self) { try StackImporter.write(result, to: out.path, force: false) }
        for name in expectSkipped {
            #expect(result.skipped.contains { $0.object.contains(name) }, "\(name) not skipped: \(result.skipped)")
        }

        // Zero errors, with the secrets set.
        let session = StackSession.standard(environment: Self.secretValues(result, privateKey: privateKey))
        let loaded = session.load(.directory(out.path, commit: nil))
        #expect(loaded.diagnostics.errors.isEmpty, "\(loaded.diagnostics.errors)\n\(result.files.sorted { $0.key < $1.key }.map { "== \($0.key)\n\($0.value)" }.joined())")
        #expect(loaded.stack?.resources.count == result.imported.count)

        // The JSON Schemas.
        let verdict = Self.python(["-c", Self.schemaScript, Self.schemas, out.path])
        #expect(verdict.status == 0, "\(verdict.output)")
        #expect(verdict.output.contains("\"problems\": []"), "\(verdict.output)")

        // Plan: only adoptions; apply; then empty.
        var plan = try await session.plan(loaded, api: h.api, options: PlanOptions())
        #expect(plan.errors.isEmpty, "\(plan.errors)")
        #expect(!plan.operations.isEmpty)
        let others = plan.operations.filter { $0.action != .adopt }
        #expect(others.isEmpty, "not only adoptions:\n\(PlanRenderer.text(plan, color: false))")
        #expect(plan.operations.count == result.imported.count, "\(PlanRenderer.text(plan, color: false))")
        let applied = await h.apply(plan)
        #expect(applied.ok)
        plan = try await session.plan(loaded, api: h.api, options: PlanOptions())
        #expect(plan.isEmpty, "after apply:\n\(PlanRenderer.text(plan, color: false))")

        // Importing again (now owned by the stack) gives the same files: names are stable.
        let again = StackImporter(live: try await h.api.snapshot(), options: .init(stack: "acc")).run()
        #expect(again.files == result.files)
        return result
    }

    @Test(.enabled(if: officialClientInstalled, "python3 -m pip install ngrok-api==0.4.0 jsonschema pyyaml"))
    func roundTripSeededByTheOfficialPythonClient() async throws {
        let h = try await Harness.start()
        let work = h.directory.appendingPathComponent("pki")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let seeded = Self.python([Self.seedScript, h.client.configuration.baseURL, Harness.apiKey, work.path])
        try #require(seeded.status == 0 && seeded.output.hasPrefix("SEEDED"), "\(seeded.output)")
        let key = try String(contentsOf: work.appendingPathComponent("leaf.key"), encoding: .utf8)
        let result = try await importAndRoundTrip(
            h, privateKey: key, expectSkipped: ["Credential/theirs", "IPPolicy/theirs", "EndpointConfiguration/theirs",
                                                "ReservedDomain/theirs", "uses-theirs", "legacy-example-com"])
        // Every kind and the hostile descriptions survived.
        #expect(Set(result.imported.map(\.kind)) == Set(Kind.allCases))
        let credentials = result.files["devices/credentials.yaml"] ?? ""
        #expect(credentials.contains("\"Office \\\"HQ\\\" \\\\ it's: #1\\nsecond line ✓ — Zürich 東京\""))
        #expect(result.imported.contains(ResourceAddress(.credential, "office-hq-it-s-1-second-line-zurich")))
        #expect(result.imported.contains(ResourceAddress(.credential, "office-hq-it-s-1-second-line-zurich-2")))
        #expect(result.imported.contains(ResourceAddress(.ipPolicy, "office")))
        #expect(result.imported.contains(ResourceAddress(.ipPolicy, "office-2")))
        // Secrets are references, never values.
        let all = result.files.values.joined()
        for secret in ["webhook-secret-value", "oauth-secret-value", "oidc-secret-value", "PRIVATE KEY-----"] {
            #expect(!all.contains(secret))
        }
        #expect(result.files[".env.example"]?.contains("OAUTH_SHOP_HTTPS_CLIENT_SECRET=") == true, "\(result.files[".env.example"] ?? "")")
        await h.stop()
    }

    /// Without Python: the same round trip seeded through the Swift API client.
    @Test func roundTripSeededThroughTheSwiftClient() async throws {
        let h = try await Harness.start()
        func post(_ collection: String, _ body: String) async throws -> String {
            let value = try await h.api.send(method: .post, path: "/\(collection)", body: Array(body.utf8))
            return value?["id"]?.stringValue ?? ""
        }
        _ = try await post("credentials", #"{"description":"a \"quoted\"\nline ✓","acl":["bind:*.example.com"]}"#)
        _ = try await post("credentials", #"{"description":"a \"quoted\"\nline ✓","acl":[]}"#)
        _ = try await post("credentials", #"{"description":"theirs","metadata":"{\"ngrokctl\":{\"ref\":\"Credential/x\",\"stack\":\"b\"}}","acl":["*"]}"#)
        let policy = try await post("ip_policies", #"{"action":"allow","description":"office"}"#)
        _ = try await post("ip_policy_rules", #"{"cidr":"203.0.113.0/24","ip_policy_id":"\#(policy)","description":"hq"}"#)
        _ = try await post("ip_whitelist", #"{"ip_net":"2001:db8::/32"}"#)
        let ec = try await post(
            "endpoint_configurations",
            #"{"type":"https","description":"app","ip_policy":{"ip_policy_ids":["\#(policy)"]},"webhook_validation":{"provider":"SLACK","secret":"webhook-secret-value"},"compression":{"enabled":false}}"#)
        let tcp = try await post("endpoint_configurations", #"{"type":"tcp","description":"ssh"}"#)
        _ = try await post("reserved_domains", #"{"name":"app.example.com","https_endpoint_configuration_id":"\#(ec)"}"#)
        _ = try await post("reserved_addrs", #"{"description":"ssh","endpoint_configuration_id":"\#(tcp)"}"#)
        let result = try await importAndRoundTrip(h, privateKey: "", expectSkipped: ["Credential/x"])
        #expect(result.imported.count == 8, "\(result.imported)")
        await h.stop()
    }
}
