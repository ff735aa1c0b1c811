import Foundation
import NgrokModel

/// Request/response header module rules: names, values, `${…}` templates, duplicates, and
/// hop-by-hop headers (stripped by the edge: a warning).
public enum HeaderRules {
    public static let maxNameBytes = 128
    public static let maxValueBytes = 1024

    /// Lower-cased hop-by-hop header names; the edge strips them.
    public static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade",
    ]

    /// The only expressions a `${…}` template may use.
    public static let templateVariables: [String] = [
        ".ngrok.request_id", ".ngrok.client_ip", ".ngrok.geo.country_code", ".ngrok.geo.latitude",
        ".ngrok.geo.longitude", ".ngrok.geo.lat_long_radius_km",
    ]

    /// The edge's canonical form: `x-request-ID` → `X-Request-Id`.
    public static func canonicalName(_ name: String) -> String {
        name.split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
            .joined(separator: "-")
    }

    public static func isHopByHop(_ name: String) -> Bool { hopByHop.contains(name.lowercased()) }

    /// A header name: RFC 7230 token characters, 1–128 bytes (ERR_NGROK_1623 / 1697).
    public static func validateName(_ name: String) -> RuleViolation? {
        if name.isEmpty { return .error("a header name is empty", code: 1623) }
        if name.utf8.count > maxNameBytes {
            return .error(
                "the header name '\(name.prefix(40))…' is \(name.utf8.count) bytes; the maximum is \(maxNameBytes)",
                code: 1697)
        }
        if let bad = name.unicodeScalars.first(where: { !isTokenChar($0) }) {
            let shown = bad.properties.isWhitespace || bad.value < 0x20 ? "U+\(String(bad.value, radix: 16, uppercase: true))" : "'\(bad)'"
            return .error(
                "the header name '\(name)' contains \(shown)",
                hint: "header names contain only letters, digits and !#$%&'*+-.^_`|~", code: 1623)
        }
        return nil
    }

    /// A header value: ≤1024 bytes, no control characters (except tab), valid templates
    /// (ERR_NGROK_1624 / 1698).
    public static func validateValue(_ value: String) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if value.utf8.count > maxValueBytes {
            out.append(
                .error("the header value is \(value.utf8.count) bytes; the maximum is \(maxValueBytes)", code: 1698))
        }
        if value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7f }) {
            out.append(
                .error(
                    "the header value contains a control character (such as a line break)",
                    hint: "header values are a single line", code: 1624))
        }
        switch templateExpressions(in: value) {
        case .failure(let problem): out.append(problem)
        case .success(let expressions):
            for expression in expressions where !templateVariables.contains(expression) {
                out.append(
                    .error(
                        "the template '${\(expression)}' is not supported",
                        hint: "templates may use only " + templateVariables.map { "${\($0)}" }.joined(separator: ", "),
                        code: 1624, suggestion: closestVariable(to: expression).map { "${\($0)}" }))
            }
        }
        return out
    }

    /// The expressions inside `${…}` in `value`, trimmed; a failure for an unterminated `${`.
    public static func templateExpressions(in value: String) -> Result<[String], RuleViolation> {
        var out: [String] = []
        var rest = Substring(value)
        while let start = rest.range(of: "${") {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "}") else {
                return .failure(
                    .error("the header value has a '${' without its closing '}'", hint: "write ${.ngrok.request_id}", code: 1624))
            }
            out.append(after[..<end].trimmingCharacters(in: .whitespaces))
            rest = after[after.index(after: end)...]
        }
        return .success(out)
    }

    /// Checks a header module's `add` map and `remove` list. Fields: `add.<Name>` (as written)
    /// and `remove[i]`.
    public static func validate(add: [(name: String, value: String)], remove: [String]) -> [RuleViolation] {
        var out: [RuleViolation] = []
        var firstByLower: [String: String] = [:]
        for (name, value) in add {
            let field = "add.\(name)"
            if let problem = validateName(name) { out.append(problem.withField(field)) }
            out += validateValue(value).map { $0.withField(field) }
            let lower = name.lowercased()
            if let first = firstByLower[lower] {
                out.append(
                    .error(
                        field: field, "the header '\(name)' is added twice ('\(first)' and '\(name)' differ only in case)",
                        hint: "header names are case-insensitive; keep one of them", code: 1669))
            } else {
                firstByLower[lower] = name
            }
            if isHopByHop(name) {
                out.append(
                    .warning(
                        field: field, "'\(name)' is a hop-by-hop header; the edge strips it, so adding it has no effect",
                        hint: "remove it"))
            }
        }
        var removed: Set<String> = []
        for (i, name) in remove.enumerated() {
            let field = "remove[\(i)]"
            if let problem = validateName(name) { out.append(problem.withField(field)) }
            if !removed.insert(name.lowercased()).inserted {
                out.append(
                    .error(field: field, "the header '\(name)' is removed twice", hint: "list it once", code: 1646))
            }
            if isHopByHop(name) {
                out.append(
                    .warning(
                        field: field, "'\(name)' is a hop-by-hop header; the edge already strips it",
                        hint: "remove it from the list"))
            }
        }
        return out
    }

    /// Checks a `HeadersModule` from the model.
    public static func validate(_ module: HeadersModule) -> [RuleViolation] {
        validate(add: module.add.map { ($0.name, $0.value) }, remove: module.remove)
    }

    static func isTokenChar(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        let c = Character(scalar)
        return c.isLetter || c.isNumber || "!#$%&'*+-.^_`|~".contains(c)
    }

    static func closestVariable(to expression: String) -> String? {
        let lower = expression.lowercased()
        let candidate = lower.hasPrefix(".") ? lower : "." + lower
        if templateVariables.contains(candidate) { return candidate }
        return templateVariables.first { $0.hasSuffix("." + (lower.split(separator: ".").last.map(String.init) ?? "\u{0}")) }
    }
}

extension RuleViolation {
    func withField(_ field: String) -> RuleViolation {
        var copy = self
        copy.field = FieldPath.join(field, self.field)
        return copy
    }
}
