/// Where a secret comes from. Secrets are never literals in manifests.
public enum SecretReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The value of an environment variable.
    case env(String)
    /// The contents of a file; `path` is absolute (resolved against the manifest's directory).
    case file(String)

    public var description: String {
        switch self {
        case .env(let name): "{env: \(name)}"
        case .file(let path): "{file: \(path)}"
        }
    }
}

/// A resolved secret value. It never prints itself.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let reveal: String
    public init(_ value: String) { self.reveal = value }
    public var description: String { "(sensitive)" }
    public var debugDescription: String { "(sensitive)" }
}
