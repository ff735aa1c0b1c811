import Foundation
import NgrokModel
import Reconcile
import TestSupport
import Testing

/// `plan` in CI jobs without secrets (pull requests from forks): every secret-bearing field is shown as
/// `(sensitive, known at apply)`, one warning names the missing secrets, existing resources "may change",
/// and with `.required` (apply, `--require-secrets`) the same secrets are errors.
@Suite struct PlanWithoutSecretsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The manifest, with its secret available in `Harness.environment` or as a file.
        var manifest: String
        /// The same resource with one other field changed.
        var changed: String
        /// The secret field as the manifest names it.
        var field: String
        /// What the warning names: the variable or the file.
        var missing: String
        /// The operation the change makes, with its changed paths.
        var changedOperation: String
        var usesFiles = false
        var testDescription: String { name }
    }

    static let environment = [
        "PWS_WEBHOOK_SECRET": "canary-webhook-51c", "PWS_OAUTH_SECRET": "canary-oauth-83e",
        "PWS_OIDC_SECRET": "canary-oidc-22a",
    ]

    static func ec(_ modules: String) -> String {
        "---\napiVersion: ngrokctl/v1\nkind: EndpointConfiguration\nmetadata: {name: app}\nspec:\n  type: https\n  modules:\n"
            + modules.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    static let cases: [Case] = [
        Case(
            name: "webhookValidation.secret",
            manifest: ec("webhookValidation: {provider: GITHUB, secret: {env: PWS_WEBHOOK_SECRET}}"),
            changed: ec("webhookValidation: {provider: GITHUB, secret: {env: PWS_WEBHOOK_SECRET}, enabled: false}"),
            field: "modules.webhookValidation.secret", missing: "PWS_WEBHOOK_SECRET",
            changedOperation: "module-put EndpointConfiguration/app module webhookValidation: modules.webhookValidation.enabled"),
        Case(
            name: "oauth.clientSecret",
            manifest: ec("oauth: {provider: google, clientId: app.apps.example.com, clientSecret: {env: PWS_OAUTH_SECRET}}"),
            changed: ec(
                "oauth: {provider: google, clientId: app.apps.example.com, clientSecret: {env: PWS_OAUTH_SECRET}, emailDomains: [example.com]}"),
            field: "modules.oauth.clientSecret", missing: "PWS_OAUTH_SECRET",
            changedOperation: "module-put EndpointConfiguration/app module oauth: modules.oauth.emailDomains"),
        Case(
            name: "oidc.clientSecret",
            manifest: ec("oidc: {issuer: \"https://id.example.com\", clientId: app, clientSecret: {env: PWS_OIDC_SECRET}}"),
            changed: ec(
                "oidc: {issuer: \"https://id.example.com\", clientId: app, clientSecret: {env: PWS_OIDC_SECRET}, scopes: [openid]}"),
            field: "modules.oidc.clientSecret", missing: "PWS_OIDC_SECRET",
            changedOperation: "module-put EndpointConfiguration/app module oidc: modules.oidc.scopes"),
        Case(
            name: "TLSCertificate.privateKeyPem",
            manifest: "---\napiVersion: ngrokctl/v1\nkind: TLSCertificate\nmetadata: {name: app}\n"
                + "spec: {certificatePem: {file: bundle.pem}, privateKeyPem: {file: leaf.key}}\n",
            changed: "---\napiVersion: ngrokctl/v1\nkind: TLSCertificate\nmetadata: {name: app}\n"
                + "spec: {certificatePem: {file: bundle.pem}, privateKeyPem: {file: leaf.key}, description: web}\n",
            field: "privateKeyPem", missing: "leaf.key",
            changedOperation: "update TLSCertificate/app: description", usesFiles: true),
    ]

    /// Loads the harness's stack as a CI job without secrets would.
    func withoutSecrets(_ h: Harness, _ c: Case, requirement: StackSession.SecretRequirement) throws -> StackSession.Loaded {
        if c.usesFiles { try FileManager.default.moveItem(at: h.directory.appendingPathComponent("leaf.key"), to: h.directory.appendingPathComponent("leaf.key.away")) }
        defer {
            if c.usesFiles { try? FileManager.default.moveItem(at: h.directory.appendingPathComponent("leaf.key.away"), to: h.directory.appendingPathComponent("leaf.key")) }
        }
        return StackSession.standard(environment: [:]).load(.directory(h.directory.path, commit: nil), secrets: requirement)
    }

    func planWithout(_ h: Harness, _ loaded: StackSession.Loaded) async throws -> Plan {
        try await StackSession.standard(environment: [:]).plan(loaded, api: h.api, options: PlanOptions())
    }

    static func describe(_ plan: Plan) -> [String] {
        plan.operations.map { op in "\(op.action.rawValue) \(op.target): " + op.changes.map(\.path).sorted().joined(separator: ",") }
    }

    @Test(arguments: cases)
    func createShowsTheSecretAsKnownAtApply(_ c: Case) async throws {
        let h = try await Harness.start(environment: Self.environment)
        defer { Task { await h.stop() } }
        if c.usesFiles { _ = try TestPKI.writeFiles(in: h.directory) }
        try h.write(c.manifest)

        let loaded = try withoutSecrets(h, c, requirement: .optional)
        #expect(loaded.ok, "\(loaded.diagnostics)")
        #expect(loaded.unresolvedSecrets.count == 1)
        let warnings = loaded.diagnostics.warnings.filter { $0.message.contains("not available") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains(c.missing) == true, "\(warnings)")
        #expect(warnings.first?.message.contains(c.field) == true, "\(warnings)")

        let plan = try await planWithout(h, loaded)
        #expect(plan.errors.isEmpty)
        let create = try #require(plan.operations.first { $0.action == .create && $0.subject == .object })
        let secret = try #require(create.changes.first { $0.path == c.field }, "\(create.changes.map(\.path))")
        #expect(secret.after == .secret(.deferred))
        let text = PlanRenderer.text(plan, color: false)
        #expect(text.contains("\(c.field): \(WireValue.knownAtApply)"), "\(text)")
        let json = PlanRenderer.json(plan)
        #expect(json.contains(WireValue.knownAtApply))
        for value in Self.environment.values { #expect(!text.contains(value) && !json.contains(value)) }

        // apply requires the secret: the same stack with `.required` is invalid at the field.
        let required = try withoutSecrets(h, c, requirement: .required)
        #expect(!required.ok)
        #expect(required.diagnostics.errors.contains { $0.message.contains(c.missing) }, "\(required.diagnostics)")
        #expect(required.diagnostics.errors.allSatisfy { $0.location != nil })
        await h.stop()
    }

    @Test(arguments: cases)
    func anUnchangedResourceMayChangeAndAnotherChangeIsShownExactly(_ c: Case) async throws {
        let h = try await Harness.start(environment: Self.environment)
        defer { Task { await h.stop() } }
        if c.usesFiles { _ = try TestPKI.writeFiles(in: h.directory) }
        try h.write(c.manifest)
        try await h.converge()
        try await h.expectEmptyPlan()

        // Unchanged: no operation, the resource "may change".
        var plan = try await planWithout(h, try withoutSecrets(h, c, requirement: .optional))
        #expect(plan.isEmpty, "\(PlanRenderer.text(plan, color: false))")
        #expect(plan.mayChange.map(\.address.description) == [c.manifest.contains("TLSCertificate") ? "TLSCertificate/app" : "EndpointConfiguration/app"])
        #expect(plan.mayChange.first?.fields == [c.field])
        let text = PlanRenderer.text(plan, color: false)
        #expect(text.contains("may change"), "\(text)")
        #expect(PlanRenderer.markdown(plan).contains("May change"))

        // Another field changed: exactly that change, as with secrets.
        try h.write(c.changed)
        plan = try await planWithout(h, try withoutSecrets(h, c, requirement: .optional))
        #expect(Self.describe(plan) == [c.changedOperation], "\(PlanRenderer.text(plan, color: false))")
        let withSecrets = try await h.plan()
        #expect(Self.describe(withSecrets) == [c.changedOperation])
        #expect(await h.apply(withSecrets).ok)
        try await h.expectEmptyPlan()
        await h.stop()
    }
}
