/// `Kind/name`, e.g. `IPPolicy/office`: how users and plans name a resource.
public struct ResourceAddress: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var kind: Kind
    public var name: String

    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    /// Parses `Kind/name`; nil when malformed or the kind is unknown.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), !parts[1].isEmpty else { return nil }
        self.init(kind, String(parts[1]))
    }

    public var description: String { "\(kind.rawValue)/\(name)" }

    public static func < (lhs: ResourceAddress, rhs: ResourceAddress) -> Bool {
        (lhs.kind, lhs.name) < (rhs.kind, rhs.name)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = ResourceAddress(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad address \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
