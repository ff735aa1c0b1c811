/// One problem found in the manifests or by a product rule. Rendered as
/// `path/file.yaml:LINE:COL: Kind/name: what is wrong; how to fix it`.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation?
    public var address: ResourceAddress?
    /// What is wrong.
    public var message: String
    /// How to fix it (may be empty).
    public var hint: String

    public init(
        _ severity: Severity = .error, at location: SourceLocation?, address: ResourceAddress? = nil,
        _ message: String, hint: String = ""
    ) {
        self.severity = severity
        self.location = location
        self.address = address
        self.message = message
        self.hint = hint
    }

    public static func error(
        at location: SourceLocation?, _ address: ResourceAddress? = nil, _ message: String, hint: String = ""
    ) -> Diagnostic {
        Diagnostic(.error, at: location, address: address, message, hint: hint)
    }

    public static func warning(
        at location: SourceLocation?, _ address: ResourceAddress? = nil, _ message: String, hint: String = ""
    ) -> Diagnostic {
        Diagnostic(.warning, at: location, address: address, message, hint: hint)
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        if severity == .warning { text += "warning: " }
        if let address { text += "\(address): " }
        text += message
        if !hint.isEmpty { text += "; \(hint)" }
        return text
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }

    /// Sorted by file, line, column, then message: the order users read them in.
    public func sortedForDisplay() -> [Diagnostic] {
        sorted { a, b in
            switch (a.location, b.location) {
            case let (l?, r?) where l != r: return l < r
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.description < b.description
            }
        }
    }
}
