import TestSupport
import Testing
@testable import Emulator

/// The error envelope and the request-level errors.
@Suite struct ErrorTests {
    @Test func envelopeVersionAndAuth() async throws {
        try await withEmulator { client, _ in
            var noVersion = client
            noVersion.version = nil
            let missing = try await noVersion.get("/credentials")
            #expect(missing.status == 400 && missing.errorCode == "ERR_NGROK_218")
            #expect(missing.json.objectValue?.keys == ["error_code", "status_code", "msg", "details"])
            #expect(missing["status_code"] == 400)
            let op = try #require(missing["details"]?["operation_id"]?.stringValue)
            #expect(op.hasPrefix("op_") && missing.headers["ngrok-operation-id"] == op)
            var v1 = client
            v1.version = "1"
            #expect(try await v1.get("/credentials").errorCode == "ERR_NGROK_217")
            var anonymous = client
            anonymous.apiKey = nil
            let noAuth = try await anonymous.get("/credentials")
            #expect(noAuth.status == 401 && noAuth.errorCode == "ERR_NGROK_200")
            var wrongKey = client
            wrongKey.apiKey = "nope"
            #expect(try await wrongKey.get("/credentials").status == 401)
            let basic = try await anonymous.request("GET", "/credentials", extraHeaders: ["Authorization": "Token x"])
            #expect(basic.status == 401 && basic.errorCode == "ERR_NGROK_201")
            // Header names are case-insensitive.
            var lower = client
            lower.version = nil
            #expect(try await lower.request("GET", "/credentials", extraHeaders: ["ngrok-version": "2"]).status == 200)
        }
    }

    @Test func requestFormatErrors() async throws {
        try await withEmulator { client, _ in
            #expect(try await client.post("/credentials", ["nope": 1]).errorCode == "ERR_NGROK_214")
            #expect(try await client.post("/credentials", ["description": 5]).errorCode == "ERR_NGROK_215")
            #expect(try await client.request("POST", "/credentials", body: "{bad").errorCode == "ERR_NGROK_213")
            #expect(try await client.request("POST", "/credentials", body: "[]").errorCode == "ERR_NGROK_213")
            #expect(try await client.request("POST", "/credentials", body: "{}", contentType: "text/plain").errorCode == "ERR_NGROK_210")
            #expect(try await client.request("POST", "/credentials", body: "{}", contentType: nil).errorCode == "ERR_NGROK_216")
            #expect(try await client.request("GET", "/credentials", body: "{}").errorCode == "ERR_NGROK_211")
            #expect(try await client.get("/credentials?foo=1").errorCode == "ERR_NGROK_231")
            #expect(try await client.get("/credentials?limit=1&limit=2").errorCode == "ERR_NGROK_232")
            #expect(try await client.get("/credentials?limit=0").errorCode == "ERR_NGROK_233")
            #expect(try await client.get("/credentials?limit=101").errorCode == "ERR_NGROK_233")
            #expect(try await client.get("/credentials/ipp_1vckSz67sd2iZNRX03t8i8wihdB").errorCode == "ERR_NGROK_227")
            #expect(try await client.get("/credentials/cr_notanid").errorCode == "ERR_NGROK_223")
            let missing = try await client.get("/credentials/cr_1vckSz67sd2iZNRX03t8i8wihdB")
            #expect(missing.status == 404 && missing.errorCode == nil && missing["msg"] == "Resource not found")
            #expect(try await client.patch("/credentials/cr_1vckSz67sd2iZNRX03t8i8wihdB", ["description": "x"]).status == 404)
            #expect(try await client.delete("/credentials/cr_1vckSz67sd2iZNRX03t8i8wihdB").status == 404)
            #expect(try await client.get("/tunnels").status == 404)
            #expect(try await client.request("PUT", "/credentials").status == 405)
            let long = String(repeating: "x", count: 256)
            #expect(try await client.post("/credentials", ["description": .string(long)]).errorCode == "ERR_NGROK_604")
            #expect(try await client.post("/credentials", ["metadata": .string(String(repeating: "m", count: 4097))]).errorCode == "ERR_NGROK_605")
            #expect(try await client.post("/reserved_addrs", ["description": .string(long)]).errorCode == "ERR_NGROK_504")
            #expect(try await client.post("/endpoint_configurations", ["type": "http", "metadata": .string(String(repeating: "m", count: 4097))]).errorCode == "ERR_NGROK_1674")
            #expect(try await client.post("/credentials", ["acl": ["allow:everything"]]).errorCode == "ERR_NGROK_600")
        }
    }

    @Test func emptyUpdates() async throws {
        try await withEmulator { client, _ in
            func id(_ reply: TestClient.Reply) throws -> String { try #require(reply["id"]?.stringValue) }
            let cr = try id(try await client.post("/credentials", [:]))
            let ipp = try id(try await client.post("/ip_policies", ["action": "allow"]))
            let ipr = try id(try await client.post("/ip_policy_rules", ["ip_policy_id": .string(ipp), "cidr": "1.2.3.4/32"]))
            let ra = try id(try await client.post("/reserved_addrs", [:]))
            let rd = try id(try await client.post("/reserved_domains", ["name": "empty-update"]))
            let cases: [(String, String)] = [
                ("/credentials/\(cr)", "ERR_NGROK_606"), ("/ip_policies/\(ipp)", "ERR_NGROK_1400"),
                ("/ip_policy_rules/\(ipr)", "ERR_NGROK_1401"), ("/reserved_addrs/\(ra)", "ERR_NGROK_506"),
                ("/reserved_domains/\(rd)", "ERR_NGROK_422"),
            ]
            for (path, code) in cases {
                #expect(try await client.patch(path, [:]).errorCode == code, "\(path)")
                // The Python client sends no body at all for an empty update.
                #expect(try await client.request("PATCH", path).errorCode == code, "\(path) without body")
                #expect(try await client.patch(path, ["description": nil]).errorCode == code, "\(path) null")
            }
        }
    }

    @Test func ipPolicyRuleRules() async throws {
        try await withEmulator { client, _ in
            let ipp = try #require(try await client.post("/ip_policies", ["action": "allow"])["id"]?.stringValue)
            func rule(_ cidr: String) async throws -> TestClient.Reply {
                try await client.post("/ip_policy_rules", ["ip_policy_id": .string(ipp), "cidr": .string(cidr)])
            }
            #expect(try await rule("10.0.0.0/8").status == 201)
            #expect(try await rule("10.0.0.0/8").errorCode == "ERR_NGROK_1408")
            let low = try await rule("10.1.2.3/16")
            #expect(low.errorCode == "ERR_NGROK_1409")
            #expect(low["msg"]?.stringValue?.contains("10.1.0.0/16") == true)
            #expect(try await rule("10.1.2.3").errorCode == "ERR_NGROK_1413")
            #expect(try await rule("banana").errorCode == "ERR_NGROK_1406")
            #expect(try await rule("2001:DB8::/32")["cidr"] == "2001:db8::/32")
            #expect(try await client.post("/ip_policy_rules", ["ip_policy_id": "ipp_1vckSz67sd2iZNRX03t8i8wihdB", "cidr": "1.1.1.1/32"]).errorCode == "ERR_NGROK_1402")
            #expect(try await client.post("/ip_policy_rules", ["cidr": "1.1.1.1/32"]).errorCode == "ERR_NGROK_1405")
            #expect(try await client.post("/ip_policies", [:]).errorCode == "ERR_NGROK_1405")
            #expect(try await client.post("/ip_policies", ["action": "maybe"]).errorCode == "ERR_NGROK_215")
            #expect(try await client.patch("/ip_policies/\(ipp)", ["action": "deny"]).errorCode == "ERR_NGROK_214")
        }
    }
}

/// References between objects.
@Suite struct ReferentialTests {
    @Test func attachmentsAndInUse() async throws {
        let ca = try TestPKI.makeCA()
        let leaf = try TestPKI.makeLeaf(["in-use.example.com"], signedBy: ca)
        try await withEmulator { client, _ in
            func id(_ reply: TestClient.Reply) throws -> String { try #require(reply["id"]?.stringValue, "\(reply.text)") }
            let http = try id(try await client.post("/endpoint_configurations", ["type": "http"]))
            let tcp = try id(try await client.post("/endpoint_configurations", ["type": "tcp"]))
            let caID = try id(try await client.post("/certificate_authorities", ["ca_pem": .string(ca.certificatePEM)]))
            let https = try id(try await client.post("/endpoint_configurations", ["type": "https", "mutual_tls": ["certificate_authority_ids": [.string(caID)]]]))
            let cert = try id(try await client.post("/tls_certificates", ["certificate_pem": .string(leaf.certificatePEM), "private_key_pem": .string(leaf.keyPEM)]))

            // Attachment type checks.
            #expect(try await client.post("/reserved_domains", ["name": "a1", "http_endpoint_configuration_id": .string(https)]).errorCode == "ERR_NGROK_428")
            #expect(try await client.post("/reserved_domains", ["name": "a2", "https_endpoint_configuration_id": .string(tcp)]).errorCode == "ERR_NGROK_428")
            #expect(try await client.post("/reserved_addrs", ["endpoint_configuration_id": .string(http)]).errorCode == "ERR_NGROK_507")
            #expect(try await client.post("/reserved_addrs", ["endpoint_configuration_id": "ec_1vckSz67sd2iZNRX03t8i8wihdB"]).errorCode == "ERR_NGROK_1600")
            #expect(try await client.post("/reserved_addrs", ["endpoint_configuration_id": "rd_1vckSz67sd2iZNRX03t8i8wihdB"]).errorCode == "ERR_NGROK_227")
            // Certificate rules.
            #expect(try await client.post("/reserved_domains", ["name": "c.example.com", "certificate_id": .string(cert), "certificate_management_policy": ["authority": "letsencrypt"]]).errorCode == "ERR_NGROK_434")
            #expect(try await client.post("/reserved_domains", ["name": "ngrokowned", "certificate_id": .string(cert)]).errorCode == "ERR_NGROK_440")
            #expect(try await client.post("/reserved_domains", ["name": "ngrokowned2", "certificate_management_policy": [:]]).errorCode == "ERR_NGROK_439")
            #expect(try await client.post("/reserved_domains", ["name": "x.example.com", "certificate_management_policy": ["authority": "zerossl"]]).errorCode == "ERR_NGROK_435")
            #expect(try await client.post("/reserved_domains", ["name": "a.*.example.com"]).errorCode == "ERR_NGROK_402")
            #expect(try await client.post("/reserved_domains", ["name": "x.ngrok.com"]).errorCode == "ERR_NGROK_404")
            #expect(try await client.post("/reserved_domains", ["name": "x", "region": "moon"]).errorCode == "ERR_NGROK_400")

            let domain = try id(try await client.post("/reserved_domains", [
                "name": "in-use.example.com", "http_endpoint_configuration_id": .string(http),
                "https_endpoint_configuration_id": .string(https), "certificate_id": .string(cert),
            ]))
            let addr = try id(try await client.post("/reserved_addrs", ["endpoint_configuration_id": .string(tcp)]))

            // In use: configurations, CA, certificate.
            let inUse = try await client.delete("/endpoint_configurations/\(http)")
            #expect(inUse.status == 400 && inUse.errorCode == "ERR_NGROK_1619")
            #expect(try await client.delete("/endpoint_configurations/\(tcp)").errorCode == "ERR_NGROK_1619")
            let caInUse = try await client.delete("/certificate_authorities/\(caID)")
            #expect(caInUse.status == 400 && caInUse["msg"]?.stringValue?.contains(https) == true)
            let certInUse = try await client.delete("/tls_certificates/\(cert)")
            #expect(certInUse.status == 400 && certInUse["msg"]?.stringValue?.contains(domain) == true)

            // Detach, then delete works.
            #expect(try await client.delete("/reserved_domains/\(domain)/http_endpoint_configuration").status == 204)
            #expect(try await client.delete("/endpoint_configurations/\(http)").status == 204)
            #expect(try await client.delete("/reserved_addrs/\(addr)/endpoint_configuration").status == 204)
            #expect(try await client.delete("/endpoint_configurations/\(tcp)").status == 204)
            #expect(try await client.delete("/reserved_domains/\(domain)/certificate").status == 204)
            #expect(try await client.delete("/tls_certificates/\(cert)").status == 204)
            #expect(try await client.delete("/endpoint_configurations/\(https)/mutual_tls").status == 204)
            #expect(try await client.delete("/certificate_authorities/\(caID)").status == 204)
        }
    }

    @Test func deletingAPolicyDeletesItsRules() async throws {
        try await withEmulator { client, _ in
            let ipp = try #require(try await client.post("/ip_policies", ["action": "allow"])["id"]?.stringValue)
            let other = try #require(try await client.post("/ip_policies", ["action": "deny"])["id"]?.stringValue)
            for cidr in ["1.0.0.0/8", "2.0.0.0/8", "3.0.0.0/8"] {
                #expect(try await client.post("/ip_policy_rules", ["ip_policy_id": .string(ipp), "cidr": .string(cidr)]).status == 201)
            }
            _ = try await client.post("/ip_policy_rules", ["ip_policy_id": .string(other), "cidr": "1.0.0.0/8"])
            let ec = try #require(try await client.post("/endpoint_configurations", ["type": "https", "ip_policy": ["ip_policy_ids": [.string(ipp)]]])["id"]?.stringValue)
            #expect(try await client.get("/ip_policy_rules")["ip_policy_rules"]?.arrayValue?.count == 4)
            #expect(try await client.delete("/ip_policies/\(ipp)").status == 204)
            let rules = try await client.get("/ip_policy_rules")["ip_policy_rules"]?.arrayValue ?? []
            #expect(rules.count == 1 && rules[0]["ip_policy"]?["id"]?.stringValue == other)
            // The configuration keeps its reference (the API treats the policy as having no rules).
            #expect(try await client.get("/endpoint_configurations/\(ec)")["ip_policy"]?["ip_policies"]?.arrayValue?.count == 1)
        }
    }
}
