import NgrokModel

/// The product rules of one endpoint-configuration module, on its settings. `validate` runs them
/// on manifests and the emulator on request bodies (given the request's values as settings), so a
/// rule is written once, in the module's rules file, and both sides enforce it.
public enum ModuleRules {
    /// Violations with fields relative to the module (`numBuckets`, `scopes[1]`).
    public static func violations(_ settings: ModuleSettings) -> [RuleViolation] {
        switch settings.module {
        case .circuitBreaker: CircuitBreakerRules.validate(CircuitBreakerModule(settings: settings))
        case .requestHeaders, .responseHeaders: HeaderRules.validate(HeadersModule(settings: settings))
        case .tlsTermination: TLSTerminationRules.validate(TLSTerminationModule(settings: settings))
        case .webhookValidation: WebhookRules.validate(WebhookValidationModule(settings: settings))
        case .oauth: OAuthRules.validate(OAuthModule(settings: settings))
        case .oidc: OIDCRules.validate(OIDCModule(settings: settings))
        case .saml: SAMLRules.validate(SAMLModule(settings: settings))
        // A reference list is checked where its meaning is known: names across the stack by the
        // loader and `EndpointConfigurationRules`, IDs by the API.
        case .compression, .ipPolicy, .mutualTls: []
        }
    }
}
