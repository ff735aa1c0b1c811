import Foundation
import NgrokModel

/// OIDC module rules (ERR_NGROK_1687–1690).
public enum OIDCRules {
    public static let maxIssuerBytes = 255

    public static func validate(
        issuer: String, clientId: String, hasClientSecret: Bool, scopes: [String] = [], cookiePrefix: String? = nil,
        inactivityTimeout: Int? = nil, maximumDuration: Int? = nil
    ) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if issuer.isEmpty {
            out.append(
                .error(
                    field: "issuer", "issuer is required",
                    hint: "write the provider's base URL, e.g. https://accounts.google.com", code: 1688))
        } else if issuer.utf8.count > maxIssuerBytes {
            out.append(
                .error(
                    field: "issuer", "issuer is \(issuer.utf8.count) bytes; the maximum is \(maxIssuerBytes)",
                    code: 1687))
        } else if !isHTTPURL(issuer) {
            out.append(
                .error(
                    field: "issuer", "issuer '\(issuer)' is not an http(s) URL",
                    hint: "write the provider's base URL, e.g. https://accounts.google.com", code: 1602))
        }
        if clientId.trimmingCharacters(in: .whitespaces).isEmpty {
            out.append(.error(field: "clientId", "clientId is required", code: 1689))
        }
        if !hasClientSecret {
            out.append(
                .error(
                    field: "clientSecret", "clientSecret is required", hint: "add clientSecret: {env: NAME}", code: 1690
                ))
        }
        out += ListRules.nonEmptyUnique(scopes, field: "scopes", what: "scope")
        out += SessionRules.validate(
            cookiePrefix: cookiePrefix, inactivityTimeout: inactivityTimeout, maximumDuration: maximumDuration)
        return out
    }

    public static func validate(_ module: OIDCModule) -> [RuleViolation] {
        validate(
            issuer: module.issuer, clientId: module.clientId, hasClientSecret: module.clientSecret != nil, scopes: module.scopes,
            cookiePrefix: module.cookiePrefix, inactivityTimeout: module.inactivityTimeout,
            maximumDuration: module.maximumDuration)
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else {
            return false
        }
        return scheme == "https" || scheme == "http"
    }
}
