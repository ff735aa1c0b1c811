import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates made on the fly for the tests.
enum TestPKI {
    struct Issued {
        var certificatePEM: String
        var keyPEM: String
        var certificate: Certificate
        var key: P256.Signing.PrivateKey
    }

    static func name(_ cn: String, org: String? = nil) throws -> DistinguishedName {
        try DistinguishedName {
            if let org { OrganizationName(org) }
            CommonName(cn)
        }
    }

    /// A self-signed CA.
    static func makeCA(_ cn: String = "Test Root CA") throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let subject = try name(cn, org: "ngrokctl tests")
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400 * 365),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                KeyUsage(keyCertSign: true, cRLSign: true)
            },
            issuerPrivateKey: .init(key))
        return Issued(
            certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation,
            certificate: certificate, key: key)
    }

    /// A leaf for `dnsNames`, signed by `ca`.
    static func makeLeaf(_ dnsNames: [String], signedBy ca: Issued) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400 * 90),
            issuer: ca.certificate.subject, subject: try name(dnsNames[0], org: "Example Org"),
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                KeyUsage(digitalSignature: true, keyEncipherment: true)
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(dnsNames.map { GeneralName.dnsName($0) })
            },
            issuerPrivateKey: .init(ca.key))
        return Issued(
            certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation,
            certificate: certificate, key: key)
    }
}
