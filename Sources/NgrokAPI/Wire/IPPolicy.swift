import NgrokModel

/// `/ip_policies` (`ipp_`). 2021 shape: `action` lives on the policy and is immutable.
public struct IPPolicy: APIObject {
    public static let collection = APICollection.ipPolicies
    public var id: String
    public var uri: String
    public var createdAt: String
    public var description: String
    public var metadata: String
    /// nil when absent (2022 shape) or not `allow`/`deny`.
    public var action: IPPolicyAction?

    enum CodingKeys: String, CodingKey {
        case id, uri, description, metadata, action
        case createdAt = "created_at"
    }

    public init(
        id: String, uri: String = "", createdAt: String = "", description: String = "", metadata: String = "",
        action: IPPolicyAction? = nil
    ) {
        self.id = id
        self.uri = uri
        self.createdAt = createdAt
        self.description = description
        self.metadata = metadata
        self.action = action
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        uri = try c.lenient(.uri, default: "")
        createdAt = try c.lenient(.createdAt, default: "")
        description = try c.lenient(.description, default: "")
        metadata = try c.lenient(.metadata, default: "")
        action = c.tolerant(.action)
    }
}

/// POST `/ip_policies`.
public struct IPPolicyCreate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    /// Required in the 2021 shape.
    public var action: IPPolicyAction?

    public init(description: String? = nil, metadata: String? = nil, action: IPPolicyAction?) {
        self.description = description
        self.metadata = metadata
        self.action = action
    }
}

/// PATCH `/ip_policies/{id}`.
public struct IPPolicyUpdate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?

    public init(description: String? = nil, metadata: String? = nil) {
        self.description = description
        self.metadata = metadata
    }
}
