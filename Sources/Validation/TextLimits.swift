import NgrokModel

/// `description` and `metadata` limits (bytes, as the API counts them).
public enum TextLimits {
    public static let maxDescriptionBytes = 255
    public static let maxMetadataBytes = 4096
    /// The length of the fingerprint ngrokctl writes into the marker (SHA-256, hex).
    public static let markerFingerprintLength = 64

    /// `description` ≤ 255 bytes.
    public static func validateDescription(_ text: String, code: Int? = nil) -> RuleViolation? {
        let count = text.utf8.count
        guard count > maxDescriptionBytes else { return nil }
        return .error(
            "the description is \(count) bytes; the maximum is \(maxDescriptionBytes)",
            hint: "shorten it by \(count - maxDescriptionBytes) bytes", code: code ?? 100)
    }

    /// A raw API `metadata` string ≤ 4096 bytes (what a server checks).
    public static func validateMetadata(_ text: String, code: Int? = nil) -> RuleViolation? {
        let count = text.utf8.count
        guard count > maxMetadataBytes else { return nil }
        return .error(
            "the metadata is \(count) bytes; the maximum is \(maxMetadataBytes)",
            hint: "shorten it by \(count - maxMetadataBytes) bytes", code: code ?? 100)
    }

    /// A spec's own `metadata`, checked after ngrokctl wraps it in the ownership marker
    /// (with a 64-character fingerprint), since that whole string is what the API stores.
    public static func validateUserMetadata(_ text: String, stack: String, address: ResourceAddress) -> RuleViolation? {
        let marker = OwnershipMarker(
            stack: stack, address: address, fingerprint: String(repeating: "0", count: markerFingerprintLength),
            userMetadata: text
        ).encoded
        let count = marker.utf8.count
        guard count > maxMetadataBytes else { return nil }
        let overhead = count - text.utf8.count
        return .error(
            "the metadata is \(text.utf8.count) bytes; with ngrokctl's ownership marker (\(overhead) bytes) it exceeds the API's \(maxMetadataBytes)-byte limit",
            hint: "keep it under \(max(0, maxMetadataBytes - overhead)) bytes (shorten it by \(count - maxMetadataBytes))",
            code: 100)
    }
}
