import Foundation
import NgrokModel

/// OAuth module rules (ERR_NGROK_1633–1668). Fields are the manifest's (`clientId`, `scopes[1]`).
public enum OAuthRules {
    /// Refreshes happen at most once per 3 minutes.
    public static let minAuthCheckInterval = 180

    /// The wire `provider` object must have exactly one non-null provider key (1636 / 1637).
    public static func parseProvider(keys: [String]) -> Result<OAuthProvider, RuleViolation> {
        let known = OAuthProvider.allCases.map(\.rawValue).joined(separator: ", ")
        guard !keys.isEmpty else {
            return .failure(.error(field: "provider", "an OAuth provider is required", hint: "use one of \(known)", code: 1637))
        }
        guard keys.count == 1 else {
            return .failure(
                .error(
                    field: "provider", "only one OAuth provider may be set (found \(keys.sorted().joined(separator: ", ")))",
                    code: 1636))
        }
        guard let provider = OAuthProvider(rawValue: keys[0]) else {
            return .failure(
                .error(field: "provider", "'\(keys[0])' is not a supported OAuth provider", hint: "use one of \(known)", code: 1602))
        }
        return .success(provider)
    }

    /// - Parameter hasClientSecret: whether a client secret is configured (never its value).
    public static func validate(
        provider: OAuthProvider, clientId: String?, hasClientSecret: Bool, scopes: [String] = [],
        emailAddresses: [String] = [], emailDomains: [String] = [], teams: [String] = [], organizations: [String] = [],
        cookiePrefix: String? = nil, inactivityTimeout: Int? = nil, maximumDuration: Int? = nil,
        authCheckInterval: Int? = nil
    ) -> [RuleViolation] {
        var out: [RuleViolation] = []
        let customApp = clientId != nil || hasClientSecret
        if let clientId, clientId.trimmingCharacters(in: .whitespaces).isEmpty {
            out.append(.error(field: "clientId", "clientId is empty", hint: "remove it to use ngrok's managed application", code: 1633))
        }
        if clientId != nil && !hasClientSecret {
            out.append(
                .error(
                    field: "clientId", "a custom OAuth application needs a clientSecret as well as a clientId",
                    hint: "add clientSecret: {env: NAME}, or remove clientId to use ngrok's managed application", code: 1633))
        } else if clientId == nil && hasClientSecret {
            out.append(
                .error(
                    field: "clientSecret", "a custom OAuth application needs a clientId as well as a clientSecret",
                    hint: "add clientId, or remove clientSecret to use ngrok's managed application", code: 1633))
        }
        if !customApp && !scopes.isEmpty {
            out.append(
                .error(
                    field: "scopes", "custom scopes need your own OAuth application; ngrok's managed application has fixed scopes",
                    hint: "add clientId and clientSecret, or remove scopes", code: 1634))
        }
        out += ListRules.nonEmptyUnique(scopes, field: "scopes", what: "scope")
        if let interval = authCheckInterval, interval < minAuthCheckInterval {
            out.append(
                .error(
                    field: "authCheckInterval", "authCheckInterval is \(interval)s; the minimum is 3 minutes (180s)",
                    hint: "use 3m or longer", code: 1635, suggestion: "3m"))
        }
        for (i, email) in emailAddresses.enumerated() {
            let field = "emailAddresses[\(i)]"
            if email != email.lowercased() {
                out.append(
                    .error(field: field, "the email address '\(email)' must be lower-case", hint: "write \(email.lowercased())",
                        code: 1667, suggestion: email.lowercased()))
            }
            if !isEmailAddress(email) {
                out.append(.error(field: field, "'\(email)' is not an email address", code: 1643))
            }
        }
        out += ListRules.nonEmptyUnique(emailAddresses, field: "emailAddresses", what: "email address", caseInsensitive: true)
        for (i, domain) in emailDomains.enumerated() {
            let field = "emailDomains[\(i)]"
            if domain != domain.lowercased() {
                out.append(
                    .error(field: field, "the email domain '\(domain)' must be lower-case", hint: "write \(domain.lowercased())",
                        code: 1668, suggestion: domain.lowercased()))
            }
            if domain.hasPrefix("@") {
                out.append(
                    .error(field: field, "the email domain '\(domain)' starts with '@'", hint: "write \(domain.dropFirst())",
                        code: 1639, suggestion: String(domain.dropFirst())))
            } else if !domain.isEmpty, DomainName.validateHostname(domain) != nil || !domain.contains(".") {
                out.append(.error(field: field, "'\(domain)' is not a domain name", hint: "write a domain such as example.com", code: 1639))
            }
        }
        out += ListRules.nonEmptyUnique(emailDomains, field: "emailDomains", what: "email domain", caseInsensitive: true)
        if provider != .github {
            if !teams.isEmpty {
                out.append(.error(field: "teams", "teams are a GitHub constraint; the provider is \(provider.rawValue)", hint: "remove teams or use provider: github", code: 1602))
            }
            if !organizations.isEmpty {
                out.append(
                    .error(field: "organizations", "organizations are a GitHub constraint; the provider is \(provider.rawValue)",
                        hint: "remove organizations or use provider: github", code: 1602))
            }
        }
        for (i, team) in teams.enumerated() where !isGitHubTeam(team) {
            out.append(
                .error(
                    field: "teams[\(i)]", "'\(team)' is not a GitHub team",
                    hint: "write the team's mention handle without '@' (organization/team) or its numeric id", code: 1640,
                    suggestion: team.hasPrefix("@") && isGitHubTeam(String(team.dropFirst())) ? String(team.dropFirst()) : nil))
        }
        out += ListRules.nonEmptyUnique(teams, field: "teams", what: "team", caseInsensitive: true)
        for (i, org) in organizations.enumerated() where org.hasPrefix("@") || org.contains("/") || org.contains(" ") {
            out.append(
                .error(
                    field: "organizations[\(i)]", "'\(org)' is not a GitHub organization handle",
                    hint: "write the mention handle without '@', e.g. ngrok", code: 1602))
        }
        out += ListRules.nonEmptyUnique(organizations, field: "organizations", what: "organization", caseInsensitive: true)
        out += SessionRules.validate(
            cookiePrefix: cookiePrefix, inactivityTimeout: inactivityTimeout, maximumDuration: maximumDuration)
        return out
    }

    public static func validate(_ module: OAuthModule) -> [RuleViolation] {
        validate(
            provider: module.provider, clientId: module.clientId, hasClientSecret: module.clientSecret != nil,
            scopes: module.scopes, emailAddresses: module.emailAddresses, emailDomains: module.emailDomains,
            teams: module.teams, organizations: module.organizations, cookiePrefix: module.cookiePrefix,
            inactivityTimeout: module.inactivityTimeout, maximumDuration: module.maximumDuration,
            authCheckInterval: module.authCheckInterval)
    }

    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: { $0.isWhitespace }) else { return false }
        return parts[1].contains(".") && DomainName.validateHostname(String(parts[1])) == nil
    }

    static func isGitHubTeam(_ text: String) -> Bool {
        if !text.isEmpty && text.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        func slug(_ s: Substring) -> Bool {
            !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        }
        return parts.count == 2 && slug(parts[0]) && slug(parts[1])
    }
}

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

    public static func validate(cookiePrefix: String?, inactivityTimeout: Int?, maximumDuration: Int?) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if let cookiePrefix, let problem = validateCookiePrefix(cookiePrefix) { out.append(problem) }
        if let value = inactivityTimeout {
            if value <= 0 {
                out.append(.error(field: "inactivityTimeout", "inactivityTimeout must be greater than 0 (it is \(value))"))
            } else if value > maxInactivityTimeout {
                out.append(.error(field: "inactivityTimeout", "inactivityTimeout is longer than one year", hint: "use 365d or less", code: 1692))
            }
        }
        if let value = maximumDuration, value <= 0 {
            out.append(.error(field: "maximumDuration", "maximumDuration must be greater than 0 (it is \(value))"))
        }
        return out
    }
}

/// OIDC module rules (ERR_NGROK_1687–1690).
public enum OIDCRules {
    public static let maxIssuerBytes = 255

    public static func validate(
        issuer: String, clientId: String, hasClientSecret: Bool, scopes: [String] = [], cookiePrefix: String? = nil,
        inactivityTimeout: Int? = nil, maximumDuration: Int? = nil
    ) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if issuer.isEmpty {
            out.append(.error(field: "issuer", "issuer is required", hint: "write the provider's base URL, e.g. https://accounts.google.com", code: 1688))
        } else if issuer.utf8.count > maxIssuerBytes {
            out.append(.error(field: "issuer", "issuer is \(issuer.utf8.count) bytes; the maximum is \(maxIssuerBytes)", code: 1687))
        } else if !isHTTPURL(issuer) {
            out.append(.error(field: "issuer", "issuer '\(issuer)' is not an http(s) URL", hint: "write the provider's base URL, e.g. https://accounts.google.com", code: 1602))
        }
        if clientId.trimmingCharacters(in: .whitespaces).isEmpty {
            out.append(.error(field: "clientId", "clientId is required", code: 1689))
        }
        if !hasClientSecret {
            out.append(.error(field: "clientSecret", "clientSecret is required", hint: "add clientSecret: {env: NAME}", code: 1690))
        }
        out += ListRules.nonEmptyUnique(scopes, field: "scopes", what: "scope")
        out += SessionRules.validate(cookiePrefix: cookiePrefix, inactivityTimeout: inactivityTimeout, maximumDuration: maximumDuration)
        return out
    }

    public static func validate(_ module: OIDCModule) -> [RuleViolation] {
        validate(
            issuer: module.issuer, clientId: module.clientId, hasClientSecret: true, scopes: module.scopes,
            cookiePrefix: module.cookiePrefix, inactivityTimeout: module.inactivityTimeout,
            maximumDuration: module.maximumDuration)
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return false
        }
        return scheme == "https" || scheme == "http"
    }
}

/// SAML module rules (ERR_NGROK_1681, 1691, 1693).
public enum SAMLRules {
    public static let nameidFormats = [
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    ]

    public static func validate(
        idpMetadata: String?, idpMetadataUrl: String?, nameidFormat: String? = nil, authorizedGroups: [String] = [],
        cookiePrefix: String? = nil, inactivityTimeout: Int? = nil, maximumDuration: Int? = nil
    ) -> [RuleViolation] {
        var out: [RuleViolation] = []
        let hasMetadata = !(idpMetadata ?? "").isEmpty
        let hasURL = !(idpMetadataUrl ?? "").isEmpty
        if hasMetadata && hasURL {
            out.append(.error(field: "idpMetadataUrl", "only one of idpMetadata and idpMetadataUrl may be set", hint: "remove one of them", code: 1681))
        } else if !hasMetadata && !hasURL {
            out.append(.error(field: "idpMetadata", "SAML needs the identity provider's metadata", hint: "set idpMetadata (the XML) or idpMetadataUrl", code: 1691))
        }
        if hasURL, let url = idpMetadataUrl, !OIDCRules.isHTTPURL(url) {
            out.append(.error(field: "idpMetadataUrl", "idpMetadataUrl '\(url)' is not an http(s) URL", code: 1682))
        }
        if let metadata = idpMetadata, hasMetadata, !metadata.contains("EntityDescriptor") {
            out.append(.error(field: "idpMetadata", "idpMetadata is not SAML metadata (no EntityDescriptor element)", hint: "use the XML document your identity provider publishes", code: 1683))
        }
        if let format = nameidFormat, !format.isEmpty, !nameidFormats.contains(format) {
            out.append(.error(field: "nameidFormat", "nameidFormat '\(format)' is not supported", hint: "use one of " + nameidFormats.joined(separator: ", "), code: 1693))
        }
        out += ListRules.nonEmptyUnique(authorizedGroups, field: "authorizedGroups", what: "group")
        out += SessionRules.validate(cookiePrefix: cookiePrefix, inactivityTimeout: inactivityTimeout, maximumDuration: maximumDuration)
        return out
    }

    public static func validate(_ module: SAMLModule) -> [RuleViolation] {
        validate(
            idpMetadata: module.idpMetadata, idpMetadataUrl: module.idpMetadataUrl, nameidFormat: module.nameidFormat,
            authorizedGroups: module.authorizedGroups, cookiePrefix: module.cookiePrefix,
            inactivityTimeout: module.inactivityTimeout, maximumDuration: module.maximumDuration)
    }
}

/// List checks: no empty entries, no duplicates.
public enum ListRules {
    public static func nonEmptyUnique(_ items: [String], field: String, what: String, caseInsensitive: Bool = false)
        -> [RuleViolation]
    {
        var out: [RuleViolation] = []
        var seen: Set<String> = []
        for (i, item) in items.enumerated() {
            if item.trimmingCharacters(in: .whitespaces).isEmpty {
                out.append(.error(field: "\(field)[\(i)]", "an empty \(what) is listed", hint: "remove it", code: 1651))
                continue
            }
            let key = caseInsensitive ? item.lowercased() : item
            if !seen.insert(key).inserted {
                out.append(.error(field: "\(field)[\(i)]", "the \(what) '\(item)' is listed twice", hint: "list it once", code: 1646))
            }
        }
        return out
    }
}
