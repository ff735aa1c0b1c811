import Validation

/// Product rules come from the shared Validation module; the emulator answers their violations
/// with the matching API error (HTTP 400 and `ERR_NGROK_<n>`, 215 when the rule has no API code).
extension APIError {
    init(_ violation: RuleViolation, field: String = "") {
        var message = violation.message
        var apiField = violation.apiField
        if apiField.hasPrefix("modules.") { apiField.removeFirst("modules.".count) }
        let where_ = [field, apiField].filter { !$0.isEmpty }.joined(separator: ".")
        if !where_.isEmpty, !message.contains(where_) { message = "\(where_): \(message)" }
        if !violation.hint.isEmpty { message += " (\(violation.hint))" }
        if let suggestion = violation.suggestion { message += ". Did you mean '\(suggestion)'?" }
        self.init(400, violation.apiErrorCode ?? 215, message)
    }

    /// Throws the first error among `violations` (warnings are ignored: the API accepts them).
    static func throwFirst(_ violations: [RuleViolation], field: String = "") throws(APIError) {
        if let first = violations.first(where: \.isError) { throw APIError(first, field: field) }
    }

    static func throwIf(_ violation: RuleViolation?, field: String = "") throws(APIError) {
        if let violation, violation.isError { throw APIError(violation, field: field) }
    }
}

/// PEM text as the API returns it: exactly one trailing newline.
enum PEMText {
    static func normalized(_ pem: String) -> String {
        var text = pem
        while text.hasSuffix("\n\n") { text.removeLast() }
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }
}
