import Foundation
import Manifests
import NgrokModel
import Testing
import Validation

/// The shipped examples load and pass every product rule with zero errors.
@Suite struct ExamplesValidationTests {
    /// The production example's secrets, named in examples/production/README.md.
    static let environment = [
        "GOOGLE_OAUTH_CLIENT_SECRET": "google-secret",
        "GITHUB_WEBHOOK_SECRET": "webhook-secret",
        "OIDC_CLIENT_SECRET": "oidc-secret",
    ]

    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The loader's resolver over the documented environment (files read from disk).
    static let resolver: ValidationOptions.ResolveSecret = { reference in
        try SecretResolver(environment: environment).resolve(reference)
    }

    @Test func quickstart() throws {
        let result = ManifestLoader().load(directory: Self.repoRoot + "/examples/quickstart")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let stack = try #require(result.stack)
        let diagnostics = ProductRules.validate(stack, options: ValidationOptions(resolveSecret: Self.resolver))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
    }

    /// A copy of examples/production with keys from scripts/example-keys.sh, in a temp directory.
    @Test func production() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ngrokctl-examples-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temp) }
        let examples = temp.appendingPathComponent("examples")
        try FileManager.default.createDirectory(at: examples, withIntermediateDirectories: true)
        let root = examples.appendingPathComponent("production")
        try FileManager.default.copyItem(
            at: URL(fileURLWithPath: Self.repoRoot + "/examples/production"), to: root)
        try? FileManager.default.removeItem(at: root.appendingPathComponent("generated"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.repoRoot + "/scripts/example-keys.sh"]
        process.currentDirectoryURL = temp
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        let result = ManifestLoader().load(directory: root.path)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let stack = try #require(result.stack)
        #expect(Set(stack.resources.map(\.kind)) == Set(Kind.allCases))
        let diagnostics = ProductRules.validate(stack, options: ValidationOptions(resolveSecret: Self.resolver))
        #expect(diagnostics.errors.isEmpty, "\(diagnostics.map(\.description))")
        // The one warning: the example shows every kind, so it uses the IP whitelist together with the
        // ipPolicy module. (A secret file tracked by git is warned about by the session, which knows
        // the git index; the example's generated key is git-ignored.)
        #expect(diagnostics.warnings.count == 1, "\(diagnostics.map(\.description))")
        #expect(diagnostics.warnings.contains { $0.address?.kind == .ipWhitelistEntry && $0.message.contains("ipPolicy module") })
        for diagnostic in diagnostics {
            for secret in Self.environment.values { #expect(!diagnostic.description.contains(secret)) }
        }
    }
}
