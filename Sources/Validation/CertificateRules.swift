import Foundation
import SwiftASN1
import X509

/// Certificate and key rules for `TLSCertificate` and `CertificateAuthority` uploads
/// (ERR_NGROK_1900–1926). Messages never contain key material.
public enum CertificateRules {
    /// Expiring within this many days → warning.
    public static let expiryWarningDays = 30

    /// What a bundle check found: the parsed certificates (leaf first) and the violations.
    public struct BundleCheck: Sendable {
        public var certificates: [Certificate]
        public var violations: [RuleViolation]
        public var leaf: Certificate? { certificates.first }
        public var hasErrors: Bool { violations.hasErrors }
    }

    /// Parses every CERTIFICATE block (no other block types, no PEM headers).
    public static func parseCertificates(_ pem: String) -> Result<[Certificate], RuleViolation> {
        let blocks: [PEMBlock]
        switch PEM.blocks(in: pem) {
        case .failure(let problem): return .failure(problem)
        case .success(let found): blocks = found
        }
        if let key = blocks.first(where: \.isPrivateKey) {
            _ = key
            return .failure(
                .error(
                    "the certificate PEM contains a private key",
                    hint: "put only certificates here; the key goes in privateKeyPem (and never in git)", code: 1925))
        }
        guard !blocks.isEmpty else {
            return .failure(
                .error("no PEM certificate found", hint: "expected -----BEGIN CERTIFICATE----- blocks", code: 1919))
        }
        var certificates: [Certificate] = []
        for (i, block) in blocks.enumerated() {
            let ordinal = "certificate \(i + 1)"
            guard block.label == "CERTIFICATE" else {
                return .failure(
                    .error("PEM block \(i + 1) is '\(block.label)', not CERTIFICATE", hint: "remove it", code: 1911))
            }
            guard block.headers.isEmpty else {
                return .failure(.error("\(ordinal) has PEM headers, which are not allowed", hint: "remove the header lines", code: 1910))
            }
            do {
                certificates.append(try Certificate(derEncoded: block.der))
            } catch {
                return .failure(.error("\(ordinal) is not a valid X.509 certificate", code: 1900))
            }
        }
        return .success(certificates)
    }

    /// A TLS certificate bundle: leaf first, each further certificate signs the one before it,
    /// none expired (expiring soon → warning).
    public static func validateBundle(_ pem: String, now: Date = Date()) -> BundleCheck {
        let certificates: [Certificate]
        switch parseCertificates(pem) {
        case .failure(let problem): return BundleCheck(certificates: [], violations: [problem])
        case .success(let found): certificates = found
        }
        var out: [RuleViolation] = []
        for i in certificates.indices.dropFirst() {
            let child = certificates[i - 1]
            let parent = certificates[i]
            if parent.publicKey.isValidSignature(child.signature, for: child) { continue }
            var hint = "order the bundle leaf first, then the intermediate that signed it, and so on"
            if let signer = certificates.indices.first(where: {
                $0 != i - 1 && certificates[$0].publicKey.isValidSignature(child.signature, for: child)
            }) {
                hint = "certificate \(signer + 1) signed certificate \(i) (\(name(of: child))): " + hint
            }
            out.append(
                .error(
                    "certificate \(i + 1) (\(name(of: parent))) did not sign certificate \(i) (\(name(of: child)))",
                    hint: hint, code: 1926))
        }
        if let leaf = certificates.first, isCertificateAuthority(leaf), certificates.count == 1 {
            out.append(
                .warning(
                    "the certificate (\(name(of: leaf))) is a CA certificate, not a server certificate",
                    hint: "upload the leaf certificate issued for your domain"))
        }
        for (i, certificate) in certificates.enumerated() {
            let label = certificates.count == 1 ? "the certificate" : "certificate \(i + 1)"
            out += validity(of: certificate, label: label, now: now)
        }
        return BundleCheck(certificates: certificates, violations: out)
    }

    /// A certificate authority upload: exactly one certificate with the CA basic constraint.
    public static func validateCertificateAuthority(_ pem: String, now: Date = Date()) -> BundleCheck {
        let certificates: [Certificate]
        switch parseCertificates(pem) {
        case .failure(let problem):
            var problem = problem
            if problem.apiErrorCode == 1900 || problem.apiErrorCode == 1919 { problem.apiErrorCode = 1695 }
            return BundleCheck(certificates: [], violations: [problem])
        case .success(let found): certificates = found
        }
        var out: [RuleViolation] = []
        if certificates.count != 1 {
            out.append(
                .error(
                    "a certificate authority upload must contain exactly one certificate (found \(certificates.count))",
                    hint: "create one CertificateAuthority per CA certificate", code: 1912))
        }
        if let ca = certificates.first {
            if !isCertificateAuthority(ca) {
                out.append(
                    .error(
                        "the certificate (\(name(of: ca))) lacks the CA basic constraint",
                        hint: "upload the CA certificate that issues your client certificates (basicConstraints CA:TRUE)",
                        code: 1913))
            }
            out += validity(of: ca, label: "the CA certificate", now: now)
        }
        return BundleCheck(certificates: certificates, violations: out)
    }

    /// Parses an unencrypted PKCS#1, PKCS#8 or SEC 1 private key.
    public static func parsePrivateKey(_ pem: String) -> Result<Certificate.PrivateKey, RuleViolation> {
        let formats = "expected an unencrypted PKCS#1 (RSA PRIVATE KEY), PKCS#8 (PRIVATE KEY) or SEC 1 (EC PRIVATE KEY) key"
        let blocks: [PEMBlock]
        switch PEM.blocks(in: pem) {
        case .failure: return .failure(.error("the private key is not valid PEM", hint: formats, code: 1903))
        case .success(let found): blocks = found.filter { $0.label != "EC PARAMETERS" }
        }
        if let encrypted = blocks.first(where: \.isEncryptedKey) {
            _ = encrypted
            return .failure(
                .error(
                    "the private key is encrypted",
                    hint: "ngrok needs the key unencrypted: decrypt it (openssl pkey -in key.pem -out plain.pem) and keep it out of git",
                    code: 1902))
        }
        let keys = blocks.filter(\.isPrivateKey)
        if keys.isEmpty {
            if blocks.contains(where: { $0.label == "CERTIFICATE" }) {
                return .failure(
                    .error(
                        "the private key field holds a certificate", hint: "put the certificate in certificatePem and the key here",
                        code: 1924))
            }
            if blocks.contains(where: { $0.label.hasSuffix("PUBLIC KEY") }) {
                return .failure(.error("the private key field holds a public key", hint: formats, code: 1901))
            }
            return .failure(.error("no private key found", hint: formats, code: 1901))
        }
        guard keys.count == 1 else {
            return .failure(.error("found \(keys.count) private keys; expected one", code: 1903))
        }
        let block = keys[0]
        guard ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"].contains(block.label) else {
            return .failure(.error("the private key format '\(block.label)' is not supported", hint: formats, code: 1903))
        }
        do {
            return .success(try Certificate.PrivateKey(pemDocument: PEMDocument(type: block.label, derBytes: block.der)))
        } catch {
            return .failure(.error("the \(block.label) block could not be parsed as a private key", hint: formats, code: 1903))
        }
    }

    /// The key must be the leaf's (ERR_NGROK_1923).
    public static func validateKeyMatches(_ key: Certificate.PrivateKey, leaf: Certificate) -> RuleViolation? {
        guard key.publicKey != leaf.publicKey else { return nil }
        return .error(
            "the private key does not match the certificate (\(name(of: leaf)))",
            hint: "use the key the certificate was issued for, and put the leaf certificate first", code: 1923)
    }

    /// A TLS certificate upload: bundle rules, then (when a key is given) the key's format and
    /// that it matches the leaf. Violations about the key have field `privateKeyPem`.
    public static func validateTLSCertificate(certificatePem: String, privateKeyPem: String?, now: Date = Date())
        -> BundleCheck
    {
        var check = validateBundle(certificatePem, now: now)
        check.violations = check.violations.map { $0.withField("certificatePem") }
        guard let privateKeyPem else { return check }
        switch parsePrivateKey(privateKeyPem) {
        case .failure(let problem): check.violations.append(problem.withField("privateKeyPem"))
        case .success(let key):
            if let leaf = check.leaf, let problem = validateKeyMatches(key, leaf: leaf) {
                check.violations.append(problem.withField("privateKeyPem"))
            }
        }
        return check
    }

    /// Expired → error; not yet valid or expiring within 30 days → warning.
    public static func validity(of certificate: Certificate, label: String, now: Date) -> [RuleViolation] {
        let notAfter = CertificateInfo.rfc3339(certificate.notValidAfter)
        if certificate.notValidAfter <= now {
            return [
                .error("\(label) (\(name(of: certificate))) expired on \(notAfter)", hint: "renew it", code: 1900)
            ]
        }
        var out: [RuleViolation] = []
        let days = certificate.notValidAfter.timeIntervalSince(now) / 86_400
        if days < Double(expiryWarningDays) {
            out.append(
                .warning(
                    "\(label) (\(name(of: certificate))) expires on \(notAfter), in \(Int(days)) day\(Int(days) == 1 ? "" : "s")",
                    hint: "renew it soon"))
        }
        if certificate.notValidBefore > now {
            out.append(
                .warning(
                    "\(label) (\(name(of: certificate))) is not valid before \(CertificateInfo.rfc3339(certificate.notValidBefore))"))
        }
        return out
    }

    public static func isCertificateAuthority(_ certificate: Certificate) -> Bool {
        if case .isCertificateAuthority = try? certificate.extensions.basicConstraints { return true }
        return false
    }

    /// `CN=…` of the subject, or the whole subject when it has no common name.
    static func name(of certificate: Certificate) -> String {
        let cn = CertificateInfo.attribute(.RDNAttributeType.commonName, in: certificate.subject)
        return cn.isEmpty ? "subject \(certificate.subject)" : "CN=\(cn)"
    }
}
