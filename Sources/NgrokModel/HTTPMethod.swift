/// An HTTP method of the API.
public enum HTTPMethod: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"

    /// Repeating the request has the same effect as sending it once (everything but POST).
    public var isIdempotent: Bool { self != .post }

    public var description: String { rawValue }
}

