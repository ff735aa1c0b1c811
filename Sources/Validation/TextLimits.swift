import NgrokModel

/// `description` and `metadata` limits (bytes, as the API counts them).
public enum TextLimits {
    public static let maxDescriptionBytes = 255
    public static let maxMetadataBytes = 4096
    /// The API's error number for an IP policy rule's too-long description.
    public static let ruleDescriptionCode = 1421
    /// The length of the fingerprint ngrokctl writes into the marker (SHA-256, hex).
    public static let markerFingerprintLength = 64

    /// The API's error numbers for a too-long description and metadata of each kind
    /// (generic ERR_NGROK_100 where the API has no specific one; the TLS certificate / CA
    /// split of 1914–1917 is inferred from the error list's order).
    public static func apiErrorCodes(for kind: Kind) -> (description: Int, metadata: Int) {
        switch kind {
        case .reservedDomain: (420, 421)
        case .reservedAddress: (504, 505)
        case .credential: (604, 605)
        case .endpointConfiguration: (1673, 1674)
        case .tlsCertificate: (1914, 1915)
        case .certificateAuthority: (1916, 1917)
        case .ipPolicy, .ipWhitelistEntry: (215, 100)
        }
    }

    /// `description` ≤ 255 bytes.
    public static func validateDescription(_ text: String, code: Int? = nil) -> RuleViolation? {
        validateLength(of: "description", text, maximum: maxDescriptionBytes, code: code)
    }

    /// A raw API `metadata` string ≤ 4096 bytes (what a server checks).
    public static func validateMetadata(_ text: String, code: Int? = nil) -> RuleViolation? {
        validateLength(of: "metadata", text, maximum: maxMetadataBytes, code: code)
    }

    private static func validateLength(of field: String, _ text: String, maximum: Int, code: Int?) -> RuleViolation? {
        let count = text.utf8.count
        guard count > maximum else { return nil }
        return .error(
            "the \(field) is \(count) bytes; the maximum is \(maximum)",
            hint: "shorten it by \(count - maximum) bytes", code: code ?? 100)
    }

    /// A spec's own `metadata`, checked after ngrokctl wraps it in the ownership marker
    /// (with a 64-character fingerprint), since that whole string is what the API stores.
    public static func validateUserMetadata(
        _ text: String, stack: String, address: ResourceAddress, code: Int? = nil
    ) -> RuleViolation? {
        let marker = OwnershipMarker(
            stack: stack, address: address, fingerprint: String(repeating: "0", count: markerFingerprintLength),
            userMetadata: text
        ).encoded
        let count = marker.utf8.count
        guard count > maxMetadataBytes else { return nil }
        let overhead = count - text.utf8.count
        return .error(
            "the metadata is \(text.utf8.count) bytes; with ngrokctl's ownership marker (\(overhead) bytes) it exceeds the API's \(maxMetadataBytes)-byte limit",
            hint:
                "keep it under \(max(0, maxMetadataBytes - overhead)) bytes (shorten it by \(count - maxMetadataBytes))",
            code: code ?? apiErrorCodes(for: address.kind).metadata)
    }
}
