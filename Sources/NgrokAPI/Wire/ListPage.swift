/// One page of a collection list: `{"<list_key>": [...], "uri": "...", "next_page_uri": "..."|null}`.
public struct ListPage<Item: APIObject>: Codable, Sendable, Hashable {
    public var items: [Item]
    public var uri: String
    /// The full URL of the next page, or nil on the last page.
    public var nextPageURI: String?

    public init(items: [Item], uri: String = "", nextPageURI: String? = nil) {
        self.items = items
        self.uri = uri
        self.nextPageURI = nextPageURI
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        static var uri: Key { Key("uri") }
        static var nextPageURI: Key { Key("next_page_uri") }
        static var items: Key { Key(Item.collection.listKey) }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        items = try c.lenient(.items, default: [])
        uri = try c.lenient(.uri, default: "")
        nextPageURI = try c.decodeIfPresent(String.self, forKey: .nextPageURI)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(items, forKey: .items)
        try c.encode(uri, forKey: .uri)
        try c.encode(nextPageURI, forKey: .nextPageURI)
    }
}
