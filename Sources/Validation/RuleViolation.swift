import NgrokModel

/// One broken product rule, as a value. Primitives return these; the stack validator turns
/// them into located `Diagnostic`s, and the emulator turns them into API errors
/// (`apiErrorCode` is the matching `ERR_NGROK_<n>` number when the API has one).
///
/// `field` is the path of the offending value relative to what was validated, in manifest
/// naming with the project's path conventions (`scopes[1]`, `add.X-Foo`,
/// `modules.oauth.clientId`); empty means the value itself. Messages never contain secret values.
public struct RuleViolation: Error, Sendable, Hashable, CustomStringConvertible {
    public var severity: Diagnostic.Severity
    public var field: String
    /// What is wrong.
    public var message: String
    /// How to fix it (may be empty).
    public var hint: String
    /// The ngrok API error number (`ERR_NGROK_<n>`) this rule corresponds to, if any.
    public var apiErrorCode: Int?
    /// A corrected value, when one can be computed (e.g. the network address of a CIDR).
    public var suggestion: String?

    public init(
        _ severity: Diagnostic.Severity = .error, field: String = "", _ message: String, hint: String = "",
        code: Int? = nil, suggestion: String? = nil
    ) {
        self.severity = severity
        self.field = field
        self.message = message
        self.hint = hint
        self.apiErrorCode = code
        self.suggestion = suggestion
    }

    public static func error(
        field: String = "", _ message: String, hint: String = "", code: Int? = nil, suggestion: String? = nil
    ) -> RuleViolation {
        RuleViolation(.error, field: field, message, hint: hint, code: code, suggestion: suggestion)
    }

    public static func warning(field: String = "", _ message: String, hint: String = "") -> RuleViolation {
        RuleViolation(.warning, field: field, message, hint: hint)
    }

    public var isError: Bool { severity == .error }

    /// `ERR_NGROK_<n>`, when the rule has an API error code.
    public var errorCode: String? { apiErrorCode.map { "ERR_NGROK_\($0)" } }

    /// `field` with each camelCase segment in the API's snake_case (`clientId` → `client_id`);
    /// header names and other map keys are kept as written.
    public var apiField: String { FieldPath.apiName(of: field) }

    /// The same violation with `field` placed under `base` (`"modules.oauth"` + `"scopes[1]"`).
    public func nested(under base: String) -> RuleViolation {
        var copy = self
        copy.field = FieldPath.join(base, field)
        return copy
    }

    /// A located diagnostic for `resource`; the location is `resource.location(of: base + field)`.
    public func diagnostic(for resource: Resource, under base: String = "") -> Diagnostic {
        let path = FieldPath.join(base, field)
        return Diagnostic(
            severity, at: resource.location(of: path), address: resource.address, message, hint: hint)
    }

    public var description: String {
        var text = severity == .warning ? "warning: " : ""
        if !field.isEmpty { text += "\(field): " }
        text += message
        if !hint.isEmpty { text += "; \(hint)" }
        return text
    }
}

extension Array where Element == RuleViolation {
    public var hasErrors: Bool { contains { $0.isError } }
    public func nested(under base: String) -> [RuleViolation] { map { $0.nested(under: base) } }
}

/// Dotted field paths with `[i]` indexes.
public enum FieldPath {
    /// `join("spec.modules", "oauth")` = `spec.modules.oauth`; `join("acl", "[2]")` = `acl[2]`.
    public static func join(_ base: String, _ field: String) -> String {
        if base.isEmpty { return field }
        if field.isEmpty { return base }
        if field.hasPrefix("[") { return base + field }
        return base + "." + field
    }

    /// Converts camelCase segments to snake_case; segments after `add.` (header names) are kept.
    public static func apiName(of path: String) -> String {
        var out: [String] = []
        var keepNext = false
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            if keepNext {
                out.append(String(segment))
                keepNext = false
                continue
            }
            var snake = ""
            for ch in segment {
                if ch.isUppercase {
                    snake += "_" + ch.lowercased()
                } else {
                    snake.append(ch)
                }
            }
            out.append(snake)
            keepNext = segment == "add"
        }
        return out.joined(separator: ".")
    }
}
