import NgrokModel

/// `/ip_policy_rules` (`ipr_`): one CIDR of a policy.
public struct IPPolicyRule: APIObject {
    public static let collection = APICollection.ipPolicyRules
    public var id: String
    public var uri: String
    public var createdAt: String
    public var description: String
    public var metadata: String
    public var cidr: String
    public var ipPolicy: Ref
    /// Only in the 2022 shape.
    public var action: IPPolicyAction?

    enum CodingKeys: String, CodingKey {
        case id, uri, description, metadata, cidr, action
        case createdAt = "created_at"
        case ipPolicy = "ip_policy"
    }

    public init(
        id: String, uri: String = "", createdAt: String = "", description: String = "", metadata: String = "",
        cidr: String, ipPolicy: Ref, action: IPPolicyAction? = nil
    ) {
        self.id = id
        self.uri = uri
        self.createdAt = createdAt
        self.description = description
        self.metadata = metadata
        self.cidr = cidr
        self.ipPolicy = ipPolicy
        self.action = action
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        uri = try c.lenient(.uri, default: "")
        createdAt = try c.lenient(.createdAt, default: "")
        description = try c.lenient(.description, default: "")
        metadata = try c.lenient(.metadata, default: "")
        cidr = try c.lenient(.cidr, default: "")
        ipPolicy = try c.decode(Ref.self, forKey: .ipPolicy)
        action = c.tolerant(.action)
    }
}

/// POST `/ip_policy_rules`.
public struct IPPolicyRuleCreate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    public var cidr: String
    public var ipPolicyID: String
    /// 2022 shape only; leave nil for the 2021 API.
    public var action: IPPolicyAction?

    enum CodingKeys: String, CodingKey {
        case description, metadata, cidr, action
        case ipPolicyID = "ip_policy_id"
    }

    public init(
        description: String? = nil, metadata: String? = nil, cidr: String, ipPolicyID: String,
        action: IPPolicyAction? = nil
    ) {
        self.description = description
        self.metadata = metadata
        self.cidr = cidr
        self.ipPolicyID = ipPolicyID
        self.action = action
    }
}

/// PATCH `/ip_policy_rules/{id}`.
public struct IPPolicyRuleUpdate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    public var cidr: String?

    public init(description: String? = nil, metadata: String? = nil, cidr: String? = nil) {
        self.description = description
        self.metadata = metadata
        self.cidr = cidr
    }
}
