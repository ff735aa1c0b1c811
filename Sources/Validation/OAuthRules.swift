import Foundation
import NgrokModel

/// OAuth module rules (ERR_NGROK_1633–1668). Fields are the manifest's (`clientId`, `scopes[1]`).
public enum OAuthRules {
    /// Refreshes happen at most once per 3 minutes.
    public static let minAuthCheckInterval = 180
    /// GitHub scopes that let ngrok read team and organization membership.
    public static let githubOrgScopes: Set<String> = ["read:org", "org", "write:org", "admin:org"]

    /// Scopes ngrok needs from a custom application to identify the user, per provider: each inner
    /// list is one requirement, met by any of its scopes (a wider scope works too).
    public static let requiredScopes: [OAuthProvider: [[String]]] = [
        .google: [
            ["https://www.googleapis.com/auth/userinfo.email", "email"],
            ["https://www.googleapis.com/auth/userinfo.profile", "profile"],
        ],
        .microsoft: [["User.Read", "User.Read.All", "User.ReadWrite", "User.ReadWrite.All"]],
        .github: [["read:user", "user"]],
        .facebook: [["email"]],
    ]

    /// The first required scope `scopes` does not meet (ERR_NGROK_1638), or nil.
    public static func missingRequiredScopes(_ provider: OAuthProvider, _ scopes: [String]) -> String? {
        let have = Set(scopes.map { $0.lowercased() })
        for requirement in requiredScopes[provider] ?? [] where !requirement.contains(where: { have.contains($0.lowercased()) }) {
            return requirement[0]
        }
        return nil
    }

    /// The wire `provider` object must have exactly one non-null provider key (1636 / 1637).
    public static func parseProvider(keys: [String]) -> Result<OAuthProvider, RuleViolation> {
        let known = OAuthProvider.allCases.map(\.rawValue).joined(separator: ", ")
        guard !keys.isEmpty else {
            return .failure(
                .error(field: "provider", "an OAuth provider is required", hint: "use one of \(known)", code: 1637))
        }
        guard keys.count == 1 else {
            return .failure(
                .error(
                    field: "provider",
                    "only one OAuth provider may be set (found \(keys.sorted().joined(separator: ", ")))",
                    code: 1636))
        }
        guard let provider = OAuthProvider(rawValue: keys[0]) else {
            return .failure(
                .error(
                    field: "provider", "'\(keys[0])' is not a supported OAuth provider", hint: "use one of \(known)",
                    code: 1602))
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
            out.append(
                .error(
                    field: "clientId", "clientId is empty", hint: "remove it to use ngrok's managed application",
                    code: 1633))
        }
        if clientId != nil && !hasClientSecret {
            out.append(
                .error(
                    field: "clientId", "a custom OAuth application needs a clientSecret as well as a clientId",
                    hint: "add clientSecret: {env: NAME}, or remove clientId to use ngrok's managed application",
                    code: 1633))
        } else if clientId == nil && hasClientSecret {
            out.append(
                .error(
                    field: "clientSecret", "a custom OAuth application needs a clientId as well as a clientSecret",
                    hint: "add clientId, or remove clientSecret to use ngrok's managed application", code: 1633))
        }
        if !customApp && !scopes.isEmpty {
            out.append(
                .error(
                    field: "scopes",
                    "custom scopes need your own OAuth application; ngrok's managed application has fixed scopes",
                    hint: "add clientId and clientSecret, or remove scopes", code: 1634))
        }
        out += ListRules.nonEmptyUnique(scopes, field: "scopes", what: "scope")
        if customApp, !scopes.isEmpty, let missing = missingRequiredScopes(provider, scopes) {
            out.append(
                .error(
                    field: "scopes",
                    "ngrok needs the \(missing) scope from a custom \(provider.rawValue) application, which scopes lacks",
                    hint: "add \(missing) to scopes (and to the application), or leave scopes empty", code: 1638))
        }
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
                    .error(
                        field: field, "the email address '\(email)' must be lower-case",
                        hint: "write \(email.lowercased())",
                        code: 1667, suggestion: email.lowercased()))
            }
            if !isEmailAddress(email) {
                out.append(.error(field: field, "'\(email)' is not an email address", code: 1643))
            }
        }
        out += ListRules.nonEmptyUnique(
            emailAddresses, field: "emailAddresses", what: "email address", caseInsensitive: true)
        for (i, domain) in emailDomains.enumerated() {
            let field = "emailDomains[\(i)]"
            if domain != domain.lowercased() {
                out.append(
                    .error(
                        field: field, "the email domain '\(domain)' must be lower-case",
                        hint: "write \(domain.lowercased())",
                        code: 1668, suggestion: domain.lowercased()))
            }
            if domain.hasPrefix("@") {
                out.append(
                    .error(
                        field: field, "the email domain '\(domain)' starts with '@'",
                        hint: "write \(domain.dropFirst())",
                        code: 1639, suggestion: String(domain.dropFirst())))
            } else if !domain.isEmpty, DomainName.validateHostname(domain) != nil || !domain.contains(".") {
                out.append(
                    .error(
                        field: field, "'\(domain)' is not a domain name", hint: "write a domain such as example.com",
                        code: 1639))
            }
        }
        out += ListRules.nonEmptyUnique(
            emailDomains, field: "emailDomains", what: "email domain", caseInsensitive: true)
        if provider != .github {
            if !teams.isEmpty {
                out.append(
                    .error(
                        field: "teams", "teams are a GitHub constraint; the provider is \(provider.rawValue)",
                        hint: "remove teams or use provider: github", code: 1602))
            }
            if !organizations.isEmpty {
                out.append(
                    .error(
                        field: "organizations",
                        "organizations are a GitHub constraint; the provider is \(provider.rawValue)",
                        hint: "remove organizations or use provider: github", code: 1602))
            }
        }
        for (i, team) in teams.enumerated() where !isGitHubTeam(team) {
            out.append(
                .error(
                    field: "teams[\(i)]", "'\(team)' is not a GitHub team",
                    hint: "write the team's mention handle without '@' (organization/team) or its numeric id",
                    code: 1640,
                    suggestion: team.hasPrefix("@") && isGitHubTeam(String(team.dropFirst()))
                        ? String(team.dropFirst()) : nil))
        }
        out += ListRules.nonEmptyUnique(teams, field: "teams", what: "team", caseInsensitive: true)
        for (i, org) in organizations.enumerated() where org.hasPrefix("@") || org.contains("/") || org.contains(" ") {
            out.append(
                .error(
                    field: "organizations[\(i)]", "'\(org)' is not a GitHub organization handle",
                    hint: "write the mention handle without '@', e.g. ngrok", code: 1602))
        }
        out += ListRules.nonEmptyUnique(
            organizations, field: "organizations", what: "organization", caseInsensitive: true)
        if provider == .github, customApp, !scopes.isEmpty, !(teams.isEmpty && organizations.isEmpty),
            !scopes.contains(where: { githubOrgScopes.contains($0.lowercased()) })
        {
            out.append(
                .warning(
                    field: "scopes", "team and organization constraints need the read:org scope, which scopes lacks",
                    hint: "add read:org (or a wider scope such as org) to scopes"))
        }
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
            !s.isEmpty
                && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        }
        return parts.count == 2 && slug(parts[0]) && slug(parts[1])
    }
}
