/// A live object of one API collection, as returned by the API.
public protocol APIObject: Codable, Sendable, Hashable {
    static var collection: APICollection { get }
    var id: String { get }
    var uri: String { get }
    /// RFC 3339, e.g. `2021-04-21T23:36:55Z`.
    var createdAt: String { get }
    var description: String { get }
    /// The metadata string (where ngrokctl's ownership marker lives); "" when empty or omitted.
    var metadata: String { get }
}

/// A create or update request body of one collection.
public protocol APIRequestBody: Encodable, Sendable {}
