import Foundation

/// Session fields shared by oauth, oidc and saml.
public enum SessionRules {
    public static let maxInactivityTimeout = 365 * 24 * 3600

    /// `cookiePrefix`: letters, digits and periods only (ERR_NGROK_1642).
    public static func validateCookiePrefix(_ prefix: String) -> RuleViolation? {
        guard let bad = prefix.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".")) }) else {
            return nil
        }
        return .error(
            field: "cookiePrefix", "cookiePrefix '\(prefix)' contains '\(bad)'",
            hint: "use only letters, digits and periods, e.g. myapp.", code: 1642)
    }

    public static func validate(cookiePrefix: String?, inactivityTimeout: Int?, maximumDuration: Int?)
        -> [RuleViolation]
    {
        var out: [RuleViolation] = []
        if let cookiePrefix, let problem = validateCookiePrefix(cookiePrefix) { out.append(problem) }
        if let value = inactivityTimeout {
            if value <= 0 {
                out.append(
                    .error(field: "inactivityTimeout", "inactivityTimeout must be greater than 0 (it is \(value))"))
            } else if value > maxInactivityTimeout {
                out.append(
                    .error(
                        field: "inactivityTimeout", "inactivityTimeout is longer than one year",
                        hint: "use 365d or less", code: 1692))
            }
        }
        if let value = maximumDuration, value <= 0 {
            out.append(.error(field: "maximumDuration", "maximumDuration must be greater than 0 (it is \(value))"))
        }
        return out
    }
}
