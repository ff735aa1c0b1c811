/// A reference to another API object: `{"id": "...", "uri": "..."}`.
public struct Ref: Codable, Sendable, Hashable {
    public var id: String
    public var uri: String

    public init(id: String, uri: String = "") {
        self.id = id
        self.uri = uri
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        uri = try c.lenient(.uri, default: "")
    }
}
