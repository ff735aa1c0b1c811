import Foundation

/// An ngrok API key. It never prints itself: `description`, `debugDescription` and reflection show
/// `(redacted)`.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret. Read it only to build the Authorization header.
    public let reveal: String

    public init(_ value: String) { reveal = value.trimmingCharacters(in: .whitespacesAndNewlines) }

    public var description: String { "APIKey(redacted)" }
    public var debugDescription: String { "APIKey(redacted)" }
    public var customMirror: Mirror { Mirror(self, children: ["value": "(redacted)"]) }

    public enum LoadError: Error, Sendable, Hashable, CustomStringConvertible {
        case missing
        case unreadableFile(String)
        case emptyFile(String)

        public var description: String {
            switch self {
            case .missing: "no API key: set NGROK_API_KEY or give a key file"
            case .unreadableFile(let path): "cannot read the API key file \(path)"
            case .emptyFile(let path): "the API key file \(path) is empty"
            }
        }
    }

    /// The key from `file` when given (first line, trimmed), else from `NGROK_API_KEY`.
    public static func load(
        file: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LoadError) -> APIKey {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw .unreadableFile(file) }
            let text = String(decoding: data, as: UTF8.self)
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let key = APIKey(line)
            guard !key.reveal.isEmpty else { throw .emptyFile(file) }
            return key
        }
        if let value = environment["NGROK_API_KEY"], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return APIKey(value)
        }
        throw .missing
    }
}
