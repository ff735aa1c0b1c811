/// `/credentials` (`cr_`): a tunnel authtoken.
public struct Credential: APIObject {
    public static let collection = APICollection.credentials
    public var id: String
    public var uri: String
    public var createdAt: String
    public var description: String
    public var metadata: String
    public var acl: [String]
    /// Only non-nil in the create response.
    public var token: String?

    enum CodingKeys: String, CodingKey {
        case id, uri, description, metadata, acl, token
        case createdAt = "created_at"
    }

    public init(
        id: String, uri: String = "", createdAt: String = "", description: String = "", metadata: String = "",
        acl: [String] = [], token: String? = nil
    ) {
        self.id = id
        self.uri = uri
        self.createdAt = createdAt
        self.description = description
        self.metadata = metadata
        self.acl = acl
        self.token = token
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        uri = try c.lenient(.uri, default: "")
        createdAt = try c.lenient(.createdAt, default: "")
        description = try c.lenient(.description, default: "")
        metadata = try c.lenient(.metadata, default: "")
        acl = try c.lenient(.acl, default: [])
        token = try c.decodeIfPresent(String.self, forKey: .token)
    }
}

extension Credential: CustomDebugStringConvertible {
    /// Never prints the token.
    public var debugDescription: String {
        "Credential(id: \(id), description: \(description.debugDescription), metadata: \(metadata.debugDescription), "
            + "acl: \(acl), token: \(token == nil ? "nil" : "(sensitive)"))"
    }
}

/// POST `/credentials`. Nothing is required.
public struct CredentialCreate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    public var acl: [String]?

    public init(description: String? = nil, metadata: String? = nil, acl: [String]? = nil) {
        self.description = description
        self.metadata = metadata
        self.acl = acl
    }
}

/// PATCH `/credentials/{id}`: nil fields are omitted (left unchanged).
public struct CredentialUpdate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    public var acl: [String]?

    public init(description: String? = nil, metadata: String? = nil, acl: [String]? = nil) {
        self.description = description
        self.metadata = metadata
        self.acl = acl
    }
}
