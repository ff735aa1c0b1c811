import NgrokModel
import Testing
import Validation

/// Required OAuth scopes of a custom application (ERR_NGROK_1638), the IP whitelist used with the IP
/// policy module, and the one definition of an ngrok-owned domain.
struct AccessRulesTests {
    @Test(arguments: [
        (OAuthProvider.google, ["email"], false), (.google, ["email", "profile"], true),
        (.google, ["https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/userinfo.profile", "openid"], true),
        (.microsoft, ["Mail.Read"], false), (.microsoft, ["user.read"], true), (.microsoft, ["User.Read.All"], true),
        (.github, ["repo"], false), (.github, ["read:user"], true), (.github, ["user"], true),
        (.facebook, ["public_profile"], false), (.facebook, ["email", "public_profile"], true),
    ])
    func requiredScopesOfACustomApplication(provider: OAuthProvider, scopes: [String], ok: Bool) {
        let found = OAuthRules.validate(
            OAuthModule(provider: provider, clientId: "id", clientSecret: .env("S"), scopes: scopes))
        #expect(found.contains { $0.apiErrorCode == 1638 } == !ok, "\(found)")
    }

    @Test func emptyScopesAndTheManagedApplicationNeedNoScopes() {
        #expect(OAuthRules.validate(OAuthModule(provider: .github, clientId: "id", clientSecret: .env("S"))).isEmpty)
        #expect(OAuthRules.validate(OAuthModule(provider: .google)).isEmpty)
    }

    @Test func whitelistWithIPPolicyModuleWarns() {
        let resources = [
            Fixtures.resource(.ipPolicy, "office", .ipPolicy(IPPolicySpec(rules: [.init(cidr: "192.0.2.0/24")]))),
            Fixtures.resource(.ipWhitelistEntry, "vpn", .ipWhitelistEntry(IPWhitelistEntrySpec(ipNet: "203.0.113.0/24"))),
            Fixtures.resource(
                .endpointConfiguration, "api",
                .endpointConfiguration(
                    EndpointConfigurationSpec(type: .https, modules: EndpointModules(ipPolicy: IPPolicyModule(ipPolicies: ["office"]))))),
        ]
        let found = ProductRules.validate(Fixtures.stack(resources))
        #expect(found.count == 1)
        #expect(found.first?.severity == .warning)
        #expect(found.first?.address == ResourceAddress(.ipWhitelistEntry, "vpn"))
        #expect(found.first?.message.contains("EndpointConfiguration/api") == true)
        #expect(ProductRules.validate(Fixtures.stack(Array(resources.dropFirst(2)) + [resources[0]])).isEmpty)
    }

    @Test func ngrokOwnedDomains() {
        for owned in ["myapp", "myapp.ngrok.io", "x.ngrok.app", "x.ngrok.dev", "x.ngrok-free.app", "X.NGROK.APP"] {
            #expect(ReservedDomainRules.isNgrokOwned(owned), "\(owned)")
        }
        for custom in ["app.example.com", "notngrok.io", "ngrok.app.example.com", "x.myngrok.app"] {
            #expect(!ReservedDomainRules.isNgrokOwned(custom), "\(custom)")
        }
    }
}
