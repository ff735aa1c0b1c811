import Foundation
import NgrokModel
import Testing

@testable import Manifests

@Suite("Examples")
struct ExamplesTests {
    /// The production example's secrets, as documented in its README.
    static let environment = [
        "GOOGLE_OAUTH_CLIENT_SECRET": "google-secret",
        "GITHUB_WEBHOOK_SECRET": "webhook-secret",
        "OIDC_CLIENT_SECRET": "oidc-secret",
    ]

    @Test func quickstartLoads() throws {
        let result = ManifestLoader().load(directory: TestPaths.examples + "/quickstart")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let stack = try #require(result.stack)
        #expect(stack.resources.count == 3)
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: TestPaths.examples + "/production/generated/app.key"),
            "run make examples-keys"))
    func productionLoads() throws {
        let result = ManifestLoader().load(directory: TestPaths.examples + "/production")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let stack = try #require(result.stack)
        #expect(Set(stack.resources.map(\.kind)) == Set(Kind.allCases))
        var modules = Set<ModuleName>()
        for r in stack.resources {
            if case .endpointConfiguration(let ec) = r.spec { modules.formUnion(ec.modules.configured) }
        }
        #expect(modules == Set(ModuleName.allCases))
        #expect(stack.spec.tokenDirectory == ".tokens")
        // Every secret resolves from the documented environment and the generated files.
        let resolver = SecretResolver(environment: Self.environment)
        var secrets = 0
        for r in stack.resources {
            for reference in Self.secrets(of: r.spec) {
                #expect(throws: Never.self) { _ = try resolver.resolve(reference) }
                secrets += 1
            }
        }
        #expect(secrets == 4)
    }

    static func secrets(of spec: ResourceSpec) -> [SecretReference] {
        switch spec {
        case .tlsCertificate(let t): return [t.privateKeyPem]
        case .endpointConfiguration(let ec):
            return [
                ec.modules.oauth?.clientSecret, ec.modules.oidc?.clientSecret, ec.modules.webhookValidation?.secret,
            ]
            .compactMap { $0 }
        default: return []
        }
    }
}
