import NgrokModel
import Testing
import Validation

@Suite struct CircuitBreakerRulesTests {
    @Test func valid() {
        #expect(CircuitBreakerRules.validate(CircuitBreakerModule()).isEmpty)
        #expect(
            CircuitBreakerRules.validate(
                CircuitBreakerModule(
                    trippedDuration: 60, rollingWindow: 300, numBuckets: 128, volumeThreshold: 0,
                    errorThresholdPercentage: 0)
            ).isEmpty)
        #expect(CircuitBreakerRules.validate(CircuitBreakerModule(errorThresholdPercentage: 1.0)).isEmpty)
    }

    @Test func invalid() {
        let problems = CircuitBreakerRules.validate(
            CircuitBreakerModule(
                trippedDuration: 0, rollingWindow: -1, numBuckets: 129, volumeThreshold: -5,
                errorThresholdPercentage: 1.5))
        #expect(
            Set(problems.map(\.field)) == [
                "trippedDuration", "rollingWindow", "numBuckets", "volumeThreshold", "errorThresholdPercentage",
            ])
        #expect(Set(problems.compactMap(\.apiErrorCode)) == [1616, 1617, 1618, 1611])
        #expect(CircuitBreakerRules.validate(CircuitBreakerModule(numBuckets: 0)).first?.apiErrorCode == 1618)
        #expect(CircuitBreakerRules.validate(CircuitBreakerModule(errorThresholdPercentage: -0.1)).count == 1)
        #expect(CircuitBreakerRules.validate(CircuitBreakerModule(errorThresholdPercentage: .nan)).count == 1)
    }

    @Test func percentageLooksLikeAPercent() {
        let problem = CircuitBreakerRules.validate(CircuitBreakerModule(errorThresholdPercentage: 50)).first
        #expect(problem?.suggestion == "0.5")
        #expect(problem?.hint.contains("fraction") == true)
    }
}

@Suite struct TLSTerminationRulesTests {
    @Test(arguments: ["1.0", "1.1", "1.2", "1.3"])
    func versions(version: String) {
        #expect(TLSTerminationRules.validate(TLSTerminationModule(minVersion: version)).isEmpty)
    }

    @Test func badVersion() {
        let problem = TLSTerminationRules.validate(TLSTerminationModule(minVersion: "TLSv1.2")).first
        #expect(problem?.apiErrorCode == 219)
        #expect(problem?.suggestion == "1.2")
        #expect(TLSTerminationRules.validateMinVersion("1.4") != nil)
        #expect(TLSTerminationRules.validateMinVersion("1.2") == nil)
    }

    @Test func upstreamForbidsMinVersion() {
        let problems = TLSTerminationRules.validate(TLSTerminationModule(terminateAt: .upstream, minVersion: "1.2"))
        #expect(problems.map(\.apiErrorCode) == [1632])
        #expect(problems.map(\.field) == ["minVersion"])
        #expect(TLSTerminationRules.validate(TLSTerminationModule(terminateAt: .upstream)).isEmpty)
    }

    @Test func parseTerminateAt() throws {
        #expect(try TLSTerminationRules.parseTerminateAt("edge").get() == .edge)
        guard case .failure(let problem) = TLSTerminationRules.parseTerminateAt("Upstream") else {
            Issue.record("should fail")
            return
        }
        #expect(problem.apiErrorCode == 224)
        #expect(problem.suggestion == "upstream")
    }
}

@Suite struct WebhookRulesTests {
    @Test(arguments: WebhookValidationModule.providers.filter { $0 != "SNS" })
    func providersNeedSecret(provider: String) {
        #expect(WebhookRules.validate(provider: provider, hasSecret: true).isEmpty)
        #expect(WebhookRules.validate(provider: provider, hasSecret: false).map(\.apiErrorCode) == [1627])
    }

    @Test func sns() {
        #expect(WebhookRules.validate(provider: "SNS", hasSecret: false).isEmpty)
        let problems = WebhookRules.validate(WebhookValidationModule(provider: "SNS", secret: .env("X")))
        #expect(problems.map(\.apiErrorCode) == [1626])
        #expect(problems.map(\.field) == ["secret"])
    }

    @Test func unknownProvider() {
        #expect(WebhookRules.validate(provider: "PAYPAL", hasSecret: true).first?.apiErrorCode == 1630)
        #expect(WebhookRules.validate(provider: "github", hasSecret: true).first?.suggestion == "GITHUB")
        #expect(WebhookRules.validate(provider: "", hasSecret: true).first?.apiErrorCode == 1629)
    }
}

@Suite struct OAuthRulesTests {
    @Test func managedApp() {
        #expect(OAuthRules.validate(OAuthModule(provider: .google, emailDomains: ["example.com"])).isEmpty)
        let problems = OAuthRules.validate(OAuthModule(provider: .google, scopes: ["email"]))
        #expect(problems.map(\.apiErrorCode) == [1634])
        #expect(problems.map(\.field) == ["scopes"])
    }

    @Test func customApp() {
        #expect(
            OAuthRules.validate(
                OAuthModule(provider: .google, clientId: "id", clientSecret: .env("S"), scopes: ["email", "profile"])
            ).isEmpty)
        #expect(OAuthRules.validate(OAuthModule(provider: .google, clientId: "id")).map(\.apiErrorCode) == [1633])
        #expect(
            OAuthRules.validate(OAuthModule(provider: .google, clientSecret: .env("S"))).map(\.field) == [
                "clientSecret"
            ])
        #expect(
            OAuthRules.validate(OAuthModule(provider: .google, clientId: " ", clientSecret: .env("S"))).map(\.field)
                == ["clientId"])
    }

    @Test func authCheckInterval() {
        #expect(OAuthRules.validate(OAuthModule(provider: .github, authCheckInterval: 180)).isEmpty)
        let problems = OAuthRules.validate(OAuthModule(provider: .github, authCheckInterval: 179))
        #expect(problems.map(\.apiErrorCode) == [1635])
        #expect(problems.map(\.field) == ["authCheckInterval"])
    }

    @Test func githubOnlyConstraints() {
        #expect(
            OAuthRules.validate(
                OAuthModule(provider: .github, teams: ["ngrok/developers", "12345"], organizations: ["ngrok"])
            ).isEmpty)
        let problems = OAuthRules.validate(
            OAuthModule(provider: .google, teams: ["ngrok/dev"], organizations: ["ngrok"]))
        #expect(Set(problems.map(\.field)) == ["teams", "organizations"])
        let team = OAuthRules.validate(OAuthModule(provider: .github, teams: ["@ngrok/developers"]))
        #expect(team.first?.apiErrorCode == 1640)
        #expect(team.first?.suggestion == "ngrok/developers")
        #expect(
            OAuthRules.validate(OAuthModule(provider: .github, organizations: ["@ngrok"])).map(\.field) == [
                "organizations[0]"
            ])
    }

    @Test func emails() {
        let problems = OAuthRules.validate(
            OAuthModule(
                provider: .microsoft,
                emailAddresses: ["Alan@Example.com", "bob@example.com", "bob@example.com", "not-an-email"],
                emailDomains: ["Example.org", "@example.net", "example.org", ""]))
        #expect(
            problems.contains {
                $0.field == "emailAddresses[0]" && $0.apiErrorCode == 1667 && $0.suggestion == "alan@example.com"
            })
        #expect(problems.contains { $0.field == "emailAddresses[2]" && $0.apiErrorCode == 1646 })
        #expect(problems.contains { $0.field == "emailAddresses[3]" && $0.apiErrorCode == 1643 })
        #expect(problems.contains { $0.field == "emailDomains[0]" && $0.apiErrorCode == 1668 })
        #expect(problems.contains { $0.field == "emailDomains[1]" && $0.suggestion == "example.net" })
        #expect(problems.contains { $0.field == "emailDomains[2]" && $0.apiErrorCode == 1646 })
        #expect(problems.contains { $0.field == "emailDomains[3]" && $0.apiErrorCode == 1651 })
    }

    @Test func cookiePrefix() {
        #expect(OAuthRules.validate(OAuthModule(provider: .facebook, cookiePrefix: "my.app2.")).isEmpty)
        let problems = OAuthRules.validate(OAuthModule(provider: .facebook, cookiePrefix: "my-app_"))
        #expect(problems.map(\.apiErrorCode) == [1642])
        #expect(SessionRules.validateCookiePrefix("ngrok.") == nil)
        #expect(SessionRules.validateCookiePrefix("a b") != nil)
    }

    @Test func sessions() {
        #expect(
            SessionRules.validate(cookiePrefix: nil, inactivityTimeout: 366 * 86_400, maximumDuration: nil).map(
                \.apiErrorCode) == [1692])
        #expect(SessionRules.validate(cookiePrefix: nil, inactivityTimeout: 0, maximumDuration: 0).count == 2)
    }

    @Test func wireProvider() throws {
        #expect(try OAuthRules.parseProvider(keys: ["github"]).get() == .github)
        #expect(throws: RuleViolation.self) { try OAuthRules.parseProvider(keys: []).get() }
        if case .failure(let p) = OAuthRules.parseProvider(keys: ["google", "github"]) {
            #expect(p.apiErrorCode == 1636)
        }
        if case .failure(let p) = OAuthRules.parseProvider(keys: []) { #expect(p.apiErrorCode == 1637) }
        if case .failure(let p) = OAuthRules.parseProvider(keys: ["linkedin"]) { #expect(p.field == "provider") }
    }
}

@Suite struct OIDCAndSAMLRulesTests {
    @Test func oidc() {
        #expect(
            OIDCRules.validate(
                OIDCModule(issuer: "https://accounts.google.com", clientId: "id", clientSecret: .env("S"))
            ).isEmpty)
        #expect(
            OIDCRules.validate(issuer: "", clientId: "", hasClientSecret: false).compactMap(\.apiErrorCode) == [
                1688, 1689, 1690,
            ])
        #expect(
            OIDCRules.validate(issuer: "accounts.google.com", clientId: "a", hasClientSecret: true).map(\.field) == [
                "issuer"
            ])
        let long = "https://example.com/" + String(repeating: "a", count: 250)
        #expect(OIDCRules.validate(issuer: long, clientId: "a", hasClientSecret: true).first?.apiErrorCode == 1687)
    }

    @Test func saml() {
        #expect(SAMLRules.validate(SAMLModule(idpMetadataUrl: "https://idp.example.com/metadata")).isEmpty)
        #expect(SAMLRules.validate(SAMLModule(idpMetadata: "<md:EntityDescriptor/>")).isEmpty)
        #expect(SAMLRules.validate(SAMLModule()).map(\.apiErrorCode) == [1691])
        #expect(
            SAMLRules.validate(SAMLModule(idpMetadata: "<EntityDescriptor/>", idpMetadataUrl: "https://x.example.com"))
                .map(\.apiErrorCode)
                == [1681])
        #expect(SAMLRules.validate(SAMLModule(idpMetadata: "hello")).map(\.field) == ["idpMetadata"])
        #expect(
            SAMLRules.validate(SAMLModule(idpMetadataUrl: "https://x.example.com", nameidFormat: "email")).map(
                \.apiErrorCode) == [1693])
        #expect(
            SAMLRules.validate(
                SAMLModule(
                    idpMetadataUrl: "https://x.example.com",
                    nameidFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient")
            ).isEmpty)
    }
}

@Suite struct EndpointConfigurationRulesTests {
    @Test(arguments: EndpointType.allCases)
    func moduleSupportMatrix(type: EndpointType) {
        let expected: [ModuleName: Set<EndpointType>] = [
            .circuitBreaker: [.http, .https], .compression: [.http, .https], .requestHeaders: [.http, .https],
            .responseHeaders: [.http, .https], .webhookValidation: [.http, .https], .ipPolicy: [.http, .https, .tcp],
            .mutualTls: [.https], .tlsTermination: [.https], .oauth: [.https], .oidc: [.https], .saml: [.https],
        ]
        for module in ModuleName.allCases {
            let problems = EndpointConfigurationRules.unsupportedModules([module], on: type)
            #expect(problems.isEmpty == expected[module]!.contains(type), "\(module) on \(type)")
            if let problem = problems.first {
                #expect(problem.apiErrorCode == 1621)
                #expect(problem.field == "modules.\(module.rawValue)")
            }
        }
    }

    @Test func tcpWithHTTPModules() {
        let problems = EndpointConfigurationRules.validate(
            type: .tcp,
            modules: EndpointModules(compression: CompressionModule(), ipPolicy: IPPolicyModule(ipPolicies: ["office"]))
        )
        #expect(problems.map(\.field) == ["modules.compression"])
    }

    @Test func upstreamTermination() {
        let modules = EndpointModules(
            compression: CompressionModule(), ipPolicy: IPPolicyModule(ipPolicies: ["office"]),
            mutualTls: MutualTLSModule(certificateAuthorities: ["ca"]),
            tlsTermination: TLSTerminationModule(terminateAt: .upstream, minVersion: "1.2"))
        let problems = EndpointConfigurationRules.validate(type: .https, modules: modules)
        #expect(problems.contains { $0.field == "modules.compression" && $0.apiErrorCode == 1662 })
        #expect(problems.contains { $0.field == "modules.mutualTls" && $0.apiErrorCode == 1694 })
        #expect(problems.contains { $0.field == "modules.tlsTermination.minVersion" && $0.apiErrorCode == 1632 })
        #expect(!problems.contains { $0.field == "modules.ipPolicy" })
        // A disabled module is not in the way.
        let disabled = EndpointModules(
            compression: CompressionModule(enabled: false), tlsTermination: TLSTerminationModule(terminateAt: .upstream)
        )
        #expect(EndpointConfigurationRules.validate(type: .https, modules: disabled).isEmpty)
    }

    @Test func edgeTerminationAllowsEverything() {
        let modules = EndpointModules(
            compression: CompressionModule(), mutualTls: MutualTLSModule(certificateAuthorities: ["ca"]),
            tlsTermination: TLSTerminationModule(terminateAt: .edge, minVersion: "1.3"))
        #expect(EndpointConfigurationRules.validate(type: .https, modules: modules).isEmpty)
    }

    @Test func authExclusivity() {
        let modules = EndpointModules(
            oauth: OAuthModule(provider: .google),
            oidc: OIDCModule(issuer: "https://issuer.example.com", clientId: "id", clientSecret: .env("S")),
            saml: SAMLModule(idpMetadataUrl: "https://idp.example.com/md"))
        let problems = EndpointConfigurationRules.validate(type: .https, modules: modules)
        #expect(problems.map(\.field) == ["modules.oidc", "modules.saml"])
        #expect(problems.allSatisfy { $0.apiErrorCode == 1679 })
        var oneDisabled = modules
        oneDisabled.oidc?.enabled = false
        oneDisabled.saml = nil
        #expect(EndpointConfigurationRules.validate(type: .https, modules: oneDisabled).isEmpty)
    }

    @Test func emptyLists() {
        let problems = EndpointConfigurationRules.validate(
            type: .https,
            modules: EndpointModules(
                ipPolicy: IPPolicyModule(ipPolicies: []), mutualTls: MutualTLSModule(certificateAuthorities: [])))
        #expect(problems.map(\.field) == ["modules.ipPolicy.ipPolicies", "modules.mutualTls.certificateAuthorities"])
        #expect(problems.first?.apiErrorCode == 1625)
    }

    @Test func nestedModuleFields() {
        let problems = EndpointConfigurationRules.validate(
            type: .https,
            modules: EndpointModules(
                circuitBreaker: CircuitBreakerModule(numBuckets: 0),
                requestHeaders: HeadersModule(add: [.init(name: "X-A", value: "${.nope}")]),
                webhookValidation: WebhookValidationModule(provider: "SLACK"),
                oauth: OAuthModule(provider: .google, scopes: ["a"])))
        #expect(
            Set(problems.map(\.field)) == [
                "modules.circuitBreaker.numBuckets", "modules.requestHeaders.add.X-A",
                "modules.webhookValidation.secret",
                "modules.oauth.scopes",
            ])
    }

    @Test func parseType() throws {
        #expect(try EndpointConfigurationRules.parseType("https").get() == .https)
        if case .failure(let p) = EndpointConfigurationRules.parseType(nil) { #expect(p.apiErrorCode == 1620) }
        if case .failure(let p) = EndpointConfigurationRules.parseType("HTTP") {
            #expect(p.apiErrorCode == 1622)
            #expect(p.suggestion == "http")
        }
    }
}

@Suite struct ReservedDomainRulesTests {
    @Test func slots() {
        #expect(ReservedDomainRules.validateAttachment(.domainHTTP, configurationType: .http) == nil)
        #expect(ReservedDomainRules.validateAttachment(.domainHTTPS, configurationType: .https) == nil)
        #expect(ReservedDomainRules.validateAttachment(.address, configurationType: .tcp) == nil)
        #expect(ReservedDomainRules.validateAttachment(.domainHTTP, configurationType: .https)?.apiErrorCode == 428)
        #expect(ReservedDomainRules.validateAttachment(.domainHTTPS, configurationType: .tcp)?.apiErrorCode == 428)
        let address = ReservedDomainRules.validateAttachment(.address, configurationType: .http, name: "web")
        #expect(address?.apiErrorCode == 507)
        #expect(address?.field == "endpointConfiguration")
        #expect(address?.message.contains("'web'") == true)
    }

    @Test func regions() {
        for region in Region.all { #expect(ReservedDomainRules.validateRegion(region) == nil) }
        #expect(ReservedDomainRules.validateRegion("EU")?.suggestion == "eu")
        #expect(ReservedDomainRules.validateRegion("mars")?.apiErrorCode == 400)
        #expect(ReservedDomainRules.validateRegion("mars", code: 500)?.apiErrorCode == 500)
    }

    @Test func certificates() {
        let both = ReservedDomainRules.validateCertificateChoice(
            hasCertificate: true, management: .init(authority: "letsencrypt", privateKeyType: "ecdsa"))
        #expect(both.map(\.apiErrorCode) == [434])
        let bad = ReservedDomainRules.validateCertificateManagement(authority: "digicert", privateKeyType: "ed25519")
        #expect(bad.map(\.apiErrorCode) == [435, 1909])
        #expect(
            ReservedDomainRules.validateCertificateManagement(authority: "letsencrypt", privateKeyType: "rsa").isEmpty)
    }

    @Test func spec() {
        let problems = ReservedDomainRules.validate(ReservedDomainSpec(domain: "a..b.com", region: "xx"))
        #expect(Set(problems.map(\.field)) == ["domain", "region"])
    }
}

@Suite struct TextLimitsTests {
    @Test func description() {
        #expect(TextLimits.validateDescription(String(repeating: "a", count: 255)) == nil)
        #expect(TextLimits.validateDescription(String(repeating: "a", count: 256)) != nil)
        // Bytes, not characters.
        #expect(TextLimits.validateDescription(String(repeating: "é", count: 128)) != nil)
    }

    @Test func metadataCountsTheMarker() {
        let address = ResourceAddress(.ipPolicy, "office")
        let overhead = OwnershipMarker(
            stack: "prod", address: address, fingerprint: String(repeating: "0", count: 64), userMetadata: ""
        ).encoded.utf8.count
        let fits = String(repeating: "m", count: 4096 - overhead)
        #expect(TextLimits.validateUserMetadata(fits, stack: "prod", address: address) == nil)
        let tooLong = fits + "m"
        let problem = TextLimits.validateUserMetadata(tooLong, stack: "prod", address: address)
        #expect(problem != nil)
        #expect(problem?.hint.contains("\(4096 - overhead)") == true)
        // Quotes are escaped inside the marker, so they count twice.
        #expect(
            TextLimits.validateUserMetadata(String(repeating: "\"", count: 2100), stack: "prod", address: address)
                != nil)
        #expect(TextLimits.validateMetadata(String(repeating: "m", count: 4096)) == nil)
        #expect(TextLimits.validateMetadata(String(repeating: "m", count: 4097)) != nil)
    }

    @Test func apiFieldNames() {
        let v = RuleViolation.error(field: "modules.oauth.authCheckInterval", "x")
        #expect(v.apiField == "modules.oauth.auth_check_interval")
        #expect(RuleViolation.error(field: "add.X-RequestId", "x").apiField == "add.X-RequestId")
        #expect(v.errorCode == nil)
        #expect(RuleViolation.error("x", code: 1409).errorCode == "ERR_NGROK_1409")
    }
}
