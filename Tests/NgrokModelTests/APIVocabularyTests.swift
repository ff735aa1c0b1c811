import Testing

@testable import NgrokModel

@Suite struct APIVocabularyTests {
    @Test(arguments: [
        (Kind.endpointConfiguration, "ip_policy.ip_policy_ids", "modules.ipPolicy.ipPolicies"),
        (.endpointConfiguration, "ip_policy.ip_policies", "modules.ipPolicy.ipPolicies"),
        (.endpointConfiguration, "circuit_breaker.num_buckets", "modules.circuitBreaker.numBuckets"),
        (.endpointConfiguration, "mutual_tls.certificate_authority_ids", "modules.mutualTls.certificateAuthorities"),
        (.endpointConfiguration, "oauth.provider.google.email_domains", "modules.oauth.emailDomains"),
        (.endpointConfiguration, "oauth.provider.github.client_secret", "modules.oauth.clientSecret"),
        (.endpointConfiguration, "oauth.auth_check_interval", "modules.oauth.authCheckInterval"),
        (.endpointConfiguration, "oidc.client_secret", "modules.oidc.clientSecret"),
        (.endpointConfiguration, "saml.nameid_format", "modules.saml.nameidFormat"),
        (.endpointConfiguration, "request_headers.add.x-client_id", "modules.requestHeaders.add.x-client_id"),
        (.endpointConfiguration, "webhook_validation.secret", "modules.webhookValidation.secret"),
        (.endpointConfiguration, "type", "type"),
        (.reservedDomain, "name", "domain"),
        (.reservedDomain, "certificate_id", "certificate"),
        (.reservedDomain, "https_endpoint_configuration_id", "httpsEndpointConfiguration"),
        (.reservedDomain, "certificate_management_policy.private_key_type", "certificateManagement.privateKeyType"),
        (.reservedAddress, "endpoint_configuration_id", "endpointConfiguration"),
        (.ipWhitelistEntry, "ip_net", "ipNet"),
        (.tlsCertificate, "private_key_pem", "privateKeyPem"),
        (.certificateAuthority, "ca_pem", "caPem"),
        (.credential, "description", "description"),
        (.credential, "ownership", "ownership"),
    ])
    func manifestNamesOfAPIPaths(_ kind: Kind, _ api: String, _ manifest: String) {
        #expect(APIVocabulary.manifestPath(of: api, kind: kind) == manifest)
    }

    @Test func apiPathsOfManifestPaths() {
        #expect(APIVocabulary.apiPath(of: "modules.ipPolicy.ipPolicies", kind: .endpointConfiguration) == "ip_policy.ip_policy_ids")
        #expect(APIVocabulary.apiPath(of: "modules.circuitBreaker.numBuckets", kind: .endpointConfiguration) == "circuit_breaker.num_buckets")
        #expect(APIVocabulary.apiPath(of: "modules.oauth.clientSecret", kind: .endpointConfiguration) == "oauth.client_secret")
        #expect(APIVocabulary.apiPath(of: "modules.requestHeaders.add.X-Id", kind: .endpointConfiguration) == "request_headers.add.X-Id")
        #expect(APIVocabulary.apiPath(of: "privateKeyPem", kind: .tlsCertificate) == "private_key_pem")
        #expect(APIVocabulary.apiPath(of: "domain", kind: .reservedDomain) == "name")
    }

    @Test func ordinalsArePositionsInAllCases() {
        #expect(ModuleName.allCases.map(\.ordinal) == Array(ModuleName.allCases.indices))
    }

    @Test func everyModuleHasOneAPINameAndRoundTrips() {
        let names = ModuleName.allCases.map(\.apiName)
        #expect(Set(names).count == names.count)
        for module in ModuleName.allCases {
            #expect(ModuleName(apiName: module.apiName) == module)
            #expect(!module.supportedTypes.isEmpty)
            for field in APIVocabulary.module(module).fields where field.type != .headerMap {
                let manifest = "modules.\(module.rawValue).\(field.manifest)"
                let api = APIVocabulary.apiPath(of: manifest, kind: .endpointConfiguration)
                #expect(api == "\(module.apiName).\(field.request)")
                #expect(APIVocabulary.manifestPath(of: api, kind: .endpointConfiguration) == manifest)
            }
        }
        #expect(ModuleName.ipPolicy.supportedTypes == [.http, .https, .tcp])
        #expect(ModuleName.oauth.supportedTypes == [.https])
    }
}
