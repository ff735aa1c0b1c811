import Crypto
import Foundation
import SwiftASN1
import X509

/// The fields the API computes from an uploaded certificate (`tls_certificates`,
/// `certificate_authorities`).
///
/// Names used for `keyUsages` (RFC 5280 bits, in bit order): `digital_signature`,
/// `content_commitment`, `key_encipherment`, `data_encipherment`, `key_agreement`,
/// `cert_sign`, `crl_sign`, `encipher_only`, `decipher_only`.
/// Names used for `extendedKeyUsages`: `any`, `server_auth`, `client_auth`, `code_signing`,
/// `email_protection`, `time_stamping`, `ocsp_signing`, `certificate_transparency`; an
/// unknown purpose is its dotted OID.
/// Subject fields hold the first value of their attribute, `""` when absent.
public struct CertificateInfo: Sendable, Hashable, Codable {
    public var subjectCommonName: String
    public var subjectOrganization: String
    public var subjectOrganizationalUnit: String
    public var subjectLocality: String
    public var subjectProvince: String
    public var subjectCountry: String
    /// SAN DNS names, in certificate order.
    public var dnsNames: [String]
    /// SAN IP addresses, canonical text.
    public var ips: [String]
    /// RFC 3339, UTC, second precision (`2021-04-21T23:36:55Z`).
    public var notBefore: String
    public var notAfter: String
    /// Lower-case hex of the serial's bytes (no sign byte).
    public var serialNumber: String
    /// `rsa`, `ecdsa` or `ed25519`.
    public var privateKeyType: String
    public var issuerCommonName: String
    public var keyUsages: [String]
    public var extendedKeyUsages: [String]
    public var isCertificateAuthority: Bool

    public init(_ certificate: Certificate) {
        let subject = certificate.subject
        subjectCommonName = Self.attribute(.RDNAttributeType.commonName, in: subject)
        subjectOrganization = Self.attribute(.RDNAttributeType.organizationName, in: subject)
        subjectOrganizationalUnit = Self.attribute(.RDNAttributeType.organizationalUnitName, in: subject)
        subjectLocality = Self.attribute(.RDNAttributeType.localityName, in: subject)
        subjectProvince = Self.attribute(.RDNAttributeType.stateOrProvinceName, in: subject)
        subjectCountry = Self.attribute(.RDNAttributeType.countryName, in: subject)
        issuerCommonName = Self.attribute(.RDNAttributeType.commonName, in: certificate.issuer)
        var dns: [String] = []
        var ips: [String] = []
        if let names = try? certificate.extensions.subjectAlternativeNames {
            for name in names {
                switch name {
                case .dnsName(let value): dns.append(value)
                case .ipAddress(let octets):
                    let bytes = Array(octets.bytes)
                    ips.append(IPAddress(bytes: bytes)?.description ?? bytes.map { String($0) }.joined(separator: "."))
                default: break
                }
            }
        }
        self.dnsNames = dns
        self.ips = ips
        notBefore = Self.rfc3339(certificate.notValidBefore)
        notAfter = Self.rfc3339(certificate.notValidAfter)
        var serial = Array(certificate.serialNumber.bytes)
        while serial.count > 1 && serial[0] == 0 { serial.removeFirst() }
        serialNumber = serial.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
        privateKeyType = Self.keyType(of: certificate.publicKey)
        var usages: [String] = []
        if let usage = try? certificate.extensions.keyUsage {
            let bits: [(Bool, String)] = [
                (usage.digitalSignature, "digital_signature"), (usage.nonRepudiation, "content_commitment"),
                (usage.keyEncipherment, "key_encipherment"), (usage.dataEncipherment, "data_encipherment"),
                (usage.keyAgreement, "key_agreement"), (usage.keyCertSign, "cert_sign"), (usage.cRLSign, "crl_sign"),
                (usage.encipherOnly, "encipher_only"), (usage.decipherOnly, "decipher_only"),
            ]
            usages = bits.filter(\.0).map(\.1)
        }
        keyUsages = usages
        var extended: [String] = []
        if let eku = try? certificate.extensions.extendedKeyUsage {
            for purpose in eku {
                switch purpose {
                case .any: extended.append("any")
                case .serverAuth: extended.append("server_auth")
                case .clientAuth: extended.append("client_auth")
                case .codeSigning: extended.append("code_signing")
                case .emailProtection: extended.append("email_protection")
                case .timeStamping: extended.append("time_stamping")
                case .ocspSigning: extended.append("ocsp_signing")
                case .certificateTransparency: extended.append("certificate_transparency")
                default: extended.append(String(describing: purpose))
                }
            }
        }
        extendedKeyUsages = extended
        isCertificateAuthority = CertificateRules.isCertificateAuthority(certificate)
    }

    /// The info of the first certificate in `pem`.
    public init(pem: String) throws(RuleViolation) {
        switch CertificateRules.parseCertificates(pem) {
        case .failure(let problem): throw problem
        case .success(let certificates): self.init(certificates[0])
        }
    }

    /// `rsa`, `ecdsa`, `ed25519`.
    public static func keyType(of key: Certificate.PublicKey) -> String {
        if P256.Signing.PublicKey(key) != nil || P384.Signing.PublicKey(key) != nil || P521.Signing.PublicKey(key) != nil {
            return "ecdsa"
        }
        if Curve25519.Signing.PublicKey(key) != nil { return "ed25519" }
        return String(describing: key).hasPrefix("RSA") ? "rsa" : String(describing: key).lowercased()
    }

    /// RFC 3339 in UTC with a `Z` and whole seconds.
    public static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    static func attribute(_ type: ASN1ObjectIdentifier, in name: DistinguishedName) -> String {
        for rdn in name {
            for attribute in rdn where attribute.type == type {
                return String(attribute.value) ?? String(describing: attribute.value)
            }
        }
        return ""
    }
}
