import Foundation
import SwiftASN1
import X509

/// Reads uploaded PEMs the way the API does and extracts the fields it computes.
enum CertificateParsing {
    struct PEMBlock {
        var type: String
        var text: String
        var hasHeaders: Bool
    }

    /// The PEM blocks of a text, in order.
    static func blocks(_ text: String) -> [PEMBlock] {
        var result: [PEMBlock] = []
        var current: (type: String, lines: [String], headers: Bool)?
        let separated = text.replacingOccurrences(of: "----------BEGIN ", with: "-----\n-----BEGIN ")
        for rawLine in separated.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                let type = String(line.dropFirst(11).dropLast(5))
                current = (type, [line], false)
            } else if line.hasPrefix("-----END "), line.hasSuffix("-----"), let open = current {
                result.append(
                    PEMBlock(type: open.type, text: (open.lines + [line]).joined(separator: "\n"), hasHeaders: open.headers))
                current = nil
            } else if current != nil {
                if line.contains(":") { current!.headers = true }
                current!.lines.append(line)
            }
        }
        return result
    }

    /// The fields the API computes from a certificate.
    struct Info {
        var subjectCommonName = ""
        var subjectOrganization = ""
        var subjectOrganizationalUnit = ""
        var subjectLocality = ""
        var subjectProvince = ""
        var subjectCountry = ""
        var issuerCommonName = ""
        var notBefore = ""
        var notAfter = ""
        var serialNumber = ""
        var keyUsages: [String] = []
        var extendedKeyUsages: [String] = []
        var dnsNames: [String] = []
        var ips: [String] = []
        var isCA = false
    }

    static func attribute(_ name: DistinguishedName, _ oid: ASN1ObjectIdentifier) -> String {
        for rdn in name {
            for attribute in rdn where attribute.type == oid {
                if let value = String(attribute.value) { return value }
            }
        }
        return ""
    }

    static func info(_ certificate: Certificate) -> Info {
        var info = Info()
        typealias OID = ASN1ObjectIdentifier.RDNAttributeType
        info.subjectCommonName = attribute(certificate.subject, OID.commonName)
        info.subjectOrganization = attribute(certificate.subject, OID.organizationName)
        info.subjectOrganizationalUnit = attribute(certificate.subject, OID.organizationalUnitName)
        info.subjectLocality = attribute(certificate.subject, OID.localityName)
        info.subjectProvince = attribute(certificate.subject, OID.stateOrProvinceName)
        info.subjectCountry = attribute(certificate.subject, OID.countryName)
        info.issuerCommonName = attribute(certificate.issuer, OID.commonName)
        info.notBefore = APIContext.rfc3339(certificate.notValidBefore)
        info.notAfter = APIContext.rfc3339(certificate.notValidAfter)
        info.serialNumber = certificate.serialNumber.bytes.map { String(format: "%02x", $0) }.joined()
        if let usage = try? certificate.extensions.keyUsage {
            let names: [(Bool, String)] = [
                (usage.digitalSignature, "digital_signature"), (usage.nonRepudiation, "content_commitment"),
                (usage.keyEncipherment, "key_encipherment"), (usage.dataEncipherment, "data_encipherment"),
                (usage.keyAgreement, "key_agreement"), (usage.keyCertSign, "cert_sign"), (usage.cRLSign, "crl_sign"),
                (usage.encipherOnly, "encipher_only"), (usage.decipherOnly, "decipher_only"),
            ]
            info.keyUsages = names.filter(\.0).map(\.1)
        }
        if let eku = try? certificate.extensions.extendedKeyUsage {
            let names: [(ExtendedKeyUsage.Usage, String)] = [
                (.serverAuth, "server_auth"), (.clientAuth, "client_auth"), (.codeSigning, "code_signing"),
                (.emailProtection, "email_protection"), (.timeStamping, "time_stamping"),
                (.ocspSigning, "ocsp_signing"), (.any, "any"),
            ]
            info.extendedKeyUsages = names.filter { eku.contains($0.0) }.map(\.1)
        }
        if let sans = try? certificate.extensions.subjectAlternativeNames {
            for name in sans {
                switch name {
                case .dnsName(let dns): info.dnsNames.append(dns)
                case .ipAddress(let octets):
                    let bytes = Array(octets.bytes)
                    if bytes.count == 4 || bytes.count == 16 { info.ips.append(ProductRules.formatAddress(bytes)) }
                default: break
                }
            }
        }
        if case .isCertificateAuthority = try? certificate.extensions.basicConstraints {
            info.isCA = true
        }
        return info
    }

    /// The private key type name the API reports.
    static func keyType(_ key: Certificate.PrivateKey) -> String {
        let description = String(describing: key.publicKey).lowercased()
        if description.contains("rsa") { return "rsa" }
        if description.contains("ed25519") || description.contains("curve25519") { return "ed25519" }
        return "ecdsa"
    }

    /// A PEM text with exactly one trailing newline.
    static func normalized(_ pem: String) -> String {
        var text = pem
        while text.hasSuffix("\n\n") { text.removeLast() }
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }
}
