import NgrokModel

/// Webhook validation: a known provider; every provider but SNS needs a secret, SNS takes none.
public enum WebhookRules {
    public static var providers: [String] { WebhookValidationModule.providers }

    public static func validateProvider(_ provider: String) -> RuleViolation? {
        if providers.contains(provider) { return nil }
        let upper = provider.uppercased()
        if providers.contains(upper) {
            return .error(
                field: "provider", "the provider '\(provider)' must be written in upper case", hint: "write \(upper)",
                code: 1630, suggestion: upper)
        }
        return .error(
            field: "provider", "'\(provider)' is not a supported webhook provider",
            hint: "use one of " + providers.joined(separator: ", "), code: provider.isEmpty ? 1629 : 1630)
    }

    /// - Parameter hasSecret: whether a secret is configured (its value is never needed).
    public static func validate(provider: String, hasSecret: Bool) -> [RuleViolation] {
        if let problem = validateProvider(provider) { return [problem] }
        if provider == "SNS" && hasSecret {
            return [
                .error(
                    field: "secret", "the SNS provider takes no secret (SNS messages are verified with Amazon's certificates)",
                    hint: "remove secret", code: 1626)
            ]
        }
        if provider != "SNS" && !hasSecret {
            return [
                .error(
                    field: "secret", "the \(provider) provider needs a secret to verify signatures",
                    hint: "add secret: {env: NAME} with the provider's signing secret", code: 1627)
            ]
        }
        return []
    }

    public static func validate(_ module: WebhookValidationModule) -> [RuleViolation] {
        validate(provider: module.provider, hasSecret: module.secret != nil)
    }
}
