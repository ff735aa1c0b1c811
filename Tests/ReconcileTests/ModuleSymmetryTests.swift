import Foundation
import NgrokModel
@testable import Reconcile
import TestSupport
import Testing

/// The symmetry the planner relies on: a resource applied to the account and read back normalises
/// (`LiveNormalizer`) to exactly what the manifest builds (`DesiredBuilder`, API defaults filled in).
/// Acceptance tests show the consequence (apply, then the plan is empty); these compare the two
/// normalised values directly, so that a failure names the module or kind, the form, and the field.
///
/// Each case applies a stack with a minimal and a fully specified form (non-default values for the
/// fields the manifest allows) through the real planner, executor and libcurl client into the
/// emulator over loopback HTTP, lists the account back, and compares field by field. Secrets are
/// handled as the planner does: the desired side holds the resolved value, the live side either the
/// same value or `.secret(.unknown)` (the API need not return it).
@Suite(.serialized) struct ModuleSymmetryTests {
    static let webhookSecret = "canary-sym-webhook-41c"
    static let oauthSecret = "canary-sym-oauth-8e0"
    static let oidcSecret = "canary-sym-oidc-d57"

    static let environment = [
        "SYM_WEBHOOK_SECRET": webhookSecret, "SYM_OAUTH_SECRET": oauthSecret, "SYM_OIDC_SECRET": oidcSecret,
    ]

    /// One manifest document with its spec as a YAML flow mapping.
    static func doc(_ kind: String, _ name: String, _ spec: String) -> String {
        "---\napiVersion: ngrokctl/v1\nkind: \(kind)\nmetadata: {name: \(name)}\nspec: \(spec)\n"
    }

    // MARK: Endpoint configuration modules

    /// One way of writing a module: the configuration's type, the module's YAML, and the API paths
    /// of the secret slots it has.
    struct Form: Sendable {
        var name: String
        var type: EndpointType
        var yaml: String
        var secrets: [String] = []
    }

    /// The resources modules refer to.
    static let moduleDependencies =
        doc("IPPolicy", "office", "{rules: [{cidr: 10.0.0.0/8}]}")
        + doc("IPPolicy", "vpn", "{action: allow, rules: [{cidr: 192.0.2.1}]}")
        + doc("CertificateAuthority", "devices", "{caPem: {file: ca.pem}}")
        + doc("CertificateAuthority", "partners", "{caPem: {file: ca2.pem}}")

    static let idpMetadata = """
        <?xml version="1.0"?>
        <EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/sym">
          <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>
        </EntityDescriptor>

        """

    /// A minimal form and one or more fully specified forms of every module. Between them the
    /// forms set every field the manifest allows (checked by `formsCoverEveryField`).
    static func forms(_ module: ModuleName) -> [Form] {
        switch module {
        case .circuitBreaker:
            return [
                Form(name: "minimal", type: .http, yaml: "{}"),
                Form(
                    name: "full", type: .https,
                    yaml: "{enabled: false, trippedDuration: 10s, rollingWindow: 1m, numBuckets: 10, volumeThreshold: 20, errorThresholdPercentage: 0.25}"),
                Form(name: "whole-fraction", type: .http, yaml: "{errorThresholdPercentage: 1}"),
            ]
        case .compression:
            return [
                Form(name: "minimal", type: .http, yaml: "{}"),
                Form(name: "full", type: .https, yaml: "{enabled: false}"),
            ]
        case .requestHeaders, .responseHeaders:
            return [
                Form(name: "minimal", type: .http, yaml: "{}"),
                Form(
                    name: "full", type: .https,
                    yaml: "{enabled: false, add: {X-Request-Id: \"${.ngrok.request_id}\", x-sym-Mixed: \"a value\"}, remove: [X-Debug, Server]}"),
            ]
        case .ipPolicy:
            return [
                Form(name: "minimal", type: .tcp, yaml: "{ipPolicies: [office]}"),
                Form(name: "full", type: .https, yaml: "{enabled: false, ipPolicies: [vpn, office]}"),
            ]
        case .mutualTls:
            return [
                Form(name: "minimal", type: .https, yaml: "{certificateAuthorities: [devices]}"),
                Form(name: "full", type: .https, yaml: "{enabled: false, certificateAuthorities: [partners, devices]}"),
            ]
        case .tlsTermination:
            return [
                Form(name: "minimal", type: .https, yaml: "{}"),
                Form(name: "full", type: .https, yaml: "{enabled: false, terminateAt: edge, minVersion: \"1.3\"}"),
                // minVersion cannot go with upstream termination, so upstream is a form of its own.
                Form(name: "upstream", type: .https, yaml: "{terminateAt: upstream}"),
            ]
        case .webhookValidation:
            return [
                Form(name: "minimal", type: .http, yaml: "{provider: SNS}"),
                Form(
                    name: "full", type: .https, yaml: "{enabled: false, provider: GITHUB, secret: {env: SYM_WEBHOOK_SECRET}}",
                    secrets: ["webhook_validation.secret"]),
            ]
        case .oauth:
            return [
                Form(name: "minimal", type: .https, yaml: "{provider: google}"),
                Form(
                    name: "full", type: .https,
                    yaml: "{enabled: false, provider: github, clientId: sym-app, clientSecret: {env: SYM_OAUTH_SECRET}, "
                        + "scopes: [\"read:user\", \"read:org\"], emailAddresses: [ops@example.com], emailDomains: [example.com, example.org], "
                        + "teams: [acme/ops], organizations: [acme], optionsPassthrough: true, cookiePrefix: sym., "
                        + "inactivityTimeout: 1h, maximumDuration: 12h, authCheckInterval: 5m}",
                    secrets: ["oauth.provider.github.client_secret"]),
                // ngrok's managed application with GitHub's own constraints (no client id or secret).
                Form(name: "managed-github", type: .https, yaml: "{provider: github, teams: [acme/web], organizations: [acme]}"),
                Form(
                    name: "custom-google", type: .https,
                    yaml: "{provider: google, clientId: sym-google, clientSecret: {env: SYM_OAUTH_SECRET}, scopes: [email, profile]}",
                    secrets: ["oauth.provider.google.client_secret"]),
                // An empty cookie prefix is no prefix: the API keeps its default.
                Form(name: "empty-cookie-prefix", type: .https, yaml: "{provider: microsoft, cookiePrefix: \"\"}"),
            ]
        case .oidc:
            return [
                Form(
                    name: "minimal", type: .https,
                    yaml: "{issuer: \"https://id.example.com\", clientId: app, clientSecret: {env: SYM_OIDC_SECRET}}",
                    secrets: ["oidc.client_secret"]),
                Form(
                    name: "full", type: .https,
                    yaml: "{enabled: false, issuer: \"https://login.example.org/tenant\", clientId: sym-client, "
                        + "clientSecret: {env: SYM_OIDC_SECRET}, scopes: [openid, email], optionsPassthrough: true, "
                        + "cookiePrefix: oidc., inactivityTimeout: 30m, maximumDuration: 8h}",
                    secrets: ["oidc.client_secret"]),
            ]
        case .saml:
            return [
                Form(name: "minimal", type: .https, yaml: "{idpMetadataUrl: \"https://idp.example.com/metadata\"}"),
                Form(
                    name: "full", type: .https,
                    yaml: "{enabled: false, idpMetadata: {file: idp.xml}, forceAuthn: true, allowIdpInitiated: false, "
                        + "authorizedGroups: [admins, ops], nameidFormat: \"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\", "
                        + "optionsPassthrough: true, cookiePrefix: sso., inactivityTimeout: 30m, maximumDuration: 8h}"),
                // Empty strings where the API has a default: the API keeps its default.
                Form(
                    name: "empty-strings", type: .https,
                    yaml: "{idpMetadataUrl: \"https://idp.example.com/metadata\", nameidFormat: \"\", cookiePrefix: \"\"}"),
            ]
        }
    }

    /// The configuration's name for a form of a module (`oauth-managed-github`).
    static func configurationName(_ module: ModuleName, _ form: Form) -> String {
        "\(module.rawValue.lowercased())-\(form.name)"
    }

    @Test(arguments: ModuleName.allCases)
    func moduleNormalisesAlikeOnBothSides(_ module: ModuleName) async throws {
        let forms = Self.forms(module)
        for form in forms {
            #expect(
                module.supportedTypes.contains(form.type),
                "form \(form.name) of \(module.rawValue) uses type \(form.type.rawValue), which the module does not support")
        }
        let h = try await Harness.start(environment: Self.environment)
        defer { Task { await h.stop() } }
        try TestPKI.writeFiles(in: h.directory)
        try h.writeFile("idp.xml", Self.idpMetadata)
        try h.write(
            Self.moduleDependencies
                + forms.map { form in
                    Self.doc(
                        "EndpointConfiguration", Self.configurationName(module, form),
                        "{type: \(form.type.rawValue), description: \"\(module.rawValue) \(form.name)\", modules: {\(module.rawValue): \(form.yaml)}}")
                }.joined())
        try await h.converge()
        // The consequence the planner draws from the symmetry (an empty-string default included).
        try await h.expectEmptyPlan()

        let sides = try await SymmetrySides.read(h)
        var covered: [String] = []
        for form in forms {
            let address = ResourceAddress(.endpointConfiguration, Self.configurationName(module, form))
            let context = "\(module.rawValue) (form \(form.name), \(address))"
            guard let pair = sides.pair(address) else {
                Issue.record("\(context): not in the account after apply")
                continue
            }
            let want = pair.desired.fields[module.apiName] ?? .null
            let have = pair.live[module.apiName] ?? .null
            #expect(want != .null, "\(context): the desired side has no \(module.apiName)")
            #expect(have != .null, "\(context): the live side has no \(module.apiName)")

            // Field by field, naming each difference in both vocabularies.
            var report = SymmetryReport(kind: .endpointConfiguration)
            report.compare([module.apiName], want, have)
            #expect(report.differences.isEmpty, "\(context) differs:\n  \(report.differences.joined(separator: "\n  "))")
            #expect(
                report.secretPaths.sorted() == form.secrets.sorted(),
                "\(context): secret slots \(report.secretPaths.sorted()), expected \(form.secrets.sorted())")
            // The same as one value, once the live side's unreturned secrets are taken as the
            // desired ones (what the planner does when the marker's fingerprint matches).
            let reconciled = SymmetryReport.withKnownSecrets(have, from: want)
            let equal = reconciled == want
            #expect(equal, "\(context): \(reconciled.display) != \(want.display)")

            // The configuration's other fields (type, description, metadata, the unset modules) too.
            var rest = SymmetryReport(kind: .endpointConfiguration)
            for key in Set(pair.desired.fields.keys).union(pair.live.keys).sorted() where key != module.apiName {
                rest.compare([key], pair.desired.fields[key], pair.live[key])
            }
            #expect(rest.differences.isEmpty, "\(context) differs:\n  \(rest.differences.joined(separator: "\n  "))")

            for path in SymmetryReport.leafPaths([module.apiName], pair.desired.request[module.apiName] ?? .null) {
                covered.append(APIVocabulary.manifestPath(of: path, kind: .endpointConfiguration))
                // The OAuth provider is the key its fields are under (`oauth.provider.github.…`).
                if path.hasPrefix("oauth.provider.") { covered.append("modules.oauth.provider") }
            }
        }
        Self.expectFormsCoverEveryField(module, manifestPaths: covered)
        try await Self.expectImportRoundTrips(h, module: module)
        await h.stop()
    }

    /// `import` writes every form back as a manifest that plans nothing against the account: each
    /// field the vocabulary declares survives the trip through manifest spelling.
    static func expectImportRoundTrips(_ h: Harness, module: ModuleName) async throws {
        let result = StackImporter(live: try await h.api.snapshot(), options: .init(stack: "acc")).run()
        let out = h.directory.appendingPathComponent("imported-\(module.rawValue)")
        try StackImporter.write(result, to: out.path, force: false)
        var environment: [String: String] = [:]
        for secret in result.secrets {
            let v = secret.variable
            environment[v] = v.hasPrefix("WEBHOOK_") ? webhookSecret : v.hasPrefix("OAUTH_") ? oauthSecret : oidcSecret
        }
        let session = StackSession.standard(environment: environment)
        let loaded = session.load(.directory(out.path, commit: nil))
        let files = result.files.sorted { $0.key < $1.key }.map { "== \($0.key)\n\($0.value)" }.joined()
        #expect(loaded.diagnostics.errors.isEmpty, "\(module.rawValue) import: \(loaded.diagnostics.errors)\n\(files)")
        let plan = try await session.plan(loaded, api: h.api, options: PlanOptions())
        #expect(plan.isEmpty, "\(module.rawValue) import plans changes:\n\(PlanRenderer.text(plan, color: false))\n\(files)")
    }

    /// Every field the module has (in the vocabulary) is set by at least one form, so the forms
    /// exercise the whole module rather than a convenient part of it.
    static func expectFormsCoverEveryField(_ module: ModuleName, manifestPaths: [String]) {
        let fields = APIVocabulary.module(module).fields.map(\.manifest)
        let prefix = "modules.\(module.rawValue)."
        let missing = fields.filter { field in
            !manifestPaths.contains { $0 == prefix + field || $0.hasPrefix(prefix + field + ".") }
        }
        #expect(missing.isEmpty, "no form of \(module.rawValue) sets \(missing.joined(separator: ", "))")
    }

    // MARK: Top-level kinds

    /// Minimal and fully specified forms of each kind (with what they refer to).
    static func kindDocuments(_ kind: Kind) -> String {
        let full = "description: \"full form\", metadata: \"team=sym\""
        switch kind {
        case .credential:
            return doc("Credential", "minimal", "{acl: [\"*\"]}")
                + doc(
                    "Credential", "full",
                    "{acl: [\"bind:a.example.com\", \"bind:*.b.example.com\"], rotation: {every: 90d, overlap: 7d}, "
                        + "\(full), deletionPolicy: Retain, protect: true}")
        case .ipPolicy:
            return doc("IPPolicy", "minimal", "{}")
                + doc(
                    "IPPolicy", "full",
                    "{action: deny, \(full), rules: [{cidr: 10.0.0.0/8, description: ten, metadata: \"rule=1\"}, "
                        + "{cidr: 192.0.2.1}, {cidr: \"2001:DB8::/32\", description: v6}]}")
        case .ipWhitelistEntry:
            return doc("IPWhitelistEntry", "minimal", "{ipNet: 198.51.100.7}")
                + doc("IPWhitelistEntry", "full", "{ipNet: \"2001:DB8:0:1::/64\", \(full), protect: true}")
        case .certificateAuthority:
            return doc("CertificateAuthority", "minimal", "{caPem: {file: ca.pem}}")
                + doc("CertificateAuthority", "full", "{caPem: {file: ca2.pem}, \(full), deletionPolicy: Retain}")
        case .tlsCertificate:
            return doc("TLSCertificate", "minimal", "{certificatePem: {file: leaf.pem}, privateKeyPem: {file: leaf.key}}")
                + doc("TLSCertificate", "full", "{certificatePem: {file: bundle.pem}, privateKeyPem: {file: leaf.key}, \(full)}")
        case .endpointConfiguration:
            return doc("EndpointConfiguration", "minimal", "{type: http}")
                + doc("EndpointConfiguration", "full", "{type: tcp, \(full), protect: true}")
        case .reservedDomain:
            return doc("TLSCertificate", "app", "{certificatePem: {file: bundle.pem}, privateKeyPem: {file: leaf.key}}")
                + doc("EndpointConfiguration", "web-http", "{type: http}")
                + doc("EndpointConfiguration", "web-https", "{type: https}")
                + doc("ReservedDomain", "minimal", "{domain: minimal.example.com}")
                + doc(
                    "ReservedDomain", "full",
                    "{domain: app.example.com, region: eu, httpEndpointConfiguration: web-http, "
                        + "httpsEndpointConfiguration: web-https, certificate: app, \(full)}")
                + doc(
                    "ReservedDomain", "managed",
                    "{domain: api.example.com, certificateManagement: {authority: letsencrypt, privateKeyType: ecdsa}}")
                + doc("ReservedDomain", "ngrok-label", "{domain: sym-app, region: ap}")
        case .reservedAddress:
            return doc("EndpointConfiguration", "ssh", "{type: tcp}")
                + doc("ReservedAddress", "minimal", "{}")
                + doc("ReservedAddress", "full", "{region: eu, endpointConfiguration: ssh, \(full)}")
        }
    }

    /// The secret slots of each kind (API paths).
    static func kindSecrets(_ kind: Kind) -> [String] { kind == .tlsCertificate ? ["private_key_pem"] : [] }

    @Test(arguments: Kind.allCases)
    func kindNormalisesAlikeOnBothSides(_ kind: Kind) async throws {
        let h = try await Harness.start(environment: Self.environment)
        defer { Task { await h.stop() } }
        try TestPKI.writeFiles(in: h.directory)
        try h.write(Self.kindDocuments(kind))
        try await h.converge()

        let sides = try await SymmetrySides.read(h)
        let resources = sides.stack.resources.filter { $0.kind == kind }
        #expect(resources.count >= 2, "\(kind): expected a minimal and a full form")
        for resource in resources {
            let context = "\(resource.address)"
            guard let pair = sides.pair(resource.address) else {
                Issue.record("\(context): not in the account after apply")
                continue
            }
            var report = SymmetryReport(kind: kind)
            // Every field either side has: the ones the vocabulary names, and nothing else.
            let keys = Set(pair.desired.fields.keys).union(pair.live.keys)
            let vocabulary = Set(APIVocabulary.fields(of: kind).map(\.request))
            #expect(keys.subtracting(vocabulary).isEmpty, "\(context): fields \(keys.subtracting(vocabulary).sorted()) are not in the API vocabulary")
            for key in keys.sorted() { report.compare([key], pair.desired.fields[key], pair.live[key]) }
            #expect(report.differences.isEmpty, "\(context) differs:\n  \(report.differences.joined(separator: "\n  "))")
            #expect(
                report.secretPaths.sorted() == Self.kindSecrets(kind),
                "\(context): secret slots \(report.secretPaths.sorted()), expected \(Self.kindSecrets(kind))")

            if kind == .ipPolicy {
                // Rules, by canonical CIDR: the desired rules and the live ones read back alike.
                let live = (sides.rulesByPolicy[pair.object.id] ?? []).map(sides.normalizer.rule)
                let liveByCIDR = Dictionary(live.map { ($0.cidr, $0) }, uniquingKeysWith: { a, _ in a })
                #expect(
                    Set(liveByCIDR.keys) == Set(pair.desired.rules.keys),
                    "\(context) rules: live \(liveByCIDR.keys.sorted()), desired \(pair.desired.rules.keys.sorted())")
                for (cidr, want) in pair.desired.rules {
                    guard let have = liveByCIDR[cidr] else { continue }
                    #expect(have.description == want.description, "\(context) rule \(cidr): rules[].description differs: \(have.description) != \(want.description)")
                    #expect(have.metadata == want.metadata, "\(context) rule \(cidr): rules[].metadata differs: \(have.metadata) != \(want.metadata)")
                }
            }
        }
        await h.stop()
    }
}

// MARK: Reading both sides

/// The stack as loaded, the account as listed, and the builder and normaliser the planner would use
/// for them (references to objects that exist point at their live IDs).
struct SymmetrySides {
    var stack: Stack
    var desired: DesiredBuilder
    var normalizer: LiveNormalizer
    var owned: [ResourceAddress: [LiveObject]]
    var rulesByPolicy: [String: [LiveObject]]

    struct Pair {
        var desired: DesiredObject
        var object: LiveObject
        var live: [String: WireValue]
    }

    static func read(_ h: Harness, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> SymmetrySides {
        let loaded = h.session.load(.directory(h.directory.path, commit: nil))
        if !loaded.ok { Issue.record("manifests invalid: \(loaded.diagnostics)", sourceLocation: sourceLocation) }
        let stack = try #require(loaded.stack, sourceLocation: sourceLocation)
        let state = try await h.api.snapshot()
        let owned = state.owned(by: stack.name)
        var addressOfID: [String: ResourceAddress] = [:]
        for (address, objects) in owned { for object in objects { addressOfID[object.id] = address } }
        let canonicalCIDR = h.session.canonicalCIDR
        let builder = DesiredBuilder(
            stack: stack.name,
            reference: { address in
                owned[address]?.first.map { RefTarget.live(id: $0.id, address: address) } ?? .pending(address)
            },
            secrets: loaded.secrets, canonicalCIDR: canonicalCIDR)
        return SymmetrySides(
            stack: stack, desired: builder,
            normalizer: LiveNormalizer(addressOfID: addressOfID, canonicalCIDR: canonicalCIDR), owned: owned,
            rulesByPolicy: state.rulesByPolicy)
    }

    /// The desired object of a resource in the stack and its live object (one, after a clean apply).
    func pair(_ address: ResourceAddress) -> Pair? {
        guard let resource = stack.resources.first(where: { $0.address == address }),
            let objects = owned[address], objects.count == 1, let object = objects.first
        else { return nil }
        return Pair(desired: desired.build(resource), object: object, live: normalizer.fields(of: object, kind: address.kind))
    }
}

/// Differences between a desired and a live value, each named by its manifest path and its API path.
struct SymmetryReport {
    var kind: Kind
    var differences: [String] = []
    /// API paths of the secret slots met.
    var secretPaths: [String] = []

    func name(_ path: [String]) -> String {
        let api = path.joined(separator: ".")
        return "\(APIVocabulary.manifestPath(of: api, kind: kind)) (API \(api))"
    }

    mutating func compare(_ path: [String], _ want: WireValue?, _ have: WireValue?) {
        switch (want, have) {
        case (.secret(let slot)?, _):
            secretPaths.append(path.joined(separator: "."))
            guard case .known(let value) = slot else {
                differences.append("\(name(path)): the desired secret is not resolved")
                return
            }
            switch have {
            case .secret(.unknown)?: break
            case .secret(.known(let got))? where got == value: break
            default:
                // Displays are redacted: a secret is never shown.
                differences.append(
                    "\(name(path)): live \(have?.display ?? "absent"), expected a secret slot (not returned, or the same value)")
            }
        case (.object(let w)?, .object(let g)?):
            for key in Set(w.keys).union(g.keys).sorted() { compare(path + [key], w[key], g[key]) }
        default:
            if want != have {
                differences.append("\(name(path)): desired \(want?.display ?? "absent"), live \(have?.display ?? "absent")")
            }
        }
    }

    /// `live` with each secret slot the API did not return replaced by the desired value there.
    static func withKnownSecrets(_ live: WireValue, from want: WireValue) -> WireValue {
        switch (want, live) {
        case (.secret(.known), .secret(.unknown)): want
        case (.object(let w), .object(let g)):
            .object(Dictionary(uniqueKeysWithValues: g.map { key, value in (key, w[key].map { withKnownSecrets(value, from: $0) } ?? value) }))
        default: live
        }
    }

    /// The dotted API paths of a value's leaves (an empty object is a leaf).
    static func leafPaths(_ path: [String], _ value: WireValue) -> [String] {
        if case .object(let o) = value, !o.isEmpty {
            return o.keys.sorted().flatMap { leafPaths(path + [$0], o[$0]!) }
        }
        return [path.joined(separator: ".")]
    }
}
