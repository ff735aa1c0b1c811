import Foundation
import NgrokModel
import TestSupport
import Testing
import Validation
import X509

@Suite struct CertificateRulesTests {
    let pki = TestPKI.shared

    @Test func goodBundle() {
        let check = CertificateRules.validateBundle(pki.bundle)
        #expect(check.violations.isEmpty, "\(check.violations)")
        #expect(check.certificates.count == 2)
        // A bundle may also include the root.
        #expect(CertificateRules.validateBundle(pki.bundle + pki.rootPem).violations.isEmpty)
        // A leaf alone is fine.
        #expect(CertificateRules.validateBundle(pki.leafPem).violations.isEmpty)
    }

    @Test func wrongOrder() {
        let check = CertificateRules.validateBundle(pki.intermediatePem + pki.leafPem)
        let problem = check.violations.first { $0.apiErrorCode == 1926 }
        #expect(problem != nil)
        #expect(problem?.message.contains("did not sign") == true)
        let swapped = CertificateRules.validateBundle(pki.leafPem + pki.rootPem + pki.intermediatePem).violations
        #expect(swapped.contains { $0.apiErrorCode == 1926 && $0.hint.contains("certificate 3 signed certificate 1") })
        #expect(
            CertificateRules.validateBundle(pki.leafPem + pki.rootPem).violations.contains { $0.apiErrorCode == 1926 })
    }

    @Test func notPEM() {
        #expect(CertificateRules.validateBundle("hello").violations.map(\.apiErrorCode) == [1919])
        let truncated = String(pki.leafPem.prefix(100))
        #expect(CertificateRules.validateBundle(truncated).violations.map(\.apiErrorCode) == [1920])
        let garbage = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n"
        #expect(CertificateRules.validateBundle(garbage).violations.map(\.apiErrorCode) == [1900])
        let other = "-----BEGIN X509 CRL-----\naGVsbG8gd29ybGQ=\n-----END X509 CRL-----\n"
        #expect(CertificateRules.validateBundle(pki.leafPem + other).violations.map(\.apiErrorCode) == [1911])
    }

    @Test func pemHeadersRefused() {
        let withHeader = pki.leafPem.replacingOccurrences(
            of: "-----BEGIN CERTIFICATE-----\n", with: "-----BEGIN CERTIFICATE-----\nComment: hi\n\n")
        #expect(CertificateRules.validateBundle(withHeader).violations.map(\.apiErrorCode) == [1910])
    }

    @Test func keyInCertificateFieldIsNotQuoted() {
        let check = CertificateRules.validateBundle(pki.leafPem + pki.leafKey)
        #expect(check.violations.map(\.apiErrorCode) == [1925])
        assertNoKeyMaterial(check.violations, key: pki.leafKey)
    }

    @Test func expiry() {
        let leaf = CertificateRules.validateBundle(pki.leafPem).leaf!
        let soon = leaf.notValidAfter.addingTimeInterval(-10 * 86_400)
        let warnings = CertificateRules.validateBundle(pki.leafPem, now: soon).violations
        #expect(warnings.count == 1)
        #expect(warnings.first?.severity == .warning)
        #expect(warnings.first?.message.contains("expires") == true)
        let expired = CertificateRules.validateBundle(pki.leafPem, now: leaf.notValidAfter.addingTimeInterval(60))
            .violations
        #expect(expired.filter(\.isError).count == 1)
        #expect(expired.first?.message.contains("expired") == true)
        let early = CertificateRules.validateBundle(pki.leafPem, now: leaf.notValidBefore.addingTimeInterval(-86_400))
            .violations
        #expect(early.map(\.severity) == [.warning])
        let fine = CertificateRules.validateBundle(
            pki.leafPem, now: leaf.notValidAfter.addingTimeInterval(-31 * 86_400))
        #expect(fine.violations.isEmpty)
    }

    @Test func certificateAuthority() {
        #expect(CertificateRules.validateCertificateAuthority(pki.rootPem).violations.isEmpty)
        #expect(CertificateRules.validateCertificateAuthority(pki.intermediatePem).violations.isEmpty)
        let two = CertificateRules.validateCertificateAuthority(pki.rootPem + pki.intermediatePem)
        #expect(two.violations.map(\.apiErrorCode) == [1912])
        let leaf = CertificateRules.validateCertificateAuthority(pki.leafPem)
        #expect(leaf.violations.map(\.apiErrorCode) == [1913])
        #expect(CertificateRules.validateCertificateAuthority("nope").violations.map(\.apiErrorCode) == [1695])
        let rsaSelfSigned = CertificateRules.validateCertificateAuthority(pki.rsaPem)
        #expect(rsaSelfSigned.violations.isEmpty || rsaSelfSigned.violations.map(\.apiErrorCode) == [1913])
    }

    @Test(arguments: ["pkcs8", "sec1"])
    func ecKeyFormats(format: String) {
        let key = format == "pkcs8" ? pki.leafKey : pki.leafKeySEC1
        #expect(key.contains(format == "pkcs8" ? "BEGIN PRIVATE KEY" : "BEGIN EC PRIVATE KEY"))
        let check = CertificateRules.validateTLSCertificate(certificatePem: pki.bundle, privateKeyPem: key)
        #expect(check.violations.isEmpty, "\(check.violations)")
    }

    @Test func rsaPKCS1AndEd25519() {
        #expect(pki.rsaKeyPKCS1.contains("BEGIN RSA PRIVATE KEY"))
        let rsa = CertificateRules.validateTLSCertificate(certificatePem: pki.rsaPem, privateKeyPem: pki.rsaKeyPKCS1)
        #expect(!rsa.violations.hasErrors, "\(rsa.violations)")
        let ed = CertificateRules.validateTLSCertificate(certificatePem: pki.ed25519Pem, privateKeyPem: pki.ed25519Key)
        #expect(!ed.violations.hasErrors, "\(ed.violations)")
    }

    @Test func keyMismatch() {
        let check = CertificateRules.validateTLSCertificate(certificatePem: pki.bundle, privateKeyPem: pki.otherKey)
        #expect(check.violations.map(\.apiErrorCode) == [1923])
        #expect(check.violations.map(\.field) == ["privateKeyPem"])
        assertNoKeyMaterial(check.violations, key: pki.otherKey)
        // The intermediate's key is not the leaf's either.
        let rsaForEC = CertificateRules.validateTLSCertificate(
            certificatePem: pki.bundle, privateKeyPem: pki.rsaKeyPKCS1)
        #expect(rsaForEC.violations.map(\.apiErrorCode) == [1923])
    }

    @Test(arguments: ["pkcs8", "legacy"])
    func encryptedKeys(kind: String) {
        let key = kind == "pkcs8" ? pki.leafKeyEncrypted : pki.leafKeyLegacyEncrypted
        let check = CertificateRules.validateTLSCertificate(certificatePem: pki.bundle, privateKeyPem: key)
        #expect(check.violations.map(\.apiErrorCode) == [1902])
        #expect(check.violations.first?.message.contains("encrypted") == true)
        assertNoKeyMaterial(check.violations, key: key)
    }

    @Test func notAKey() {
        #expect(
            CertificateRules.validateTLSCertificate(certificatePem: pki.bundle, privateKeyPem: pki.leafPem).violations
                .map(\.apiErrorCode) == [1924])
        #expect(
            CertificateRules.validateTLSCertificate(certificatePem: pki.bundle, privateKeyPem: "secret-value-123")
                .violations.map(\.apiErrorCode) == [1901])
        let broken = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXZhbHVl\n-----END PRIVATE KEY-----\n"
        let check = CertificateRules.validateTLSCertificate(certificatePem: pki.bundle, privateKeyPem: broken)
        #expect(check.violations.map(\.apiErrorCode) == [1903])
        assertNoKeyMaterial(check.violations, key: broken)
        #expect(!check.violations.contains { $0.description.contains("secret-value") })
    }

    @Test func shortRSAKeys() {
        let cert = CertificateRules.validateBundle(pki.rsa1024Pem).violations
        #expect(cert.count == 1)
        #expect(cert.first?.message.contains("shorter than 2048 bits") == true)
        guard case .failure(let key) = CertificateRules.parsePrivateKey(pki.rsa1024Key) else {
            Issue.record("a 1024-bit key should be refused")
            return
        }
        #expect(key.message.contains("shorter than 2048 bits"))
        assertNoKeyMaterial([key], key: pki.rsa1024Key)
    }

    @Test func clientOnlyLeafWarns() {
        let check = CertificateRules.validateBundle(pki.clientLeafPem + pki.intermediatePem)
        #expect(check.violations.map(\.severity) == [.warning])
        #expect(check.violations.first?.message.contains("server") == true)
        #expect(CertificateRules.validateBundle(pki.bundle).violations.isEmpty)
    }

    @Test func certificateInfo() throws {
        let info = try CertificateInfo(pem: pki.bundle)
        #expect(info.subjectCommonName == "app.example.com")
        #expect(info.subjectOrganization == "Example Inc")
        #expect(info.subjectOrganizationalUnit == "Edge")
        #expect(info.subjectLocality == "San Francisco")
        #expect(info.subjectProvince == "California")
        #expect(info.subjectCountry == "US")
        #expect(info.dnsNames == ["app.example.com", "www.example.com"])
        #expect(info.ips == ["192.0.2.7", "2001:db8::1"])
        #expect(info.issuerCommonName == "Test Intermediate CA")
        #expect(info.privateKeyType == "ecdsa")
        #expect(info.keyUsages == ["digital_signature", "key_encipherment"])
        #expect(info.extendedKeyUsages == ["server_auth", "client_auth"])
        #expect(!info.isCertificateAuthority)
        #expect(info.serialNumber == info.serialNumber.lowercased())
        let allHex = info.serialNumber.allSatisfy { $0.isHexDigit }
        #expect(allHex)
        #expect(!info.serialNumber.isEmpty)
        let rfc3339 = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/#
        #expect(info.notBefore.wholeMatch(of: rfc3339) != nil, "\(info.notBefore)")
        #expect(info.notAfter.wholeMatch(of: rfc3339) != nil)
        #expect(info.notBefore < info.notAfter)

        let root = try CertificateInfo(pem: pki.rootPem)
        #expect(root.isCertificateAuthority)
        #expect(root.keyUsages == ["cert_sign", "crl_sign"])
        #expect(root.extendedKeyUsages == [])
        #expect(root.subjectOrganization == "Test Org")
        #expect(root.subjectCountry == "")
        #expect(root.dnsNames == [])
        #expect(try CertificateInfo(pem: pki.rsaPem).privateKeyType == "rsa")
        #expect(try CertificateInfo(pem: pki.ed25519Pem).privateKeyType == "ed25519")
        #expect(throws: RuleViolation.self) { try CertificateInfo(pem: "nope") }
    }

    @Test func serialMatchesOpenSSL() throws {
        let info = try CertificateInfo(pem: pki.leafPem)
        #expect(info.serialNumber.count % 2 == 0)
        #expect(info.serialNumber.count <= 40)
    }
}

/// No line of the key's base64 body appears in any message or hint.
func assertNoKeyMaterial(
    _ violations: [RuleViolation], key: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let lines = key.split(separator: "\n").filter { !$0.hasPrefix("-----") && $0.count > 8 }
    for violation in violations {
        for line in lines {
            #expect(!violation.description.contains(line), "key material leaked", sourceLocation: sourceLocation)
        }
    }
}
