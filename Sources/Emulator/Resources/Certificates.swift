import Foundation
import SwiftASN1
import X509

/// `/certificate_authorities` (`ca_`): one CA certificate for mutual TLS; `ca_pem` is immutable.
/// Deleting a CA still used by an endpoint configuration's mutual_tls module is refused.
struct CertificateAuthorities: Resource {
    let collection = "certificate_authorities"
    let prefix = "ca"
    let listKey = "certificate_authorities"
    let createFields = ["description", "metadata", "ca_pem"]
    let updateFields = ["description", "metadata"]
    let lengthCodes = (description: 1916, metadata: 1917)

    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    {
        guard let pem = try body.string("ca_pem"), !pem.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest(1919, "Missing required parameter 'ca_pem'.")
        }
        let blocks = CertificateParsing.blocks(pem)
        guard !blocks.isEmpty else {
            throw APIError.badRequest(1920, "The 'ca_pem' could not be parsed: no PEM block found.")
        }
        if let block = blocks.first(where: { $0.type != "CERTIFICATE" }) {
            throw APIError.badRequest(1911, "PEM blocks must have the type CERTIFICATE, found '\(block.type)'.")
        }
        if blocks.contains(where: \.hasHeaders) {
            throw APIError.badRequest(1910, "PEM headers are not allowed.")
        }
        guard blocks.count == 1 else {
            throw APIError.badRequest(
                1912, "A certificate authority upload must contain exactly one certificate, found \(blocks.count).")
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: blocks[0].text)
        } catch {
            throw APIError.badRequest(1900, "The certificate in 'ca_pem' could not be parsed.")
        }
        let info = CertificateParsing.info(certificate)
        guard info.isCA else {
            throw APIError.badRequest(1913, "The uploaded certificate is not a certificate authority (no CA basic constraint).")
        }
        object["ca_pem"] = .string(CertificateParsing.normalized(pem))
        object["subject_common_name"] = .string(info.subjectCommonName)
        object["not_before"] = .string(info.notBefore)
        object["not_after"] = .string(info.notAfter)
        object["key_usages"] = .strings(info.keyUsages)
        object["extended_key_usages"] = .strings(info.extendedKeyUsages)
        return JSONObject()
    }

    func render(_ object: StoredObject, _ ctx: APIContext, extras: JSONObject) -> JSON {
        var out = head(object, ctx)
        for key in ["ca_pem", "subject_common_name", "not_before", "not_after"] { out[key] = object[key] ?? "" }
        out["key_usages"] = object["key_usages"] ?? []
        out["extended_key_usages"] = object["extended_key_usages"] ?? []
        return .object(out)
    }

    func willDelete(_ object: StoredObject, _ tx: StoreTransaction) throws {
        for ec in try tx.all("endpoint_configurations") {
            let ids = ec["mutual_tls"]?["certificate_authority_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if ids.contains(object.id) {
                throw APIError.badRequest(
                    nil,
                    "The certificate authority could not be deleted because it is still referenced by the mutual_tls module of endpoint configuration \(ec.id)."
                )
            }
        }
    }
}

/// `/tls_certificates` (`cert_`): an uploaded bundle and its key. `private_key_pem` is never returned.
/// Deleting a certificate still attached to a reserved domain is refused.
struct TLSCertificates: Resource {
    let collection = "tls_certificates"
    let prefix = "cert"
    let listKey = "tls_certificates"
    let createFields = ["description", "metadata", "certificate_pem", "private_key_pem"]
    let updateFields = ["description", "metadata"]
    let lengthCodes = (description: 1914, metadata: 1915)

    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    {
        guard let pem = try body.string("certificate_pem"), !pem.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            throw APIError.badRequest(1919, "Missing required parameter 'certificate_pem'.")
        }
        guard let keyPEM = try body.string("private_key_pem"),
            !keyPEM.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            throw APIError.badRequest(1901, "Missing required parameter 'private_key_pem'.")
        }
        let blocks = CertificateParsing.blocks(pem)
        guard !blocks.isEmpty else {
            throw APIError.badRequest(1920, "The 'certificate_pem' could not be parsed: no PEM block found.")
        }
        if blocks.contains(where: { $0.type.contains("PRIVATE KEY") }) {
            throw APIError.badRequest(1925, "The 'certificate_pem' contains a private key; did you swap the certificate and the key?")
        }
        if let block = blocks.first(where: { $0.type != "CERTIFICATE" }) {
            throw APIError.badRequest(1911, "PEM blocks must have the type CERTIFICATE, found '\(block.type)'.")
        }
        if blocks.contains(where: \.hasHeaders) {
            throw APIError.badRequest(1910, "PEM headers are not allowed.")
        }
        var chain: [Certificate] = []
        for (index, block) in blocks.enumerated() {
            do {
                chain.append(try Certificate(pemEncoded: block.text))
            } catch {
                throw APIError.badRequest(1900, "Certificate \(index + 1) in 'certificate_pem' could not be parsed.")
            }
        }
        for index in chain.indices.dropFirst() where chain[index - 1].issuer != chain[index].subject {
            throw APIError.badRequest(
                1926,
                "The certificate chain is out of order: certificate \(index + 1) did not issue certificate \(index). Put the leaf first, then each intermediate after the certificate it signed."
            )
        }
        let keyBlocks = CertificateParsing.blocks(keyPEM)
        guard let keyBlock = keyBlocks.first else {
            throw APIError.badRequest(1901, "The 'private_key_pem' contains no private key.")
        }
        if keyBlock.type == "CERTIFICATE" {
            throw APIError.badRequest(1924, "The 'private_key_pem' contains a certificate; did you swap the certificate and the key?")
        }
        if keyBlock.type == "ENCRYPTED PRIVATE KEY" || keyBlock.text.contains("ENCRYPTED") {
            throw APIError.badRequest(1902, "The private key is encrypted; upload it unencrypted.")
        }
        guard ["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"].contains(keyBlock.type) else {
            throw APIError.badRequest(1903, "Unknown private key format '\(keyBlock.type)' (PKCS#1, PKCS#8 or SEC 1 expected).")
        }
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: keyBlock.text)
        } catch {
            throw APIError.badRequest(1903, "The private key could not be parsed.")
        }
        guard key.publicKey == chain[0].publicKey else {
            throw APIError.badRequest(1923, "The private key does not match the leaf certificate.")
        }
        let info = CertificateParsing.info(chain[0])
        object["certificate_pem"] = .string(CertificateParsing.normalized(pem))
        object["_private_key_pem"] = .string(keyPEM)
        object["subject_common_name"] = .string(info.subjectCommonName)
        object["subject_alternative_names"] = ["dns_names": .strings(info.dnsNames), "ips": .strings(info.ips)]
        object["not_before"] = .string(info.notBefore)
        object["not_after"] = .string(info.notAfter)
        object["key_usages"] = .strings(info.keyUsages)
        object["extended_key_usages"] = .strings(info.extendedKeyUsages)
        object["private_key_type"] = .string(CertificateParsing.keyType(key))
        object["issuer_common_name"] = .string(info.issuerCommonName)
        object["serial_number"] = .string(info.serialNumber)
        object["subject_organization"] = .string(info.subjectOrganization)
        object["subject_organizational_unit"] = .string(info.subjectOrganizationalUnit)
        object["subject_locality"] = .string(info.subjectLocality)
        object["subject_province"] = .string(info.subjectProvince)
        object["subject_country"] = .string(info.subjectCountry)
        return JSONObject()
    }

    func render(_ object: StoredObject, _ ctx: APIContext, extras: JSONObject) -> JSON {
        var out = head(object, ctx)
        out["certificate_pem"] = object["certificate_pem"] ?? ""
        out["subject_common_name"] = object["subject_common_name"] ?? ""
        out["subject_alternative_names"] = object["subject_alternative_names"] ?? ["dns_names": [], "ips": []]
        out["issued_at"] = object["issued_at"] ?? .null
        out["not_before"] = object["not_before"] ?? ""
        out["not_after"] = object["not_after"] ?? ""
        out["key_usages"] = object["key_usages"] ?? []
        out["extended_key_usages"] = object["extended_key_usages"] ?? []
        for key in [
            "private_key_type", "issuer_common_name", "serial_number", "subject_organization",
            "subject_organizational_unit", "subject_locality", "subject_province", "subject_country",
        ] {
            out[key] = object[key] ?? ""
        }
        return .object(out)
    }

    func willDelete(_ object: StoredObject, _ tx: StoreTransaction) throws {
        for domain in try tx.all("reserved_domains") where domain["certificate_id"]?.stringValue == object.id {
            throw APIError.badRequest(
                nil,
                "The TLS certificate could not be deleted because it is still attached to reserved domain \(domain.id) (\(domain["domain"]?.stringValue ?? "")). Detach it first."
            )
        }
    }
}
