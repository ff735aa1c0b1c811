import Foundation
import NgrokModel
import TestSupport
import Testing
import Validation
import X509

@Suite struct ProductRulesTests {
    let pki = TestPKI.shared

    func diagnostics(_ resources: [Resource], options: ValidationOptions = ValidationOptions()) -> [Diagnostic] {
        ProductRules.validate(Fixtures.stack(resources), options: options)
    }

    @Test func validStackHasNoDiagnostics() {
        let resources = [
            Fixtures.resource(.credential, "device", .credential(CredentialSpec(acl: ["bind:*.example.com"]))),
            Fixtures.resource(
                .ipPolicy, "office",
                .ipPolicy(
                    IPPolicySpec(rules: [
                        .init(cidr: "192.0.2.0/24"), .init(cidr: "2001:db8::/32"), .init(cidr: "198.51.100.7"),
                    ]))),
            Fixtures.resource(
                .certificateAuthority, "clients", .certificateAuthority(CertificateAuthoritySpec(caPem: pki.rootPem))),
            Fixtures.resource(
                .tlsCertificate, "app",
                .tlsCertificate(TLSCertificateSpec(certificatePem: pki.bundle, privateKeyPem: .env("APP_KEY")))),
            Fixtures.resource(
                .endpointConfiguration, "api-https",
                .endpointConfiguration(
                    EndpointConfigurationSpec(
                        type: .https,
                        modules: EndpointModules(
                            requestHeaders: HeadersModule(add: [
                                .init(name: "X-Request-Id", value: "${.ngrok.request_id}")
                            ]),
                            ipPolicy: IPPolicyModule(ipPolicies: ["office"]),
                            mutualTls: MutualTLSModule(certificateAuthorities: ["clients"]),
                            oauth: OAuthModule(
                                provider: .google, emailDomains: ["example.com"], authCheckInterval: 3600))))),
            Fixtures.resource(
                .endpointConfiguration, "web-http", .endpointConfiguration(EndpointConfigurationSpec(type: .http))),
            Fixtures.resource(
                .endpointConfiguration, "ssh", .endpointConfiguration(EndpointConfigurationSpec(type: .tcp))),
            Fixtures.resource(
                .reservedDomain, "api",
                .reservedDomain(
                    ReservedDomainSpec(
                        domain: "app.example.com", httpEndpointConfiguration: "web-http",
                        httpsEndpointConfiguration: "api-https",
                        certificate: "app"))),
            Fixtures.resource(
                .reservedAddress, "ssh",
                .reservedAddress(ReservedAddressSpec(region: "eu", endpointConfiguration: "ssh"))),
        ]
        let found = diagnostics(resources, options: ValidationOptions(resolveSecret: { _ in SecretValue(pki.leafKey) }))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func oauthScopeLocatedAtTheField() {
        let resource = Fixtures.resource(
            .endpointConfiguration, "api",
            .endpointConfiguration(
                EndpointConfigurationSpec(
                    type: .https, modules: EndpointModules(oauth: OAuthModule(provider: .google, scopes: ["a", "a"])))),
            paths: ["spec.type", "spec.modules.oauth", "spec.modules.oauth.scopes", "spec.modules.oauth.scopes[1]"])
        let found = diagnostics([resource])
        #expect(found.count == 2)
        let duplicate = found.first { $0.message.contains("twice") }
        #expect(duplicate?.location == resource.location(of: "spec.modules.oauth.scopes[1]"))
        #expect(duplicate?.location?.line == 5)
        let managed = found.first { $0.message.contains("managed") }
        #expect(managed?.location?.line == 4)
        #expect(found.allSatisfy { $0.address == resource.address })
        #expect(found.allSatisfy { !$0.hint.isEmpty })
    }

    @Test func ipPolicyRules() {
        let resource = Fixtures.resource(
            .ipPolicy, "office",
            .ipPolicy(
                IPPolicySpec(rules: [
                    .init(cidr: "10.0.0.1/8"), .init(cidr: "192.0.2.1"), .init(cidr: "192.0.2.1/32"),
                    .init(cidr: "bogus"),
                ])),
            paths: ["spec.rules[0].cidr", "spec.rules[1].cidr", "spec.rules[2].cidr", "spec.rules[3].cidr"])
        let found = diagnostics([resource])
        #expect(found.count == 3)
        #expect(found[0].location?.line == 2)
        #expect(found[0].hint.contains("10.0.0.0/8"))
        #expect(found[1].location?.line == 4)
        #expect(found[1].message.contains("already rule 2"))
        #expect(found[2].location?.line == 5)
    }

    @Test func ruleDescriptionAndMetadata() {
        let resource = Fixtures.resource(
            .ipPolicy, "office",
            .ipPolicy(
                IPPolicySpec(rules: [
                    .init(
                        cidr: "192.0.2.0/24", description: String(repeating: "d", count: 256),
                        metadata: String(repeating: "m", count: 4096))
                ])),
            paths: ["spec.rules[0].description", "spec.rules[0].metadata"],
            common: CommonSpec(
                description: String(repeating: "x", count: 300), metadata: String(repeating: "y", count: 4000)))
        let found = diagnostics([resource])
        #expect(found.count == 4)
        let lines = Set(found.compactMap { $0.location?.line })
        #expect(lines.isSuperset(of: [2, 3]))
    }

    @Test func credentialACL() {
        let empty = Fixtures.resource(.credential, "a", .credential(CredentialSpec(acl: [])), paths: ["spec.acl"])
        let bad = Fixtures.resource(
            .credential, "b", .credential(CredentialSpec(acl: ["*", "bind:x..y"])),
            paths: ["spec.acl", "spec.acl[0]", "spec.acl[1]"])
        let found = diagnostics([empty, bad])
        #expect(found.errors.count == 2)
        #expect(found.errors.contains { $0.address == empty.address && $0.message.contains("empty ACL") })
        #expect(found.errors.contains { $0.address == bad.address && $0.location?.line == 4 })
        #expect(found.warnings.count == 1)
        #expect(found.warnings.first?.location?.line == 3)
    }

    @Test func attachmentTypes() {
        let http = Fixtures.resource(
            .endpointConfiguration, "web", .endpointConfiguration(EndpointConfigurationSpec(type: .http)))
        let https = Fixtures.resource(
            .endpointConfiguration, "secure", .endpointConfiguration(EndpointConfigurationSpec(type: .https)))
        let domain = Fixtures.resource(
            .reservedDomain, "app",
            .reservedDomain(
                ReservedDomainSpec(
                    domain: "app.example.com", httpEndpointConfiguration: "secure", httpsEndpointConfiguration: "web")),
            paths: ["spec.httpEndpointConfiguration", "spec.httpsEndpointConfiguration"])
        let address = Fixtures.resource(
            .reservedAddress, "ssh", .reservedAddress(ReservedAddressSpec(endpointConfiguration: "web")),
            paths: ["spec.endpointConfiguration"])
        let dangling = Fixtures.resource(
            .reservedAddress, "other", .reservedAddress(ReservedAddressSpec(endpointConfiguration: "missing")))
        let found = diagnostics([http, https, domain, address, dangling])
        #expect(found.count == 3)
        #expect(
            found.contains {
                $0.address == domain.address && $0.location?.line == 2 && $0.message.contains("type https")
            })
        #expect(
            found.contains {
                $0.address == domain.address && $0.location?.line == 3 && $0.message.contains("type http,")
            })
        #expect(
            found.contains { $0.address == address.address && $0.location?.line == 2 && $0.message.contains("tcp") })
    }

    @Test func endpointConfigurationRulesAreLocated() {
        let resource = Fixtures.resource(
            .endpointConfiguration, "raw",
            .endpointConfiguration(
                EndpointConfigurationSpec(
                    type: .tcp,
                    modules: EndpointModules(
                        responseHeaders: HeadersModule(add: [.init(name: "Connection", value: "close")]),
                        ipPolicy: IPPolicyModule(ipPolicies: [])))),
            paths: [
                "spec.modules.responseHeaders", "spec.modules.responseHeaders.add.Connection",
                "spec.modules.ipPolicy.ipPolicies",
            ])
        let found = diagnostics([resource])
        #expect(found.errors.count == 2)
        #expect(found.errors.contains { $0.location?.line == 2 && $0.message.contains("not supported") })
        #expect(found.errors.contains { $0.location?.line == 4 && $0.message.contains("at least one") })
        #expect(found.warnings.count == 1)
        #expect(found.warnings.first?.location?.line == 3)
        #expect(found.warnings.first?.description.contains("warning: ") == true)
    }

    @Test func reservedDomains() {
        let a = Fixtures.resource(
            .reservedDomain, "a",
            .reservedDomain(
                ReservedDomainSpec(
                    domain: "App.Example.com", region: "mars", certificate: "c",
                    certificateManagement: .init(privateKeyType: "dsa"))),
            paths: [
                "spec.domain", "spec.region", "spec.certificateManagement", "spec.certificateManagement.privateKeyType",
            ])
        let b = Fixtures.resource(
            .reservedDomain, "b", .reservedDomain(ReservedDomainSpec(domain: "app.example.com")), paths: ["spec.domain"]
        )
        let c = Fixtures.resource(
            .reservedDomain, "c", .reservedDomain(ReservedDomainSpec(domain: "*.*.example.com")), paths: ["spec.domain"]
        )
        let found = diagnostics([a, b, c])
        #expect(found.contains { $0.address == a.address && $0.location?.line == 3 })
        #expect(found.contains { $0.address == a.address && $0.location?.line == 4 && $0.message.contains("not both") })
        #expect(found.contains { $0.address == a.address && $0.location?.line == 5 })
        #expect(found.contains { $0.address == b.address && $0.message.contains("also reserved by ReservedDomain/a") })
        #expect(found.contains { $0.address == c.address && $0.location?.line == 2 })
    }

    @Test func reservedAddressRegion() {
        let r = Fixtures.resource(
            .reservedAddress, "x", .reservedAddress(ReservedAddressSpec(region: "moon")), paths: ["spec.region"])
        let found = diagnostics([r])
        #expect(found.count == 1)
        #expect(found[0].location?.line == 2)
    }

    @Test func whitelistEntries() {
        let a = Fixtures.resource(.ipWhitelistEntry, "a", .ipWhitelistEntry(IPWhitelistEntrySpec(ipNet: "192.0.2.1")))
        let b = Fixtures.resource(
            .ipWhitelistEntry, "b", .ipWhitelistEntry(IPWhitelistEntrySpec(ipNet: "192.0.2.1/32")),
            paths: ["spec.ipNet"])
        let c = Fixtures.resource(
            .ipWhitelistEntry, "c", .ipWhitelistEntry(IPWhitelistEntrySpec(ipNet: "192.0.2.1/24")),
            paths: ["spec.ipNet"])
        let found = diagnostics([a, b, c])
        #expect(found.count == 2)
        #expect(found.contains { $0.address == b.address && $0.message.contains("WhitelistEntry/a") })
        #expect(found.contains { $0.address == c.address && $0.hint.contains("192.0.2.0/24") })
    }

    @Test func emptyAllowPolicyInUseWarns() {
        let policy = Fixtures.resource(.ipPolicy, "empty", .ipPolicy(IPPolicySpec()))
        let ec = Fixtures.resource(
            .endpointConfiguration, "e",
            .endpointConfiguration(
                EndpointConfigurationSpec(
                    type: .tcp, modules: EndpointModules(ipPolicy: IPPolicyModule(ipPolicies: ["empty"])))),
            paths: ["spec.modules.ipPolicy.ipPolicies[0]"])
        let found = diagnostics([policy, ec])
        #expect(found.count == 1)
        #expect(found[0].severity == .warning)
        #expect(found[0].location?.line == 2)
    }

    @Test func certificateAuthorityErrors() {
        let ca = Fixtures.resource(
            .certificateAuthority, "ca", .certificateAuthority(CertificateAuthoritySpec(caPem: pki.leafPem)),
            paths: ["spec.caPem"])
        let found = diagnostics([ca])
        #expect(found.count == 1)
        #expect(found[0].location?.line == 2)
        #expect(found[0].message.contains("CA basic constraint"))
    }

    @Test func privateKeyChecksWithResolver() {
        let cert = Fixtures.resource(
            .tlsCertificate, "app",
            .tlsCertificate(TLSCertificateSpec(certificatePem: pki.bundle, privateKeyPem: .env("APP_KEY"))),
            paths: ["spec.certificatePem", "spec.privateKeyPem"])
        #expect(diagnostics([cert]).isEmpty)
        let mismatch = diagnostics(
            [cert], options: ValidationOptions(resolveSecret: { _ in SecretValue(pki.otherKey) }))
        #expect(mismatch.count == 1)
        #expect(mismatch[0].location?.line == 3)
        #expect(mismatch[0].message.contains("does not match"))
        assertNoSecret(mismatch, secret: pki.otherKey)
        let encrypted = diagnostics(
            [cert], options: ValidationOptions(resolveSecret: { _ in SecretValue(pki.leafKeyEncrypted) }))
        #expect(encrypted.map(\.message) == ["the private key is encrypted"])
        assertNoSecret(encrypted, secret: pki.leafKeyEncrypted)
    }

    @Test func resolutionFailureNamesTheReferenceNotTheValue() {
        struct Missing: Error, CustomStringConvertible { var description: String { "value was hunter2" } }
        let env = Fixtures.resource(
            .tlsCertificate, "a",
            .tlsCertificate(TLSCertificateSpec(certificatePem: pki.bundle, privateKeyPem: .env("APP_KEY"))),
            paths: ["spec.privateKeyPem"])
        let file = Fixtures.resource(
            .tlsCertificate, "b",
            .tlsCertificate(TLSCertificateSpec(certificatePem: pki.bundle, privateKeyPem: .file("/secure/app.key"))),
            paths: ["spec.privateKeyPem"])
        let found = diagnostics([env, file], options: ValidationOptions(resolveSecret: { _ in throw Missing() }))
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.severity == .error && $0.location?.line == 2 })
        #expect(found.contains { $0.description.contains("APP_KEY") })
        #expect(found.contains { $0.description.contains("/secure/app.key") })
        #expect(!found.contains { $0.description.contains("hunter2") })
        let quiet = diagnostics(
            [env, file],
            options: ValidationOptions(resolveSecret: { _ in throw Missing() }, reportsUnresolvedSecrets: false))
        #expect(quiet.isEmpty)
    }

    // A secret file tracked by git is warned about by the session, which knows the git index
    // (see TrustBoundaryCLITests); the product rules no longer guess from the path.

    @Test func expiringCertificateWarns() throws {
        let leaf = try CertificateInfo(pem: pki.leafPem)
        _ = leaf
        let cert = Fixtures.resource(
            .tlsCertificate, "app",
            .tlsCertificate(TLSCertificateSpec(certificatePem: pki.leafPem, privateKeyPem: .env("K"))),
            paths: ["spec.certificatePem"])
        let notAfter = CertificateRules.validateBundle(pki.leafPem).leaf!.notValidAfter
        let soon = diagnostics([cert], options: ValidationOptions(now: notAfter.addingTimeInterval(-5 * 86_400)))
        #expect(soon.map(\.severity) == [.warning])
        #expect(soon.first?.location?.line == 2)
        let expired = diagnostics([cert], options: ValidationOptions(now: notAfter.addingTimeInterval(86_400)))
        #expect(expired.map(\.severity) == [.error])
    }

    @Test func certificateMustCoverTheDomain() {
        let cert = Fixtures.resource(
            .tlsCertificate, "app",
            .tlsCertificate(TLSCertificateSpec(certificatePem: pki.bundle, privateKeyPem: .env("K"))))
        let good = Fixtures.resource(
            .reservedDomain, "www", .reservedDomain(ReservedDomainSpec(domain: "www.example.com", certificate: "app")))
        let bad = Fixtures.resource(
            .reservedDomain, "api", .reservedDomain(ReservedDomainSpec(domain: "api.example.com", certificate: "app")),
            paths: ["spec.certificate"])
        let found = diagnostics([cert, good, bad])
        #expect(found.count == 1)
        #expect(found.first?.severity == .warning)
        #expect(found.first?.address == bad.address)
        #expect(found.first?.location?.line == 2)
        #expect(found.first?.message.contains("app.example.com, www.example.com") == true)
    }

    @Test func secretFilesAreNotJudgedByTheirPath() {
        // Whether a secret file is in the repository is the session's to tell (git index), not a
        // guess from the path: the product rules raise nothing for it.
        let ec = Fixtures.resource(
            .endpointConfiguration, "e",
            .endpointConfiguration(
                EndpointConfigurationSpec(
                    type: .https,
                    modules: EndpointModules(
                        webhookValidation: WebhookValidationModule(
                            provider: "GITHUB", secret: .file(Fixtures.root + "/secrets/gh")),
                        oauth: OAuthModule(provider: .github, clientId: "id", clientSecret: .file("/run/secrets/oauth"))
                    ))),
            paths: ["spec.modules.webhookValidation.secret"])
        #expect(diagnostics([ec]).isEmpty)
    }

    @Test func diagnosticsAreSortedForDisplay() {
        let a = Fixtures.resource(
            .credential, "a", .credential(CredentialSpec(acl: ["x", "y"])), paths: ["spec.acl[0]", "spec.acl[1]"])
        let found = diagnostics([a])
        #expect(found.map { $0.location!.line } == [2, 3])
    }

    func assertNoSecret(
        _ diagnostics: [Diagnostic], secret: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let lines = secret.split(separator: "\n").filter { !$0.hasPrefix("-----") && $0.count > 8 }
        for diagnostic in diagnostics {
            for line in lines {
                #expect(!diagnostic.description.contains(line), "secret leaked", sourceLocation: sourceLocation)
            }
        }
    }
}
