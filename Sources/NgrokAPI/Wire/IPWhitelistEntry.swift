/// `/ip_whitelist` (`wl_`, list key `whitelist`): an account-wide allowed IP or network.
public struct IPWhitelistEntry: APIObject {
    public static let collection = APICollection.ipWhitelist
    public var id: String
    public var uri: String
    public var createdAt: String
    public var description: String
    public var metadata: String
    public var ipNet: String

    enum CodingKeys: String, CodingKey {
        case id, uri, description, metadata
        case createdAt = "created_at"
        case ipNet = "ip_net"
    }

    public init(
        id: String, uri: String = "", createdAt: String = "", description: String = "", metadata: String = "",
        ipNet: String
    ) {
        self.id = id
        self.uri = uri
        self.createdAt = createdAt
        self.description = description
        self.metadata = metadata
        self.ipNet = ipNet
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        uri = try c.lenient(.uri, default: "")
        createdAt = try c.lenient(.createdAt, default: "")
        description = try c.lenient(.description, default: "")
        metadata = try c.lenient(.metadata, default: "")
        ipNet = try c.lenient(.ipNet, default: "")
    }
}

/// POST `/ip_whitelist`.
public struct IPWhitelistEntryCreate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    public var ipNet: String

    enum CodingKeys: String, CodingKey {
        case description, metadata
        case ipNet = "ip_net"
    }

    public init(description: String? = nil, metadata: String? = nil, ipNet: String) {
        self.description = description
        self.metadata = metadata
        self.ipNet = ipNet
    }
}

/// PATCH `/ip_whitelist/{id}` (`ip_net` is immutable).
public struct IPWhitelistEntryUpdate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?

    public init(description: String? = nil, metadata: String? = nil) {
        self.description = description
        self.metadata = metadata
    }
}
