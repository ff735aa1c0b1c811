import Foundation
import NgrokModel
import Validation
import X509

/// `/certificate_authorities` (`ca_`): one CA certificate for mutual TLS; `ca_pem` is immutable.
/// Deleting a CA still used by an endpoint configuration's mutual_tls module is refused.
struct CertificateAuthorities: Resource {
    let apiCollection = APICollection.certificateAuthorities
    let createFields = ["description", "metadata", "ca_pem"]
    let updateFields = ["description", "metadata"]
    let lengthCodes = TextLimits.apiErrorCodes(for: .certificateAuthority)

    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    {
        guard let pem = try body.string("ca_pem"), !pem.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest(1919, "Missing required parameter 'ca_pem'.")
        }
        let check = CertificateRules.validateCertificateAuthority(pem, now: ctx.now)
        try APIError.throwFirst(check.violations, field: "ca_pem")
        guard let certificate = check.leaf else { throw APIError.badRequest(1695, "No certificate found in 'ca_pem'.") }
        let info = CertificateInfo(certificate)
        object["ca_pem"] = .string(PEMText.normalized(pem))
        object.storeCertificateFields(info)
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
    let apiCollection = APICollection.tlsCertificates
    let createFields = ["description", "metadata", "certificate_pem", "private_key_pem"]
    let updateFields = ["description", "metadata"]
    let lengthCodes = TextLimits.apiErrorCodes(for: .tlsCertificate)

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
        let check = CertificateRules.validateTLSCertificate(certificatePem: pem, privateKeyPem: keyPEM, now: ctx.now)
        try APIError.throwFirst(check.violations)
        guard let leaf = check.leaf else { throw APIError.badRequest(1919, "No certificate found in 'certificate_pem'.") }
        let info = CertificateInfo(leaf)
        object["certificate_pem"] = .string(PEMText.normalized(pem))
        object["_private_key_pem"] = .string(keyPEM)
        object.storeCertificateFields(info)
        object["subject_alternative_names"] = ["dns_names": .strings(info.dnsNames), "ips": .strings(info.ips)]
        object["private_key_type"] = .string(info.privateKeyType)
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

extension StoredObject {
    /// The fields a CA and a TLS certificate both return from their parsed certificate.
    fileprivate mutating func storeCertificateFields(_ info: CertificateInfo) {
        self["subject_common_name"] = .string(info.subjectCommonName)
        self["not_before"] = .string(info.notBefore)
        self["not_after"] = .string(info.notAfter)
        self["key_usages"] = .strings(info.keyUsages)
        self["extended_key_usages"] = .strings(info.extendedKeyUsages)
    }
}
