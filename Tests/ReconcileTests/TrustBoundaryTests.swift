import Foundation
import Logging
import Manifests
import NgrokAPI
import NgrokModel
import Reconcile
import Testing

/// The manifest-versus-operator trust boundary (docs/security.md): a manifest can narrow what the
/// operator allows, never widen it. Real emulator, real files, real symlinks.
@Suite struct TrustBoundaryTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func session(_ h: Harness, _ configure: (inout OperatorPolicy) -> Void = { _ in }) -> ApplySession {
        var policy = OperatorPolicy(apiURL: h.client.configuration.baseURL, tokenBase: h.directory.path)
        configure(&policy)
        return ApplySession(session: h.session, policy: policy, api: h.api, concurrency: 4, logger: quiet)
    }

    static func plan(_ h: Harness, _ session: ApplySession) async throws -> Plan {
        let loaded = session.load(.directory(h.directory.path, commit: nil))
        #expect(loaded.ok, "\(loaded.diagnostics)")
        return try await session.plan(loaded, options: PlanOptions())
    }

    static func policy(rules: Int) -> String {
        let list = (1...max(1, rules)).prefix(rules).map { "{cidr: 10.0.\($0).0/24}" }.joined(separator: ", ")
        return """
            apiVersion: ngrokctl/v1
            kind: IPPolicy
            metadata: {name: office}
            spec: {rules: [\(list)]}
            ---
            apiVersion: ngrokctl/v1
            kind: IPWhitelistEntry
            metadata: {name: vpn}
            spec: {ipNet: 192.0.2.0/24}
            """
    }

    /// Rule deletions count against the cap and show in the summary; the manifest's maxDeletions
    /// lowers the operator's cap but cannot raise it.
    @Test func everyDeletedRuleCountsAndTheManifestOnlyLowersTheCap() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try h.write(Self.policy(rules: 9))
        try await h.converge()
        // Nine rules go; the policy stays: "1 to update, 0 to delete" was the old summary.
        try h.write(Self.policy(rules: 0), extraStack: "")
        let plan = try await Self.plan(h, Self.session(h))
        #expect(plan.deletionCount == 9)
        #expect(plan.summary.ruleDelete == 9)
        #expect(PlanRenderer.summaryLine(plan).contains("9 IP policy rules to delete"))
        // The Harness stack says maxDeletions: 100; the operator's default 10 still holds.
        #expect(plan.errors.isEmpty, "\(plan.errors)")
        let lowered = try await Self.plan(h, Self.session(h) { $0.maxDeletions = 8 })
        #expect(lowered.errors.contains { $0.message.contains("the plan deletes 9 objects") })
        // The stack lowers it.
        let stackText = try String(contentsOf: h.directory.appendingPathComponent("ngrokctl.yaml"), encoding: .utf8)
        try stackText.replacingOccurrences(of: "maxDeletions: 100", with: "maxDeletions: 0")
            .write(to: h.directory.appendingPathComponent("ngrokctl.yaml"), atomically: true, encoding: .utf8)
        let capped = try await Self.plan(h, Self.session(h))
        #expect(capped.errors.contains { $0.message.contains("more than 0 allowed by the stack's maxDeletions") })
        // apply refuses too, whatever the caller does with the plan.
        await #expect(throws: ApplySession.ApplyError.self) {
            _ = try await Self.session(h).apply(lowered, stack: try #require(h.session.load(.directory(h.directory.path, commit: nil)).stack))
        }
        // The operator approves this run explicitly.
        let approved = try await Self.plan(h, Self.session(h) { $0.approvedDeletions = 9 })
        #expect(approved.errors.isEmpty, "\(approved.errors)")
    }

    /// A whitelist entry deletion and a duplicate each count.
    @Test func whitelistEntriesCount() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try h.write(Self.policy(rules: 1))
        try await h.converge()
        try h.write(
            """
            apiVersion: ngrokctl/v1
            kind: IPPolicy
            metadata: {name: office}
            spec: {rules: [{cidr: 10.0.1.0/24}]}
            """)
        let plan = try await Self.plan(h, Self.session(h))
        #expect(plan.deletionCount == 1)
        #expect(plan.summary.delete == 1)
    }

    /// A stack whose resources vanished would delete everything it owns: refused unless allowed.
    @Test func emptyStackIsRefusedUnlessAllowed() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try h.write(Self.policy(rules: 2))
        try await h.converge()
        try h.write("")
        let refused = try await Self.plan(h, Self.session(h))
        #expect(refused.errors.contains { $0.message.contains("declares no resources") }, "\(refused.errors)")
        let allowed = try await Self.plan(h, Self.session(h) { $0.allowEmptyStack = true })
        #expect(allowed.errors.isEmpty, "\(allowed.errors)")
        #expect(allowed.deletionCount == 2)
    }

    /// The operator's controller config names the stack; another name is invalid before any API call.
    @Test func anotherStacksNameIsInvalid() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try h.write(Self.policy(rules: 1))
        let before = h.client.statistics.totalRequests
        let loaded = Self.session(h) { $0.stackName = "prod" }.load(.directory(h.directory.path, commit: nil))
        #expect(!loaded.ok)
        #expect(loaded.diagnostics.errors.contains { $0.message.contains("the operator manages stack prod") })
        #expect(h.client.statistics.totalRequests == before)
    }

    /// A manifest's tokenDirectory is relative and stays inside its base, symlinks followed.
    @Test func tokenDirectoryStaysInsideItsBase() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("ngrokctl-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(at: h.directory.appendingPathComponent("link"), withDestinationURL: outside)
        let session = Self.session(h)
        for (value, why) in [("../../etc/cron.d", "leaves"), ("/etc/cron.d", "must be relative"), ("link/tokens", "leaves")] {
            let spec = StackSpec(name: "acc", source: SourceMap(document: .init(file: "ngrokctl.yaml", line: 1, column: 1)), tokenDirectory: value)
            #expect(throws: PolicyError.self, "\(value)") { _ = try session.policy.tokenDirectory(for: spec) }
            do { _ = try session.policy.tokenDirectory(for: spec) } catch { #expect(error.message.contains(why), "\(error)") }
        }
        let fine = StackSpec(name: "acc", source: SourceMap(document: .init(file: "ngrokctl.yaml", line: 1, column: 1)), tokenDirectory: "tokens")
        #expect(try session.policy.tokenDirectory(for: fine) == h.directory.path + "/tokens")
        // The operator's directory becomes the base.
        var policy = session.policy
        policy.tokenDirectory = outside.path
        #expect(try policy.tokenDirectory(for: fine) == outside.path + "/tokens")
    }

    /// `{file}` references, file-valued fields and manifests leave the stack neither by `..`, by an
    /// absolute path nor by a symlink; the error names the reference and never the content. An
    /// operator directory is allowed.
    @Test func filesStayInsideTheStack() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("ngrokctl-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        let content = "HOST-FILE-CONTENT-5f0e1d2c"
        try content.write(to: outside.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try """
        apiVersion: ngrokctl/v1
        kind: IPPolicy
        metadata: {name: planted, description: "\(content)"}
        spec: {rules: []}
        """.write(to: outside.appendingPathComponent("planted.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            at: h.directory.appendingPathComponent("inside.txt"), withDestinationURL: outside.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(
            at: h.directory.appendingPathComponent("planted.yaml"), withDestinationURL: outside.appendingPathComponent("planted.yaml"))
        let relative = "../" + outside.lastPathComponent + "/secret.txt"
        func ec(_ name: String, _ reference: String) -> String {
            """
            apiVersion: ngrokctl/v1
            kind: EndpointConfiguration
            metadata: {name: \(name)}
            spec:
              type: https
              modules:
                webhookValidation: {provider: GITHUB, secret: {file: "\(reference)"}}
                saml: {idpMetadata: {file: "\(reference)"}}
            """
        }
        try h.write([ec("dotdot", relative), ec("absolute", outside.path + "/secret.txt"), ec("symlink", "inside.txt")]
            .joined(separator: "\n---\n"))
        let loaded = h.session.load(.directory(h.directory.path, commit: nil))
        #expect(!loaded.ok)
        let text = loaded.diagnostics.map(\.description).joined(separator: "\n")
        #expect(!text.contains(content), "a host file's content reached a diagnostic")
        for reference in [relative, outside.path + "/secret.txt", "inside.txt"] {
            #expect(text.contains(reference) && text.contains("outside the stack directory"), "\(reference): \(text)")
        }
        #expect(text.contains("planted.yaml:1:1: cannot read the file: outside the stack directory"), "\(text)")
        #expect(loaded.stack?.resource(ResourceAddress(.ipPolicy, "planted")) == nil)

        // The operator allows the directory: absolute references there are read; `..` and the
        // symlinked manifest are still inside that directory, so they are read as well.
        let allowed = h.session.load(.directory(h.directory.path, commit: nil, fileDirectories: [outside.path]))
        #expect(allowed.diagnostics.errors.allSatisfy { !$0.message.contains("outside the stack directory") }, "\(allowed.diagnostics)")
    }

    /// In a git tree, `..` and absolute paths lead nowhere; operator directories on disk are allowed.
    @Test func gitTreeFilesStayInTheTree() throws {
        let files: [String: [UInt8]] = [
            "ngrokctl.yaml": Array("apiVersion: ngrokctl/v1\nkind: Stack\nmetadata: {name: acc}\n".utf8),
            "ec.yaml": Array(
                """
                apiVersion: ngrokctl/v1
                kind: EndpointConfiguration
                metadata: {name: a}
                spec:
                  type: https
                  modules: {saml: {idpMetadata: {file: ../../../etc/hostname}}}
                """.utf8),
        ]
        let source = StackSource.gitTree(files: files, commit: "c0ffee", origin: PlanFile.Source(commit: "c0ffee"))
        let loaded = StackSession.standard(environment: [:]).load(source)
        #expect(loaded.diagnostics.errors.contains { $0.message.contains("../../../etc/hostname") && $0.message.contains("outside") })
    }
}
