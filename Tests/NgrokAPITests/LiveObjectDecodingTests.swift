import Foundation
import NgrokModel
import Reconcile
import Testing

@testable import NgrokAPI

/// A response object as the planner sees it: JSON → `WireValue` → `LiveObject`, with nothing added,
/// dropped or renamed on the way.
private func live(_ collection: APICollection, _ json: String) throws -> LiveObject {
    guard case .object(let object) = try WireValue(jsonText: Array(json.utf8)) else {
        throw APIError.configuration("not an object")
    }
    return LiveObject(collection: collection, json: object)
}

private func ids(_ value: WireValue?) -> [String] {
    guard case .list(let refs)? = value else { return [] }
    return refs.compactMap { $0["id"]?.stringValue }
}

@Suite struct LiveObjectDecodingTests {
    @Test func credentialCreateResponseWithOmittedMetadata() throws {
        let json = """
            {"id":"cr_1","uri":"https://api.ngrok.com/credentials/cr_1","created_at":"2022-11-29T20:07:20Z",
             "description":"dev","token":"abc_def","acl":[],"owner_id":"usr_x"}
            """
        let credential = try live(.credentials, json)
        #expect(credential.id == "cr_1")
        #expect(credential.createdAt == "2022-11-29T20:07:20Z")
        #expect(credential.marker == nil)
        #expect(credential.json["metadata"] == nil)
        #expect(credential.json["description"]?.stringValue == "dev")
        #expect(credential.json["acl"] == .list([]))
        #expect(credential.json["token"]?.stringValue == "abc_def")
    }

    @Test func ipPolicy2021AndRule() throws {
        let marker = OwnershipMarker(stack: "prod", address: ResourceAddress(.ipPolicy, "office")).encoded
        let policy = try live(
            .ipPolicies,
            #"{"id":"ipp_1","uri":"u","created_at":"2021-07-21T11:59:27Z","description":"Dev","metadata":\#(WireValue.string(marker).serialized()),"action":"allow"}"#)
        #expect(policy.json["action"]?.stringValue == "allow")
        #expect(policy.marker?.address == ResourceAddress(.ipPolicy, "office"))
        let rule = try live(
            .ipPolicyRules,
            #"{"id":"ipr_1","uri":"u","created_at":"t","description":"laptop","metadata":"","cidr":"2.2.2.2/32","ip_policy":{"id":"ipp_1","uri":"x"}}"#
        )
        #expect(rule.json["action"] == nil)
        #expect(rule.marker == nil)
        let state = LiveState(objects: [.ipPolicies: [policy], .ipPolicyRules: [rule]])
        #expect(state.rulesByPolicy["ipp_1"]?.map(\.id) == ["ipr_1"])
        #expect(state.owned(by: "prod")[ResourceAddress(.ipPolicy, "office")]?.map(\.id) == ["ipp_1"])
    }

    @Test func whitelistListKey() async throws {
        let transport = FakeTransport { _, _ in
            FakeTransport.json(200, """
                {"whitelist":[{"id":"wl_1","uri":"u","created_at":"2021-04-21T23:37:16Z","description":"proxies","metadata":"","ip_net":"10.1.1.0/24"}],
                 "uri":"https://api.ngrok.com/ip_whitelist","next_page_uri":null}
                """)
        }
        let items = try await makeClient(transport).listAll(.ipWhitelist)
        #expect(items.map { $0["ip_net"]?.stringValue } == ["10.1.1.0/24"])
        #expect(transport.requests.count == 1)
        #expect(APICollection.ipWhitelist.listKey == "whitelist")
    }

    @Test func requestBodiesAreCompactSortedJSON() throws {
        #expect(try WireValue.object(["description": .string("x")]).requestBody { _ in nil } == Array(#"{"description":"x"}"#.utf8))
        #expect(WireValue.object(["acl": .list([])]).serialized() == #"{"acl":[]}"#)
        #expect(WireValue.object([:]).serialized() == "{}")
        let update = WireValue.object(["ip_policy": .object(["enabled": .bool(true), "ip_policy_ids": .strings(["ipp_1"])])])
        #expect(update.serialized() == #"{"ip_policy":{"enabled":true,"ip_policy_ids":["ipp_1"]}}"#)
        #expect(try WireValue(jsonText: Array(update.serialized().utf8)) == update)
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
        let ec = try live(.endpointConfigurations, json)
        #expect(ec.json["type"]?.stringValue == "https")
        #expect(ec.json["request_headers"]?["add"] == .object(["x-frontend": .string("ngrok")]))
        #expect(ids(ec.json["ip_policy"]?["ip_policies"]) == ["ipp_1"])
        #expect(ids(ec.json["mutual_tls"]?["certificate_authorities"]) == ["ca_1"])
        #expect(ec.json["oauth"]?["provider"]?["google"]?["client_secret"]?.stringValue == "sec")
        #expect(ec.json["logging"]?["event_streams"] == .null)
        #expect(ec.json["saml"] == .null && ec.json["tls_termination"]?["min_version"] == .null)
    }

    @Test func oddFieldsAreKeptAsTheyCame() throws {
        let ec = try live(.endpointConfigurations, #"{"id":"ec_1","type":"tcp","logging":{"enabled":null,"event_streams":7}}"#)
        #expect(ec.json["logging"] == .object(["enabled": .null, "event_streams": .int(7)]))
        #expect(ec.createdAt == "" && ec.marker == nil)
    }

    @Test func samlComputedFields() throws {
        let ec = try live(
            .endpointConfigurations,
            #"{"id":"ec_1","saml":{"enabled":true,"idp_metadata":"<xml/>","idp_metadata_url":"","force_authn":false,"allow_idp_initiated":true,"authorized_groups":[],"entity_id":"https://idp/saml/ec_1","assertion_consumer_service_url":"https://idp/saml/ec_1/acs","single_logout_url":"s","request_signing_certificate_pem":"pem","metadata_url":"m","nameid_format":"urn:x"}}"#
        )
        #expect(ec.json["saml"]?["assertion_consumer_service_url"]?.stringValue?.hasSuffix("/acs") == true)
        #expect(ec.json["saml"]?["entity_id"]?.stringValue == "https://idp/saml/ec_1")
        #expect(ec.json["saml"]?["force_authn"] == .bool(false))
    }

    @Test func nestedObjectsRoundTrip() throws {
        let text = #"{"enabled":true,"provider":{"github":{"email_addresses":[],"email_domains":[],"organizations":[],"scopes":[],"teams":["org/team"]}}}"#
        let oauth = try WireValue(jsonText: Array(text.utf8))
        #expect(oauth.serialized() == text)
        #expect(oauth["provider"]?["github"]?["teams"] == .list([.string("org/team")]))
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
        let domain = try live(.reservedDomains, json)
        #expect(domain.json["domain"]?.stringValue == "myapp.mydomain.com")
        #expect(domain.json["https_endpoint_configuration"]?["id"]?.stringValue == "ec_2")
        #expect(domain.json["certificate"]?["id"]?.stringValue == "cert_1")
        #expect(domain.json["http_endpoint_configuration"] == .null)
        #expect(domain.json["certificate_management_status"]?["provisioning_job"]?["msg"]?.stringValue == "in progress")
    }

    @Test func reservedAddrAndTLS() throws {
        let addr = try live(
            .reservedAddrs,
            #"{"id":"ra_1","uri":"u","created_at":"t","description":"SSH","addr":"1.tcp.ngrok.io:20000","region":"us","endpoint_configuration":null}"#
        )
        #expect(addr.json["addr"]?.stringValue == "1.tcp.ngrok.io:20000")
        let cert = try live(
            .tlsCertificates,
            #"{"id":"cert_1","certificate_pem":"PEM\n","subject_alternative_names":{"dns_names":["a.com"],"ips":null},"issued_at":null,"private_key_type":"ecdsa"}"#
        )
        #expect(cert.json["subject_alternative_names"]?["dns_names"] == .list([.string("a.com")]))
        #expect(cert.json["subject_alternative_names"]?["ips"] == .null)
        #expect(cert.json["certificate_pem"]?.stringValue == "PEM\n")
    }

    @Test func errorEnvelopeWithoutCode() throws {
        let body = try JSONDecoding().decode(
            APIErrorBody.self, from: Array(#"{"status_code":404,"msg":"Resource not found","details":{"operation_id":"op_1"}}"#.utf8))
        #expect(body.errorCode == nil)
        #expect(body.operationID == "op_1")
        #expect(body.msg == "Resource not found")
    }

    @Test func collectionsMapToKinds() {
        for kind in Kind.allCases {
            #expect(kind.collection.kind == kind)
        }
        #expect(APICollection(id: "ipr_abc") == .ipPolicyRules)
        #expect(APICollection(id: "ipp_abc") == .ipPolicies)
        #expect(Set(LiveState.collections) == Set(APICollection.allCases))
    }
}
