/// `/certificate_authorities` (`ca_`): a CA for mutual TLS.
public struct CertificateAuthority: APIObject {
    public static let collection = APICollection.certificateAuthorities
    public var id: String
    public var uri: String
    public var createdAt: String
    public var description: String
    public var metadata: String
    public var caPEM: String
    public var subjectCommonName: String
    public var notBefore: String
    public var notAfter: String
    public var keyUsages: [String]
    public var extendedKeyUsages: [String]

    enum CodingKeys: String, CodingKey {
        case id, uri, description, metadata
        case createdAt = "created_at"
        case caPEM = "ca_pem"
        case subjectCommonName = "subject_common_name"
        case notBefore = "not_before"
        case notAfter = "not_after"
        case keyUsages = "key_usages"
        case extendedKeyUsages = "extended_key_usages"
    }

    public init(
        id: String, uri: String = "", createdAt: String = "", description: String = "", metadata: String = "",
        caPEM: String, subjectCommonName: String = "", notBefore: String = "", notAfter: String = "",
        keyUsages: [String] = [], extendedKeyUsages: [String] = []
    ) {
        self.id = id
        self.uri = uri
        self.createdAt = createdAt
        self.description = description
        self.metadata = metadata
        self.caPEM = caPEM
        self.subjectCommonName = subjectCommonName
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.keyUsages = keyUsages
        self.extendedKeyUsages = extendedKeyUsages
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        uri = try c.lenient(.uri, default: "")
        createdAt = try c.lenient(.createdAt, default: "")
        description = try c.lenient(.description, default: "")
        metadata = try c.lenient(.metadata, default: "")
        caPEM = try c.lenient(.caPEM, default: "")
        subjectCommonName = try c.lenient(.subjectCommonName, default: "")
        notBefore = try c.lenient(.notBefore, default: "")
        notAfter = try c.lenient(.notAfter, default: "")
        keyUsages = try c.lenient(.keyUsages, default: [])
        extendedKeyUsages = try c.lenient(.extendedKeyUsages, default: [])
    }
}

/// POST `/certificate_authorities`.
public struct CertificateAuthorityCreate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    public var caPEM: String

    enum CodingKeys: String, CodingKey {
        case description, metadata
        case caPEM = "ca_pem"
    }

    public init(description: String? = nil, metadata: String? = nil, caPEM: String) {
        self.description = description
        self.metadata = metadata
        self.caPEM = caPEM
    }
}

/// PATCH `/certificate_authorities/{id}` (`ca_pem` is immutable).
public struct CertificateAuthorityUpdate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?

    public init(description: String? = nil, metadata: String? = nil) {
        self.description = description
        self.metadata = metadata
    }
}
