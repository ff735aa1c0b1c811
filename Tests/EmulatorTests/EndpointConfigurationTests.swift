import TestSupport
import Testing
@testable import Emulator

/// Endpoint configurations: shapes, every module's GET/PUT/DELETE, PATCH semantics, product rules.
@Suite struct EndpointConfigurationTests {
    static let moduleKeys = [
        "basic_auth", "circuit_breaker", "compression", "request_headers", "response_headers", "ip_policy",
        "mutual_tls", "tls_termination", "webhook_validation", "oauth", "logging", "saml", "oidc", "backend",
    ]

    static let samlMetadata =
        "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.com\"></EntityDescriptor>"

    @Test func createShapeAndDefaults() async throws {
        try await withEmulator { client, _ in
            let created = try await client.post(
                "/endpoint_configurations",
                [
                    "type": "https", "description": "app servers",
                    "request_headers": ["add": ["X-Frontend": "ngrok"], "remove": ["Cache-Control"]],
                ])
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json.objectValue?.keys == ["id", "type", "description", "metadata", "created_at", "uri"] + Self.moduleKeys)
            #expect(created["request_headers"] == ["enabled": true, "add": ["x-frontend": "ngrok"], "remove": ["cache-control"]])
            for key in Self.moduleKeys where key != "request_headers" { #expect(created[key] == .null, "\(key)") }
            #expect(created["metadata"] == "")
        }
    }

    /// PUT (bare and wrapped) → GET → DELETE → GET 404 for every module on an https configuration.
    @Test func everyModuleRoundTrip() async throws {
        let ca = try TestPKI.makeCA()
        try await withEmulator { client, _ in
            let policy = try await client.post("/ip_policies", ["action": "allow"])
            let policyID = try #require(policy["id"]?.stringValue)
            let caID = try #require(try await client.post("/certificate_authorities", ["ca_pem": .string(ca.certificatePEM)])["id"]?.stringValue)
            let ec = try await client.post("/endpoint_configurations", ["type": "https"])
            let id = try #require(ec["id"]?.stringValue)
            let bodies: [(String, JSON, (JSON) -> Bool)] = [
                ("circuit_breaker", ["tripped_duration": 120, "rolling_window": 300, "num_buckets": 5, "volume_threshold": 20, "error_threshold_percentage": .double(0.2)],
                 { $0["enabled"] == true && $0["num_buckets"] == 5 && $0["error_threshold_percentage"]?.doubleValue == 0.2 }),
                ("compression", [:], { $0 == ["enabled": true] }),
                ("request_headers", ["add": ["X-A": "1"]], { $0 == ["enabled": true, "add": ["x-a": "1"], "remove": []] }),
                ("response_headers", ["enabled": false, "remove": ["Server"]], { $0 == ["enabled": false, "add": [:], "remove": ["server"]] }),
                ("ip_policy", ["ip_policy_ids": [.string(policyID)]],
                 { $0["ip_policies"] == [["id": .string(policyID), "uri": .string("\(client.baseURL)/ip_policies/\(policyID)")]] }),
                ("mutual_tls", ["certificate_authority_ids": [.string(caID)]],
                 { $0["certificate_authorities"]?.arrayValue?.first?["id"]?.stringValue == caID }),
                ("tls_termination", ["terminate_at": "edge", "min_version": "1.2"],
                 { $0 == ["enabled": true, "terminate_at": "edge", "min_version": "1.2"] }),
                ("webhook_validation", ["provider": "GITHUB", "secret": "s3cret"],
                 { $0 == ["enabled": true, "provider": "GITHUB", "secret": "s3cret"] }),
                ("oauth", ["provider": ["google": ["email_addresses": ["alan@example.com"]]], "options_passthrough": true],
                 { $0["cookie_prefix"] == "ngrok." && $0["provider"]?["github"] == .null
                     && $0["provider"]?["google"]?["client_id"] == .null && $0["provider"]?["google"]?["scopes"] == []
                     && $0["options_passthrough"] == true && $0["auth_check_interval"] == 0 }),
                ("logging", ["event_stream_ids": ["es_1ro7aBEJQkcfUBNX1r3IBSqjDU8"]],
                 { $0["event_streams"]?.arrayValue?.first?["uri"]?.stringValue?.hasSuffix("/event_streams/es_1ro7aBEJQkcfUBNX1r3IBSqjDU8") == true }),
                ("saml", ["idp_metadata": .string(Self.samlMetadata)],
                 { $0["allow_idp_initiated"] == true && $0["cookie_prefix"] == "" && $0["idp_metadata_url"] == ""
                     && $0["entity_id"]?.stringValue?.hasSuffix("/saml/\(id)") == true
                     && $0["request_signing_certificate_pem"]?.stringValue?.hasPrefix("-----BEGIN CERTIFICATE-----") == true
                     && $0["nameid_format"] == "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" }),
                ("oidc", ["issuer": "https://accounts.google.com", "client_id": "id", "client_secret": "secret", "scopes": ["openid"]],
                 { $0["client_secret"] == "secret" && $0["cookie_prefix"] == "" && $0["enabled"] == true }),
                ("basic_auth", ["realm": "r"], { $0 == ["enabled": true, "auth_provider_id": "agent", "realm": "r", "allow_options": false] }),
                ("backend", ["backend_id": "bkdbg_1"], { $0["backend"]?["id"] == "bkdbg_1" }),
            ]
            for (index, (module, body, check)) in bodies.enumerated() {
                // Alternate the bare shape (Go) and the wrapped shape (Python 0.4.0).
                let sent: JSON = index % 2 == 0 ? body : ["module": body]
                let put = try await client.put("/endpoint_configurations/\(id)/\(module)", sent)
                #expect(put.status == 200, "\(module): \(put.text)")
                #expect(check(put.json), "\(module) PUT: \(put.text)")
                let got = try await client.get("/endpoint_configurations/\(id)/\(module)")
                #expect(got.status == 200 && got.json == put.json, "\(module) GET")
                let full = try await client.get("/endpoint_configurations/\(id)")
                #expect(full[module] == put.json, "\(module) embedded")
                #expect(try await client.delete("/endpoint_configurations/\(id)/\(module)").status == 204)
                let gone = try await client.get("/endpoint_configurations/\(id)/\(module)")
                #expect(gone.status == 404, "\(module) after delete")
                #expect(try await client.get("/endpoint_configurations/\(id)")[module] == .null)
            }
        }
    }

    @Test func patchSemantics() async throws {
        try await withEmulator { client, _ in
            let ec = try await client.post(
                "/endpoint_configurations",
                ["type": "http", "circuit_breaker": ["num_buckets": 10, "rolling_window": 60], "compression": ["enabled": false]])
            let id = try #require(ec["id"]?.stringValue)
            // A given module replaces the old one wholesale; omitted and null modules stay.
            let patched = try await client.patch(
                "/endpoint_configurations/\(id)", ["circuit_breaker": ["tripped_duration": 5], "compression": nil, "description": "d"])
            #expect(patched.status == 200, "\(patched.text)")
            #expect(patched["circuit_breaker"]?["num_buckets"] == 0)
            #expect(patched["circuit_breaker"]?["tripped_duration"] == 5)
            #expect(patched["compression"] == ["enabled": false])
            #expect(patched["description"] == "d")
            // Empty PATCH is a no-op for configurations.
            let empty = try await client.patch("/endpoint_configurations/\(id)", [:])
            #expect(empty.status == 200 && empty["compression"] == ["enabled": false])
            // type is immutable.
            #expect(try await client.patch("/endpoint_configurations/\(id)", ["type": "https"]).errorCode == "ERR_NGROK_214")
        }
    }

    @Test func productRules() async throws {
        try await withEmulator { client, _ in
            func code(_ body: JSON) async throws -> String? { try await client.post("/endpoint_configurations", body).errorCode }
            #expect(try await code([:]) == "ERR_NGROK_1620")
            #expect(try await code(["type": "udp"]) == "ERR_NGROK_1622")
            #expect(try await code(["type": "tcp", "compression": [:]]) == "ERR_NGROK_1621")
            #expect(try await code(["type": "http", "mutual_tls": ["certificate_authority_ids": []]]) == "ERR_NGROK_1621")
            #expect(try await code(["type": "http", "oauth": ["provider": ["google": [:]]]]) == "ERR_NGROK_1621")
            #expect(try await code(["type": "https", "circuit_breaker": ["error_threshold_percentage": 50]]) == "ERR_NGROK_1611")
            #expect(try await code(["type": "https", "request_headers": ["add": ["X-A": "1", "x-a": "2"]]]) == "ERR_NGROK_1669")
            #expect(try await code(["type": "https", "request_headers": ["add": ["bad name": "1"]]]) == "ERR_NGROK_1623")
            #expect(try await code(["type": "https", "ip_policy": ["ip_policy_ids": []]]) == "ERR_NGROK_1625")
            #expect(try await code(["type": "https", "ip_policy": ["ip_policy_ids": ["ipp_1vckSz67sd2iZNRX03t8i8wihdB"]]]) == "ERR_NGROK_1607")
            #expect(try await code(["type": "https", "ip_policy": ["ip_policy_ids": ["ca_1vckSz67sd2iZNRX03t8i8wihdB"]]]) == "ERR_NGROK_227")
            #expect(try await code(["type": "https", "mutual_tls": ["certificate_authority_ids": ["ca_1vckSz67sd2iZNRX03t8i8wihdB"]]]) == "ERR_NGROK_1672")
            #expect(try await code(["type": "https", "webhook_validation": ["provider": "SNS", "secret": "x"]]) == "ERR_NGROK_1626")
            #expect(try await code(["type": "https", "webhook_validation": ["provider": "SLACK"]]) == "ERR_NGROK_1627")
            #expect(try await code(["type": "https", "webhook_validation": ["provider": "NOPE", "secret": "x"]]) == "ERR_NGROK_1630")
            #expect(try await code(["type": "https", "oauth": ["provider": [:]]]) == "ERR_NGROK_1637")
            #expect(try await code(["type": "https", "oauth": ["provider": ["google": [:], "github": [:]]]]) == "ERR_NGROK_1636")
            #expect(try await code(["type": "https", "oauth": ["provider": ["google": ["client_id": "x"]]]]) == "ERR_NGROK_1633")
            #expect(try await code(["type": "https", "oauth": ["provider": ["google": ["scopes": ["email"]]]]]) == "ERR_NGROK_1634")
            // A custom application's scopes must include what ngrok needs from the provider.
            #expect(try await code(["type": "https", "oauth": ["provider": ["github": ["client_id": "x", "client_secret": "y", "scopes": ["repo"]]]]]) == "ERR_NGROK_1638")
            #expect(try await code(["type": "https", "oauth": ["provider": ["google": ["email_addresses": ["A@x.com"]]]]]) == "ERR_NGROK_1667")
            #expect(try await code(["type": "https", "oauth": ["provider": ["google": [:]], "cookie_prefix": "a_b"]]) == "ERR_NGROK_1642")
            #expect(try await code(["type": "https", "oauth": ["provider": ["google": [:]], "auth_check_interval": 60]]) == "ERR_NGROK_1635")
            #expect(try await code(["type": "https", "oauth": ["provider": ["google": [:]]], "oidc": ["issuer": "https://i", "client_id": "a", "client_secret": "b"]]) == "ERR_NGROK_1679")
            #expect(try await code(["type": "https", "oidc": ["client_id": "a", "client_secret": "b"]]) == "ERR_NGROK_1688")
            #expect(try await code(["type": "https", "saml": [:]]) == "ERR_NGROK_1691")
            #expect(try await code(["type": "https", "saml": ["idp_metadata": .string(Self.samlMetadata), "idp_metadata_url": "https://x"]]) == "ERR_NGROK_1681")
            #expect(try await code(["type": "https", "tls_termination": ["terminate_at": "middle"]]) == "ERR_NGROK_224")
            #expect(try await code(["type": "https", "tls_termination": ["terminate_at": "upstream", "min_version": "1.2"]]) == "ERR_NGROK_1632")
            #expect(try await code(["type": "https", "tls_termination": ["terminate_at": "upstream"], "compression": [:]]) == "ERR_NGROK_1662")
            #expect(try await code(["type": "https", "tls_termination": ["terminate_at": "upstream"], "mutual_tls": ["certificate_authority_ids": []]]) == "ERR_NGROK_1694")
            #expect(try await code(["type": "https", "compression": ["enabled": "yes"]]) == "ERR_NGROK_215")
            #expect(try await code(["type": "https", "compression": ["level": 9]]) == "ERR_NGROK_214")
            // Module PUT on an unsupported type, and an unknown module path.
            let tcp = try #require(try await client.post("/endpoint_configurations", ["type": "tcp"])["id"]?.stringValue)
            #expect(try await client.put("/endpoint_configurations/\(tcp)/oauth", ["provider": ["google": [:]]]).errorCode == "ERR_NGROK_1621")
            #expect(try await client.put("/endpoint_configurations/\(tcp)/ip_policy", ["ip_policy_ids": []]).errorCode == "ERR_NGROK_1625")
            #expect(try await client.get("/endpoint_configurations/\(tcp)/nonsense").status == 404)
        }
    }
}
