/// `/reserved_addrs` (`ra_`): a TCP address assigned by ngrok.
public struct ReservedAddr: APIObject {
    public static let collection = APICollection.reservedAddrs
    public var id: String
    public var uri: String
    public var createdAt: String
    public var description: String
    public var metadata: String
    /// `hostname:port`, assigned at creation.
    public var addr: String
    public var region: String
    public var endpointConfiguration: Ref?

    enum CodingKeys: String, CodingKey {
        case id, uri, description, metadata, addr, region
        case createdAt = "created_at"
        case endpointConfiguration = "endpoint_configuration"
    }

    public init(
        id: String, uri: String = "", createdAt: String = "", description: String = "", metadata: String = "",
        addr: String = "", region: String = "us", endpointConfiguration: Ref? = nil
    ) {
        self.id = id
        self.uri = uri
        self.createdAt = createdAt
        self.description = description
        self.metadata = metadata
        self.addr = addr
        self.region = region
        self.endpointConfiguration = endpointConfiguration
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        uri = try c.lenient(.uri, default: "")
        createdAt = try c.lenient(.createdAt, default: "")
        description = try c.lenient(.description, default: "")
        metadata = try c.lenient(.metadata, default: "")
        addr = try c.lenient(.addr, default: "")
        region = try c.lenient(.region, default: "")
        endpointConfiguration = try c.decodeIfPresent(Ref.self, forKey: .endpointConfiguration)
    }
}

/// POST `/reserved_addrs`. Nothing is required.
public struct ReservedAddrCreate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    public var region: String?
    public var endpointConfigurationID: String?

    enum CodingKeys: String, CodingKey {
        case description, metadata, region
        case endpointConfigurationID = "endpoint_configuration_id"
    }

    public init(
        description: String? = nil, metadata: String? = nil, region: String? = nil,
        endpointConfigurationID: String? = nil
    ) {
        self.description = description
        self.metadata = metadata
        self.region = region
        self.endpointConfigurationID = endpointConfigurationID
    }
}

/// PATCH `/reserved_addrs/{id}`. Detach the configuration with `detachEndpointConfiguration`, not "".
public struct ReservedAddrUpdate: Codable, APIRequestBody, Hashable {
    public var description: String?
    public var metadata: String?
    public var endpointConfigurationID: String?

    enum CodingKeys: String, CodingKey {
        case description, metadata
        case endpointConfigurationID = "endpoint_configuration_id"
    }

    public init(description: String? = nil, metadata: String? = nil, endpointConfigurationID: String? = nil) {
        self.description = description
        self.metadata = metadata
        self.endpointConfigurationID = endpointConfigurationID
    }
}
