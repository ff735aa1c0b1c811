import Foundation
import NgrokModel

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
            out.append(
                .error(
                    field: "idpMetadataUrl", "only one of idpMetadata and idpMetadataUrl may be set",
                    hint: "remove one of them", code: 1681))
        } else if !hasMetadata && !hasURL {
            out.append(
                .error(
                    field: "idpMetadata", "SAML needs the identity provider's metadata",
                    hint: "set idpMetadata (the XML) or idpMetadataUrl", code: 1691))
        }
        if hasURL, let url = idpMetadataUrl, !OIDCRules.isHTTPURL(url) {
            out.append(.error(field: "idpMetadataUrl", "idpMetadataUrl '\(url)' is not an http(s) URL", code: 1682))
        }
        if let metadata = idpMetadata, hasMetadata, !metadata.contains("EntityDescriptor") {
            out.append(
                .error(
                    field: "idpMetadata", "idpMetadata is not SAML metadata (no EntityDescriptor element)",
                    hint: "use the XML document your identity provider publishes", code: 1683))
        }
        if let format = nameidFormat, !format.isEmpty, !nameidFormats.contains(format) {
            out.append(
                .error(
                    field: "nameidFormat", "nameidFormat '\(format)' is not supported",
                    hint: "use one of " + nameidFormats.joined(separator: ", "), code: 1693))
        }
        out += ListRules.nonEmptyUnique(authorizedGroups, field: "authorizedGroups", what: "group")
        out += SessionRules.validate(
            cookiePrefix: cookiePrefix, inactivityTimeout: inactivityTimeout, maximumDuration: maximumDuration)
        return out
    }

    public static func validate(_ module: SAMLModule) -> [RuleViolation] {
        validate(
            idpMetadata: module.idpMetadata, idpMetadataUrl: module.idpMetadataUrl, nameidFormat: module.nameidFormat,
            authorizedGroups: module.authorizedGroups, cookiePrefix: module.cookiePrefix,
            inactivityTimeout: module.inactivityTimeout, maximumDuration: module.maximumDuration)
    }
}
