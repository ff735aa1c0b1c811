import Foundation
import NgrokModel
import Testing

@testable import NgrokAPI

private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try JSONDecoding().decode(T.self, from: Array(json.utf8))
}

private func encode(_ value: some Encodable) throws -> String {
    String(decoding: try JSONDecoding.encode(value), as: UTF8.self)
}

@Suite struct WireModelTests {
    @Test func credentialCreateResponseWithOmittedMetadata() throws {
        let json = """
            {"id":"cr_1","uri":"https://api.ngrok.com/credentials/cr_1","created_at":"2022-11-29T20:07:20Z",
             "description":"dev","token":"abc_def","acl":[],"owner_id":"usr_x"}
            """
        let credential = try decode(Credential.self, json)
        #expect(credential.metadata == "")
        #expect(credential.description == "dev")
        #expect(credential.token == "abc_def")
        #expect(!credential.debugDescription.contains("abc_def"))
        #expect(!"\(credential)".contains("abc_def"))
    }

    @Test func ipPolicy2021AndRule() throws {
        let policy = try decode(
            IPPolicy.self,
            #"{"id":"ipp_1","uri":"u","created_at":"2021-07-21T11:59:27Z","description":"Dev","metadata":"","action":"allow"}"#)
        #expect(policy.action == .allow)
        let rule = try decode(
            IPPolicyRule.self,
            #"{"id":"ipr_1","uri":"u","created_at":"t","description":"laptop","metadata":"","cidr":"2.2.2.2/32","ip_policy":{"id":"ipp_1","uri":"x"}}"#
        )
        #expect(rule.ipPolicy.id == "ipp_1")
        #expect(rule.action == nil)
        #expect(try encode(IPPolicyRuleCreate(cidr: "1.0.0.0/8", ipPolicyID: "ipp_1"))
            == #"{"cidr":"1.0.0.0/8","ip_policy_id":"ipp_1"}"#)
        #expect(try encode(IPPolicyCreate(metadata: "m", action: .deny)) == #"{"action":"deny","metadata":"m"}"#)
    }

    @Test func whitelistListKey() throws {
        let json = """
            {"whitelist":[{"id":"wl_1","uri":"u","created_at":"2021-04-21T23:37:16Z","description":"proxies","metadata":"","ip_net":"10.1.1.0/24"}],
             "uri":"https://api.ngrok.com/ip_whitelist","next_page_uri":null}
            """
        let page = try decode(ListPage<IPWhitelistEntry>.self, json)
        #expect(page.items.map(\.ipNet) == ["10.1.1.0/24"])
        #expect(page.nextPageURI == nil)
        #expect(APICollection.ipWhitelist.listKey == "whitelist")
    }

    @Test func updatesOmitNilFields() throws {
        #expect(try encode(CredentialUpdate(description: "x")) == #"{"description":"x"}"#)
        #expect(try encode(CredentialUpdate(acl: [])) == #"{"acl":[]}"#)
        #expect(try encode(EndpointConfigurationUpdate()) == "{}")
        #expect(EndpointConfigurationUpdate().isEmpty)
        let update = EndpointConfigurationUpdate(ipPolicy: EndpointIPPolicyMutate(ipPolicyIDs: ["ipp_1"]))
        #expect(try encode(update) == #"{"ip_policy":{"enabled":true,"ip_policy_ids":["ipp_1"]}}"#)
        #expect(try encode(ReservedAddrUpdate(metadata: "m")) == #"{"metadata":"m"}"#)
    }

    @Test func endpointConfigurationWithModules() throws {
        let json = """
            {"id":"ec_1","type":"https","description":"app servers","metadata":"","created_at":"t","uri":"u",
             "basic_auth":null,"circuit_breaker":null,"compression":null,
             "request_headers":{"enabled":true,"add":{"x-frontend":"ngrok"},"remove":["cache-control"]},
             "response_headers":null,
             "ip_policy":{"enabled":true,"ip_policies":[{"id":"ipp_1","uri":"https://api.ngrok.com/ip_policies/ipp_1"}]},
             "mutual_tls":{"enabled":true,"certificate_authorities":[{"id":"ca_1","uri":"x"}]},
             "tls_termination":{"enabled":true,"terminate_at":"edge","min_version":null},
             "webhook_validation":null,
             "oauth":{"enabled":true,"provider":{"github":null,"facebook":null,"microsoft":null,
                 "google":{"client_id":"id","client_secret":"sec","scopes":["profile"],"email_addresses":["a@b.c"],"email_domains":[]},
                 "linkedin":null},"options_passthrough":true,"cookie_prefix":"ngrok.","inactivity_timeout":0,
                 "maximum_duration":0,"auth_check_interval":0},
             "logging":{"enabled":true,"event_streams":null},
             "saml":null,"oidc":null,"backend":null}
            """
        let ec = try decode(EndpointConfiguration.self, json)
        #expect(ec.type == .https)
        #expect(ec.requestHeaders?.add == ["x-frontend": "ngrok"])
        #expect(ec.ipPolicy?.ipPolicies.map(\.id) == ["ipp_1"])
        #expect(ec.mutualTLS?.certificateAuthorities.map(\.id) == ["ca_1"])
        #expect(ec.oauth?.provider.name == "google")
        #expect(ec.oauth?.provider.app?.clientSecret == "sec")
        #expect(ec.logging?.eventStreams == [])
        #expect(ec.has(.oauth) && !ec.has(.saml))
        #expect(!"\(ec.oauth!.provider.google!)".contains("sec"))
    }

    @Test func loggingNullTolerant() throws {
        let ec = try decode(EndpointConfiguration.self, #"{"id":"ec_1","type":"tcp","logging":{"enabled":null,"event_streams":7}}"#)
        #expect(ec.logging?.eventStreams == [])
        #expect(ec.description == "" && ec.metadata == "")
    }

    @Test func samlComputedFields() throws {
        let saml = try decode(
            EndpointSAML.self,
            #"{"enabled":true,"idp_metadata":"<xml/>","idp_metadata_url":"","force_authn":false,"allow_idp_initiated":true,"authorized_groups":[],"entity_id":"https://idp/saml/ec_1","assertion_consumer_service_url":"https://idp/saml/ec_1/acs","single_logout_url":"s","request_signing_certificate_pem":"pem","metadata_url":"m","nameid_format":"urn:x"}"#
        )
        #expect(saml.assertionConsumerServiceURL.hasSuffix("/acs"))
        #expect(saml.entityID == "https://idp/saml/ec_1")
        let mutate = EndpointSAMLMutate(idpMetadataURL: "https://idp.example/metadata")
        #expect(try encode(mutate) == #"{"enabled":true,"idp_metadata_url":"https://idp.example/metadata"}"#)
    }

    @Test func oauthProviderEncodesExactlyOne() throws {
        let oauth = EndpointOAuth(provider: EndpointOAuthProvider(github: EndpointOAuthGitHub(teams: ["org/team"])))
        let text = try encode(oauth)
        #expect(text == #"{"enabled":true,"provider":{"github":{"email_addresses":[],"email_domains":[],"organizations":[],"scopes":[],"teams":["org/team"]}}}"#)
    }

    @Test func reservedDomainExample() throws {
        let json = """
            {"id":"rd_1","uri":"u","created_at":"t","domain":"myapp.mydomain.com","region":"us",
             "cname_target":"2rxdnxydx.cname.us.ngrok.io","http_endpoint_configuration":null,
             "https_endpoint_configuration":{"id":"ec_2","uri":"x"},"certificate":{"id":"cert_1","uri":"y"},
             "certificate_management_policy":null,
             "certificate_management_status":{"renews_at":null,"provisioning_job":{"error_code":null,"msg":"in progress","started_at":"t","retries_at":null}},
             "acme_challenge_cname_target":null}
            """
        let domain = try decode(ReservedDomain.self, json)
        #expect(domain.domain == "myapp.mydomain.com")
        #expect(domain.httpsEndpointConfiguration?.id == "ec_2")
        #expect(domain.certificate?.id == "cert_1")
        #expect(domain.certificateManagementStatus?.provisioningJob?.msg == "in progress")
        let create = ReservedDomainCreate(name: "myapp.mydomain.com", region: "us", certificateID: "cert_1")
        #expect(try encode(create) == #"{"certificate_id":"cert_1","name":"myapp.mydomain.com","region":"us"}"#)
        #expect(ReservedDomainDetachment.allCases.map(\.path).count == 4)
    }

    @Test func reservedAddrAndTLS() throws {
        let addr = try decode(
            ReservedAddr.self,
            #"{"id":"ra_1","uri":"u","created_at":"t","description":"SSH","addr":"1.tcp.ngrok.io:20000","region":"us","endpoint_configuration":null}"#
        )
        #expect(addr.addr == "1.tcp.ngrok.io:20000")
        let cert = try decode(
            TLSCertificate.self,
            #"{"id":"cert_1","certificate_pem":"PEM\n","subject_alternative_names":{"dns_names":["a.com"],"ips":null},"issued_at":null,"private_key_type":"ecdsa"}"#
        )
        #expect(cert.subjectAlternativeNames.dnsNames == ["a.com"])
        #expect(cert.subjectAlternativeNames.ips == [])
        let create = TLSCertificateCreate(certificatePEM: "C", privateKeyPEM: "SECRETKEY")
        #expect(try encode(create).contains("private_key_pem"))
        #expect(!create.debugDescription.contains("SECRETKEY"))
        #expect(!"\(create)".contains("SECRETKEY"))
    }

    @Test func errorEnvelopeWithoutCode() throws {
        let body = try decode(APIErrorBody.self, #"{"status_code":404,"msg":"Resource not found","details":{"operation_id":"op_1"}}"#)
        #expect(body.errorCode == nil)
        #expect(body.operationID == "op_1")
        #expect(body.msg == "Resource not found")
    }

    @Test func collectionsMapToKinds() {
        for kind in Kind.allCases {
            #expect(APICollection(kind: kind).path == kind.collection)
            #expect(APICollection(kind: kind).kind == kind)
        }
        #expect(APICollection(id: "ipr_abc") == .ipPolicyRules)
        #expect(APICollection(id: "ipp_abc") == .ipPolicies)
        #expect(EndpointModuleKind(.mutualTls) == .mutualTLS)
        #expect(EndpointModuleKind.allCases.count == 12)
    }

    @Test func sha256KnownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(String(repeating: "a", count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
