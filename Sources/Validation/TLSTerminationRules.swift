import Foundation
import NgrokModel

/// TLS termination: `terminateAt` edge | upstream; `minVersion` "1.0"…"1.3", and none when
/// terminating upstream.
public enum TLSTerminationRules {
    public static let minVersions = ["1.0", "1.1", "1.2", "1.3"]

    /// Parses `edge` / `upstream` (ERR_NGROK_224).
    public static func parseTerminateAt(_ text: String) -> Result<TLSTerminationModule.TerminateAt, RuleViolation> {
        if let value = TLSTerminationModule.TerminateAt(rawValue: text) { return .success(value) }
        return .failure(
            .error(field: "terminateAt", "terminateAt must be 'edge' or 'upstream' (it is '\(text)')", code: 224,
                suggestion: TLSTerminationModule.TerminateAt(rawValue: text.lowercased())?.rawValue))
    }

    public static func validateMinVersion(_ version: String) -> RuleViolation? {
        guard !minVersions.contains(version) else { return nil }
        var suggestion: String?
        for prefix in ["TLSv", "TLS", "tlsv", "tls", "v"] where version.hasPrefix(prefix) {
            let rest = String(version.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            if minVersions.contains(rest) { suggestion = rest }
        }
        if suggestion == nil, ["1", "1.0.0"].contains(version) { suggestion = "1.0" }
        return .error(
            field: "minVersion", "minVersion '\(version)' is not supported",
            hint: "use one of " + minVersions.map { "\"\($0)\"" }.joined(separator: ", "), code: 219,
            suggestion: suggestion)
    }

    public static func validate(terminateAt: TLSTerminationModule.TerminateAt, minVersion: String?) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if let minVersion {
            if terminateAt == .upstream {
                out.append(
                    .error(
                        field: "minVersion", "minVersion cannot be set when TLS is terminated upstream",
                        hint: "the edge does not terminate TLS, so it cannot enforce a version: remove minVersion",
                        code: 1632))
            } else if let problem = validateMinVersion(minVersion) {
                out.append(problem)
            }
        }
        return out
    }

    public static func validate(_ module: TLSTerminationModule) -> [RuleViolation] {
        validate(terminateAt: module.terminateAt, minVersion: module.minVersion)
    }
}
