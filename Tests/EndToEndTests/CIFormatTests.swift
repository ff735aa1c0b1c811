import Foundation
import Testing

/// The CI integrations end to end: `validate --format github|sarif`, plans without secrets, `graph`.
@Suite struct CIFormatTests {
    /// A repository checkout with a stack in `stack/`: one error (an unknown IP policy), one warning
    /// (a secret that is not set).
    static func checkout() throws -> URL {
        let dir = try CLI.temporaryDirectory()
        let stackDir = dir.appendingPathComponent("stack")
        try FileManager.default.createDirectory(at: stackDir, withIntermediateDirectories: true)
        try CommandTests.stack(in: stackDir, resources: CommandTests.resources)
        return dir
    }

    static func breakReference(in dir: URL) throws {
        let file = dir.appendingPathComponent("stack/main.yaml")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
            of: "ipPolicies: [office]", with: "ipPolicies: [offfice]")
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    @Test func githubAnnotationsPointAtTheDiff() async throws {
        let dir = try Self.checkout()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.breakReference(in: dir)
        let result = try await CLI.run(
            ["validate", "stack", "--format", "github"], environment: ["GITHUB_WORKSPACE": dir.path], directory: dir)
        #expect(result.status == 1, "\(result.all)")
        let annotations = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }.map(String.init)
        let pattern = try Regex(#"^::(error|warning) file=([^,:]+),line=(\d+),col=(\d+),title=([^:]*)::(.+)$"#)
        #expect(annotations.count == 2, "\(result.stdout)")
        for line in annotations {
            let match = try #require(try pattern.wholeMatch(in: line), "not an annotation: \(line)")
            let file = try #require(match.output[2].substring.map(String.init))
            #expect(file == "stack/main.yaml", "paths are relative to the workspace")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path))
            #expect(Int(match.output[3].substring ?? "") ?? 0 >= 1)
        }
        let error = try #require(annotations.first { $0.hasPrefix("::error ") })
        #expect(error.contains("title=ngrokctl%3A EndpointConfiguration/api"), "\(error)")
        #expect(error.contains("offfice"))
        let warning = try #require(annotations.first { $0.hasPrefix("::warning ") })
        #expect(warning.contains("E2E_WEBHOOK_SECRET"))
        #expect(!result.stdout.contains("warning: warning"))
    }

    @Test func sarifValidatesAgainstTheSchema() async throws {
        let dir = try Self.checkout()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.breakReference(in: dir)
        let result = try await CLI.run(
            ["validate", "stack", "--format", "sarif"], environment: ["GITHUB_WORKSPACE": dir.path], directory: dir)
        #expect(result.status == 1)
        let log = dir.appendingPathComponent("results.sarif")
        try result.stdout.write(to: log, atomically: true, encoding: .utf8)
        let schema = CLI.repositoryRoot.appendingPathComponent("Tests/schemas/sarif-2.1.0-subset.schema.json")
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            log = json.load(open(sys.argv[2]))
            validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
            errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
            for e in errors: print("schema:", list(e.path), e.message)
            results = log["runs"][0]["results"]
            print("results", len(results))
            for r in results:
                loc = r["locations"][0]["physicalLocation"]
                print(r["level"], loc["artifactLocation"]["uri"], loc["artifactLocation"].get("uriBaseId"), loc["region"]["startLine"])
            sys.exit(1 if errors else 0)
            """
        let python = try await CLI.offPool { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, schema.path, log.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(python.0 == 0, "\(python.1)\n\(result.stdout)")
        #expect(python.1.contains("results 2"))
        #expect(python.1.contains("error stack/main.yaml %SRCROOT%"))
        #expect(python.1.contains("warning stack/main.yaml %SRCROOT%"))
    }

    @Test func plansWithoutSecretsApplyNeedsThem() async throws {
        let dir = try Self.checkout()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stack = dir.appendingPathComponent("stack").path
        let api = "local:\(dir.path)/account.sqlite"
        let key = ["NGROK_API_KEY": "e2e-key"]

        let validate = try await CLI.run(["validate", stack], environment: key)
        #expect(validate.status == 0, "\(validate.all)")
        #expect(validate.stderr.contains("warning:") && validate.stderr.contains("E2E_WEBHOOK_SECRET"))
        #expect(!validate.stderr.contains("warning: warning"))
        let strict = try await CLI.run(["validate", stack, "--require-secrets"], environment: key)
        #expect(strict.status == 1, "\(strict.all)")

        let plan = try await CLI.run(["plan", stack, "--api-url", api, "--detailed-exitcode"], environment: key)
        #expect(plan.status == 2, "\(plan.all)")
        #expect(plan.stdout.contains("modules.webhookValidation.secret: (sensitive, known at apply)"), "\(plan.stdout)")
        #expect(plan.stdout.contains("modules.ipPolicy.ipPolicies"), "\(plan.stdout)")
        let strictPlan = try await CLI.run(["plan", stack, "--api-url", api, "--require-secrets"], environment: key)
        #expect(strictPlan.status == 1)

        let apply = try await CLI.run(["apply", stack, "--api-url", api, "--auto-approve"], environment: key)
        #expect(apply.status == 1, "apply needs every secret: \(apply.all)")
        #expect(apply.stderr.contains("E2E_WEBHOOK_SECRET"))
        #expect(apply.stderr.contains("error:"))
    }

    @Test func graphDrawsTheStack() async throws {
        let dir = try Self.checkout()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stack = dir.appendingPathComponent("stack").path
        let mermaid = try await CLI.run(["graph", stack])
        #expect(mermaid.status == 0, "\(mermaid.all)")
        #expect(mermaid.stdout.hasPrefix("flowchart LR\n"))
        #expect(mermaid.stdout.contains("[\"EndpointConfiguration/api\"]"))
        #expect(mermaid.stdout.contains("[\"IPPolicy/office\"]"))
        let dot = try await CLI.run(["graph", stack, "--format", "dot"])
        #expect(dot.status == 0)
        #expect(dot.stdout.hasPrefix("digraph \"e2e\" {"))
        #expect(dot.stdout.split(separator: "\n").filter { $0.contains(" -> ") }.count == 1)
    }

    /// On a terminal (a pseudo-terminal from `script`), apply draws a progress bar; in a pipe, lines.
    @Test func applyShowsProgressOnATerminalAndLinesOtherwise() async throws {
        let dir = try Self.checkout()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stack = dir.appendingPathComponent("stack").path
        let env = ["E2E_WEBHOOK_SECRET": "s3cret-value", "NGROK_API_KEY": "e2e-key"]
        let api = "local:\(dir.path)/account.sqlite"
        let command = [CLI.binary.path, "apply", stack, "--api-url", api, "--auto-approve"].map { "'\($0)'" }
            .joined(separator: " ")
        let terminal = try await CLI.offPool { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
            var environment = ProcessInfo.processInfo.environment
            for (k, v) in env { environment[k] = v }
            environment["NO_COLOR"] = "1"
            environment["TERM"] = "xterm"
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(terminal.0 == 0, "\(terminal.1)")
        #expect(terminal.1.contains("█"), "\(terminal.1)")
        #expect(terminal.1.contains("5/5 100%"), "\(terminal.1)")
        #expect(!terminal.1.contains(": done"), "no per-operation lines on a terminal")
        #expect(terminal.1.contains("Apply complete"))

        // Not a terminal: one line per operation, no bar.
        try CommandTests.stack(in: dir.appendingPathComponent("stack"), resources: CommandTests.resources + """

            ---
            apiVersion: ngrokctl/v1
            kind: IPPolicy
            metadata: {name: vpn}
            spec:
              rules: [{cidr: 192.0.2.0/24}]
            """)
        let piped = try await CLI.run(["apply", stack, "--api-url", api, "--auto-approve"], environment: env)
        #expect(piped.status == 0, "\(piped.all)")
        #expect(piped.stdout.contains("[1/2] + create IPPolicy/vpn: done"), "\(piped.stdout)")
        #expect(!piped.stdout.contains("█"))
    }
}
