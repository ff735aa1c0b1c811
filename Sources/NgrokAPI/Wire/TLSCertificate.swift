/// `/tls_certificates` (`cert_`). `private_key_pem` is write-only: never returned.
public struct TLSCertificate: APIObject {
    public static let collection = APICollection.tlsCertificates
    public var id: String
    public var uri: String
    public var createdAt: String
    public var description: String
    public var metadata: String
    public var certificatePEM: String
    public var subjectCommonName: String
    public var subjectAlternativeNames: SubjectAlternativeNames
    /// Set only for certificates ngrok issued; nil for uploads.
    public var issuedAt: String?
    public var notBefore: String
    public var notAfter: String
    public var keyUsages: [String]
    public var extendedKeyUsages: [String]
    public var privateKeyType: String
    public var issuerCommonName: String
    public var serialNumber: String
    public var subjectOrganization: String
    public var subjectOrganizationalUnit: String
    public var subjectLocality: String
    public var subjectProvince: String
    public var subjectCountry: String

    public struct SubjectAlternativeNames: Codable, Sendable, Hashable {
        public var dnsNames: [String]
        public var ips: [String]

        enum CodingKeys: String, CodingKey {
            case dnsNames = "dns_names"
            case ips
        }

        public init(dnsNames: [String] = [], ips: [String] = []) {
            self.dnsNames = dnsNames
            self.ips = ips
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            dnsNames = try c.lenient(.dnsNames, default: [])
            ips = try c.lenient(.ips, default: [])
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, uri, description, metadata
        case createdAt = "created_at"
        case certificatePEM = "certificate_pem"
        case subjectCommonName = "subject_common_name"
        case subjectAlternativeNames = "subject_alternative_names"
        case issuedAt = "issued_at"
        case notBefore = "not_before"
        case notAfter = "not_after"
        case keyUsages = "key_usages"
        case extendedKeyUsages = "extended_key_usages"
        case privateKeyType = "private_key_type"
        case issuerCommonName = "issuer_common_name"
        case serialNumber = "serial_number"
        case subjectOrganization = "subject_organization"
        case subjectOrganizationalUnit = "subject_organizational_unit"
        case subjectLocality = "subject_locality"
        case subjectProvince = "subject_province"
        case subjectCountry = "subject_country"
    }

    public init(
        id: String, uri: String = "", createdAt: String = "", description: String = "", metadata: String = "",
        certificatePEM: String, subjectCommonName: String = "",
        subjectAlternativeNames: SubjectAlternativeNames = SubjectAlternativeNames(), issuedAt: String? = nil,
        notBefore: String = "", notAfter: String = "", keyUsages: [String] = [], extendedKeyUsages: [String] = [],
        privateKeyType: String = "", issuerCommonName: String = "", serialNumber: String = "",
        subjectOrganization: String = "", subjectOrganizationalUnit: String = "", subjectLocality: String = "",
        subjectProvince: String = "", subjectCountry: String = ""
    ) {
        self.id = id
        self.uri = uri
        self.createdAt = createdAt
        self.description = description
        self.metadata = metadata
        self.certificatePEM = certificatePEM
        self.subjectCommonName = subjectCommonName
        self.subjectAlternativeNames = subjectAlternativeNames
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.keyUsages = keyUsages
        self.extendedKeyUsages = extendedKeyUsages
        self.privateKeyType = privateKeyType
        self.issuerCommonName = issuerCommonName
        self.serialNumber = serialNumber
        self.subjectOrganization = subjectOrganization
        self.subjectOrganizationalUnit = subjectOrganizationalUnit
        self.subjectLocality = subjectLocality
        self.subjectProvince = subjectProvince
        self.subjectCountry = subjectCountry
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        uri = try c.lenient(.uri, default: "")
        createdAt = try c.lenient(.createdAt, default: "")
        description = try c.lenient(.description, default: "")
        metadata = try c.lenient(.metadata, default: "")
        certificatePEM = try c.lenient(.certificatePEM, default: "")
        subjectCommonName = try c.lenient(.subjectCommonName, default: "")
        subjectAlternativeNames = try c.lenient(.subjectAlternativeNames, default: SubjectAlternativeNames())
        issuedAt = try c.decodeIfPresent(String.self, forKey: .issuedAt)
        notBefore = try c.lenient(.notBefore, default: "")
        notAfter = try c.lenient(.notAfter, default: "")
        keyUsages = try c.lenient(.keyUsages, default: [])
        extendedKeyUsages = try c.lenient(.extendedKeyUsages, default: [])
        privateKeyType = try c.lenient(.privateKeyType, default: "")
        issuerCommonName = try c.lenient(.issuerCommonName, default: "")
        serialNumber = try c.lenient(.serialNumber, default: "")
        subjectOrganization = try c.lenient(.subjectOrganization, default: "")
        subjectOrganizationalUnit = try c.lenient(.subjectOrganizationalUnit, default: "")
        subjectLocality = try c.lenient(.subjectLocality, default: "")
        subjectProvince = try c.lenient(.subjectProvince, default: "")
        subjectCountry = try c.lenient(.subjectCountry, default: "")
    }
}

/// POST `/tls_certificates`. The private key never appears in `debugDescription`.
public struct TLSCertificateCreate: Codable, APIRequestBody, Hashable, CustomDebugStringConvertible {
    public var description: String?
    public var metadata: String?
    public var certificatePEM: String
    public var privateKeyPEM: String

    enum CodingKeys: String, CodingKey {
        case description, metadata
        case certificatePEM = "certificate_pem"
        case privateKeyPEM = "private_key_pem"
    }

    public init(description: String? = nil, metadata: String? = nil, certificatePEM: String, privateKeyPEM: String) {
        self.description = description
        self.metadata = metadata
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    public var debugDescription: String {
        "TLSCertificateCreate(description: \(String(describing: description)), metadata: \(String(describing: metadata)), "
            + "certificatePEM: \(certificatePEM.utf8.count) bytes, privateKeyPEM: (sensitive))"
    }
}

/// PATCH `/tls_certificates/{id}` (PEMs are immutable).
public struct TLSCertificateUpdate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?

    public init(description: String? = nil, metadata: String? = nil) {
        self.description = description
        self.metadata = metadata
    }
}
