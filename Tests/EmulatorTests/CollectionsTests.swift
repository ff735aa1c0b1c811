import Foundation
import TestSupport
import Testing
import X509
@testable import Emulator

/// CRUD of every collection over loopback HTTP, with the exact response keys.
@Suite struct CollectionsTests {
    static let head = ["id", "uri", "created_at", "description", "metadata"]

    func keys(_ json: JSON?) -> [String] { json?.objectValue?.keys ?? [] }

    /// Create → get → list → patch → delete → 404.
    func roundTrip(
        _ client: TestClient, _ collection: String, listKey: String, create: JSON, patch: JSON, keys expected: [String]
    ) async throws -> JSON {
        let created = try await client.post("/\(collection)", create)
        #expect(created.status == 201, "\(collection): \(created.text)")
        #expect(keys(created.json) == expected, "\(collection) create keys")
        let id = try #require(created["id"]?.stringValue)
        #expect(created["uri"]?.stringValue == "\(client.baseURL)/\(collection)/\(id)")
        let createdAt = try #require(created["created_at"]?.stringValue)
        #expect(createdAt.count == 20 && createdAt.hasSuffix("Z"))
        #expect(created.headers["ngrok-operation-id"]?.hasPrefix("op_") == true)
        #expect(created.headers["content-type"] == "application/json")

        let fetched = try await client.get("/\(collection)/\(id)")
        #expect(fetched.status == 200)
        #expect(keys(fetched.json) == expected)

        let listed = try await client.get("/\(collection)")
        #expect(listed.status == 200)
        #expect(keys(listed.json) == [listKey, "uri", "next_page_uri"])
        #expect(listed[listKey]?.arrayValue?.first?["id"]?.stringValue == id)
        #expect(listed["uri"]?.stringValue == "\(client.baseURL)/\(collection)")
        #expect(listed["next_page_uri"] == .null)

        let patched = try await client.patch("/\(collection)/\(id)", patch)
        #expect(patched.status == 200, "\(collection): \(patched.text)")
        for (key, value) in patch.objectValue! where !key.hasSuffix("_id") {
            #expect(patched[key] == value, "\(collection).\(key)")
        }
        #expect(patched["created_at"]?.stringValue == createdAt)

        let deleted = try await client.delete("/\(collection)/\(id)")
        #expect(deleted.status == 204)
        #expect(deleted.text.isEmpty)
        let gone = try await client.get("/\(collection)/\(id)")
        #expect(gone.status == 404)
        #expect(gone["msg"]?.stringValue == "Resource not found")
        #expect(gone["details"]?["operation_id"]?.stringValue?.hasPrefix("op_") == true)
        return patched.json
    }

    @Test func credentials() async throws {
        try await withEmulator { client, _ in
            let created = try await client.post("/credentials", [:])
            #expect(created.status == 201)
            let id = try #require(created["id"]?.stringValue)
            let token = try #require(created["token"]?.stringValue)
            #expect(token.hasPrefix(String(id.dropFirst(3)) + "_"))
            #expect(created["acl"] == [])
            #expect(created["description"] == "" && created["metadata"] == "")
            #expect(try await client.get("/credentials/\(id)")["token"] == .null)
            #expect(try await client.get("/credentials")["credentials"]?.arrayValue?.first?["token"] == .null)
            let patched = try await roundTrip(
                client, "credentials", listKey: "credentials",
                create: ["description": "dev", "metadata": "{\"a\":1}", "acl": ["bind:*.example.com", "bind:1.tcp.ngrok.io:20002"]],
                patch: ["acl": [], "description": "new"], keys: Self.head + ["token", "acl"])
            #expect(patched["token"] == .null)
            #expect(patched["metadata"] == "{\"a\":1}")
        }
    }

    @Test func ipPoliciesAndRules() async throws {
        try await withEmulator { client, _ in
            _ = try await roundTrip(
                client, "ip_policies", listKey: "ip_policies", create: ["action": "allow", "description": "office"],
                patch: ["description": "renamed", "metadata": "m"], keys: Self.head + ["action"])
            let policy = try await client.post("/ip_policies", ["action": "deny"])
            let policyID = try #require(policy["id"]?.stringValue)
            #expect(policy["action"] == "deny")
            let patched = try await roundTrip(
                client, "ip_policy_rules", listKey: "ip_policy_rules",
                create: ["cidr": "10.0.0.0/8", "ip_policy_id": .string(policyID)],
                patch: ["cidr": "2001:db8::/32", "description": "v6"], keys: Self.head + ["cidr", "ip_policy"])
            #expect(patched["ip_policy"] == ["id": .string(policyID), "uri": .string("\(client.baseURL)/ip_policies/\(policyID)")])
        }
    }

    @Test func ipWhitelist() async throws {
        try await withEmulator { client, _ in
            _ = try await roundTrip(
                client, "ip_whitelist", listKey: "whitelist", create: ["ip_net": "10.1.0.0/16"],
                patch: ["description": "proxies"], keys: Self.head + ["ip_net"])
            let bare = try await client.post("/ip_whitelist", ["ip_net": "78.3.12.121"])
            #expect(bare["ip_net"] == "78.3.12.121/32")
            let immutable = try await client.patch("/ip_whitelist/\(bare["id"]!.stringValue!)", ["ip_net": "1.1.1.1/32"])
            #expect(immutable.status == 400 && immutable.errorCode == "ERR_NGROK_214")
        }
    }

    @Test func certificateAuthorities() async throws {
        let ca = try TestPKI.makeCA("Emulator Test CA")
        try await withEmulator { client, _ in
            let pem = ca.certificatePEM.trimmingCharacters(in: .whitespacesAndNewlines)
            let created = try await client.post("/certificate_authorities", ["ca_pem": .string(pem)])
            #expect(created.status == 201, "\(created.text)")
            #expect(created["ca_pem"]?.stringValue == pem + "\n")
            #expect(created["subject_common_name"] == "Emulator Test CA")
            #expect(created["key_usages"] == ["cert_sign", "crl_sign"])
            #expect(created["extended_key_usages"] == [])
            #expect(created["not_before"]?.stringValue?.hasSuffix("Z") == true)
            _ = try await roundTrip(
                client, "certificate_authorities", listKey: "certificate_authorities", create: ["ca_pem": .string(pem)],
                patch: ["description": "mtls"],
                keys: Self.head + ["ca_pem", "subject_common_name", "not_before", "not_after", "key_usages", "extended_key_usages"])
            let leaf = try TestPKI.makeLeaf(["a.example.com"], signedBy: ca)
            let notCA = try await client.post("/certificate_authorities", ["ca_pem": .string(leaf.certificatePEM)])
            #expect(notCA.errorCode == "ERR_NGROK_1913")
            let two = try await client.post("/certificate_authorities", ["ca_pem": .string(ca.certificatePEM + "\n" + ca.certificatePEM)])
            #expect(two.errorCode == "ERR_NGROK_1912")
            let garbage = try await client.post("/certificate_authorities", ["ca_pem": "hello"])
            #expect(garbage.errorCode == "ERR_NGROK_1695")
        }
    }

    @Test func tlsCertificates() async throws {
        let ca = try TestPKI.makeCA()
        let leaf = try TestPKI.makeLeaf(["app.example.com", "www.example.com"], signedBy: ca)
        let other = try TestPKI.makeLeaf(["other.example.com"], signedBy: ca)
        try await withEmulator { client, _ in
            let body: JSON = [
                "certificate_pem": .string(leaf.certificatePEM + "\n" + ca.certificatePEM), "private_key_pem": .string(leaf.keyPEM),
            ]
            let created = try await client.post("/tls_certificates", body)
            #expect(created.status == 201, "\(created.text)")
            #expect(created["private_key_pem"] == nil)
            #expect(created["subject_common_name"] == "app.example.com")
            #expect(created["subject_alternative_names"] == ["dns_names": ["app.example.com", "www.example.com"], "ips": []])
            #expect(created["private_key_type"] == "ecdsa")
            #expect(created["issuer_common_name"] == "Test Root CA")
            #expect(created["subject_organization"] == "Example Org")
            #expect(created["subject_country"] == "")
            #expect(created["issued_at"] == .null)
            #expect(created["extended_key_usages"] == ["server_auth"])
            #expect(created["key_usages"] == ["digital_signature", "key_encipherment"])
            let serial = try #require(created["serial_number"]?.stringValue)
            #expect(serial == leaf.certificate.serialNumber.bytes.map { String(format: "%02x", $0) }.joined())
            _ = try await roundTrip(
                client, "tls_certificates", listKey: "tls_certificates", create: body, patch: ["metadata": "x"],
                keys: Self.head + [
                    "certificate_pem", "subject_common_name", "subject_alternative_names", "issued_at", "not_before",
                    "not_after", "key_usages", "extended_key_usages", "private_key_type", "issuer_common_name",
                    "serial_number", "subject_organization", "subject_organizational_unit", "subject_locality",
                    "subject_province", "subject_country",
                ])
            let mismatch = try await client.post(
                "/tls_certificates", ["certificate_pem": .string(leaf.certificatePEM), "private_key_pem": .string(other.keyPEM)])
            #expect(mismatch.errorCode == "ERR_NGROK_1923")
            let swapped = try await client.post(
                "/tls_certificates", ["certificate_pem": .string(leaf.keyPEM), "private_key_pem": .string(leaf.certificatePEM)])
            #expect(swapped.errorCode == "ERR_NGROK_1925")
            let order = try await client.post(
                "/tls_certificates",
                ["certificate_pem": .string(ca.certificatePEM + "\n" + leaf.certificatePEM), "private_key_pem": .string(leaf.keyPEM)])
            #expect(order.errorCode == "ERR_NGROK_1923" || order.errorCode == "ERR_NGROK_1926")
            let encrypted = try await client.post(
                "/tls_certificates",
                ["certificate_pem": .string(leaf.certificatePEM), "private_key_pem": "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"])
            #expect(encrypted.errorCode == "ERR_NGROK_1902")
        }
    }

    @Test func reservedAddrs() async throws {
        try await withEmulator { client, _ in
            let us = try await client.post("/reserved_addrs", ["description": "ssh", "region": ""])
            #expect(us.status == 201)
            #expect(us["region"] == "us")
            #expect(us["addr"]?.stringValue?.hasPrefix("1.tcp.ngrok.io:2") == true)
            #expect(us["endpoint_configuration"] == .null)
            let eu = try await client.post("/reserved_addrs", ["region": "eu"])
            #expect(eu["addr"]?.stringValue?.hasPrefix("1.tcp.eu.ngrok.io:2") == true)
            let second = try await client.post("/reserved_addrs", [:])
            #expect(second["addr"] != us["addr"])
            let bad = try await client.post("/reserved_addrs", ["region": "mars"])
            #expect(bad.errorCode == "ERR_NGROK_500")
            let ec = try await client.post("/endpoint_configurations", ["type": "tcp"])
            let ecID = try #require(ec["id"]?.stringValue)
            let patched = try await roundTrip(
                client, "reserved_addrs", listKey: "reserved_addrs", create: ["region": "ap"],
                patch: ["endpoint_configuration_id": .string(ecID), "description": "d"],
                keys: Self.head + ["addr", "region", "endpoint_configuration"])
            #expect(patched["endpoint_configuration"]?["id"]?.stringValue == ecID)
            #expect(patched["endpoint_configuration"]?["uri"]?.stringValue == "\(client.baseURL)/endpoint_configurations/\(ecID)")
            // Detach.
            let addrID = try #require(us["id"]?.stringValue)
            #expect(try await client.patch("/reserved_addrs/\(addrID)", ["endpoint_configuration_id": .string(ecID)]).status == 200)
            #expect(try await client.delete("/reserved_addrs/\(addrID)/endpoint_configuration").status == 204)
            #expect(try await client.get("/reserved_addrs/\(addrID)")["endpoint_configuration"] == .null)
        }
    }

    @Test func reservedDomains() async throws {
        let ca = try TestPKI.makeCA()
        let leaf = try TestPKI.makeLeaf(["app.example.com"], signedBy: ca)
        try await withEmulator { client, _ in
            let label = try await client.post("/reserved_domains", ["name": "myapp", "region": "us"])
            #expect(label.status == 201, "\(label.text)")
            #expect(label["domain"] == "myapp.ngrok.io")
            #expect(label["name"] == nil)
            #expect(label["cname_target"] == .null)
            #expect(label["acme_challenge_cname_target"] == .null)
            let custom = try await client.post("/reserved_domains", ["name": "App.Example.com"])
            #expect(custom["domain"] == "app.example.com")
            #expect(custom["cname_target"]?.stringValue?.hasSuffix(".cname.us.ngrok.io") == true)
            #expect(custom["acme_challenge_cname_target"] == .null)
            let wildcard = try await client.post("/reserved_domains", ["name": "*.example.org", "region": "eu"])
            #expect(wildcard["acme_challenge_cname_target"]?.stringValue != nil)
            #expect(wildcard["region"] == "eu")
            let duplicate = try await client.post("/reserved_domains", ["name": "myapp.ngrok.io"])
            #expect(duplicate.errorCode == "ERR_NGROK_413")
            let http = try await client.post("/endpoint_configurations", ["type": "http"])
            let https = try await client.post("/endpoint_configurations", ["type": "https"])
            let cert = try await client.post(
                "/tls_certificates", ["certificate_pem": .string(leaf.certificatePEM), "private_key_pem": .string(leaf.keyPEM)])
            let certID = try #require(cert["id"]?.stringValue)
            let patched = try await roundTrip(
                client, "reserved_domains", listKey: "reserved_domains",
                create: ["name": "api.example.net", "certificate_id": .string(certID)],
                patch: [
                    "http_endpoint_configuration_id": http["id"]!, "https_endpoint_configuration_id": https["id"]!,
                    "description": "api",
                ],
                keys: Self.head + [
                    "domain", "region", "cname_target", "http_endpoint_configuration", "https_endpoint_configuration",
                    "certificate", "certificate_management_policy", "certificate_management_status",
                    "acme_challenge_cname_target",
                ])
            #expect(patched["certificate"]?["id"]?.stringValue == certID)
            #expect(patched["http_endpoint_configuration"]?["id"] == http["id"])
            #expect(patched["https_endpoint_configuration"]?["id"] == https["id"])

            // Certificate management policy replaces the uploaded certificate; detach paths.
            let customID = try #require(custom["id"]?.stringValue)
            var d = try await client.patch("/reserved_domains/\(customID)", ["certificate_id": .string(certID)])
            #expect(d["certificate"]?["id"]?.stringValue == certID)
            d = try await client.patch("/reserved_domains/\(customID)", ["certificate_management_policy": ["authority": "letsencrypt"]])
            #expect(d["certificate"] == .null)
            #expect(d["certificate_management_policy"] == ["authority": "letsencrypt", "private_key_type": "rsa"])
            #expect(d["certificate_management_status"]?["provisioning_job"]?["msg"] == "Managed certificate provisioning in progress.")
            #expect(try await client.delete("/reserved_domains/\(customID)/certificate").errorCode == "ERR_NGROK_436")
            #expect(try await client.delete("/reserved_domains/\(customID)/certificate_management_policy").status == 204)
            d = try await client.get("/reserved_domains/\(customID)")
            #expect(d["certificate_management_policy"] == .null && d["certificate_management_status"] == .null)
            d = try await client.patch("/reserved_domains/\(customID)", ["certificate_id": .string(certID)])
            #expect(try await client.delete("/reserved_domains/\(customID)/certificate").status == 204)
            #expect(try await client.get("/reserved_domains/\(customID)")["certificate"] == .null)
            _ = try await client.patch(
                "/reserved_domains/\(customID)",
                ["http_endpoint_configuration_id": http["id"]!, "https_endpoint_configuration_id": https["id"]!])
            #expect(try await client.delete("/reserved_domains/\(customID)/http_endpoint_configuration").status == 204)
            #expect(try await client.delete("/reserved_domains/\(customID)/https_endpoint_configuration").status == 204)
            d = try await client.get("/reserved_domains/\(customID)")
            #expect(d["http_endpoint_configuration"] == .null && d["https_endpoint_configuration"] == .null)
        }
    }
}
