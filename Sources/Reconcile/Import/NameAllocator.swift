import Foundation
import NgrokModel

/// Manifest names for objects that have none: derived from the description, domain or address,
/// valid (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters) and unique per kind (`-2`, `-3`, …
/// in creation order), so the same account always gives the same names.
public struct NameAllocator: Sendable {
    public static let maxLength = 63
    private var taken: Set<String> = []

    public init() {}

    /// Reserves `name` as is; false when it is taken or not a valid name.
    public mutating func claim(_ name: String) -> Bool {
        guard Self.isValid(name), !taken.contains(name) else { return false }
        taken.insert(name)
        return true
    }

    /// `base` when free, else `base-2`, `base-3`, … (shortened to fit).
    public mutating func allocate(_ base: String) -> String {
        let base = Self.isValid(base) ? base : "object"
        if taken.insert(base).inserted { return base }
        var n = 2
        while true {
            let suffix = "-\(n)"
            var stem = String(base.prefix(Self.maxLength - suffix.count))
            while stem.hasSuffix("-") { stem.removeLast() }
            let candidate = stem + suffix
            if taken.insert(candidate).inserted { return candidate }
            n += 1
        }
    }

    public static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maxLength, name.first != "-", name.last != "-" else { return false }
        return name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }

    /// Lower-case ASCII letters and digits, everything else folded or turned into single dashes.
    public static func slug(_ text: String, maxLength: Int = 48) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        var out = ""
        var dash = false
        for scalar in folded.unicodeScalars {
            let isWordChar = (scalar.value >= 97 && scalar.value <= 122) || (scalar.value >= 48 && scalar.value <= 57)
            if isWordChar {
                if dash, !out.isEmpty { out.append("-") }
                dash = false
                out.unicodeScalars.append(scalar)
                if out.count >= maxLength { break }
            } else {
                dash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// The name a live object gets: from its description, domain, address or network, else its kind.
    public static func base(for object: LiveObject, kind: Kind) -> String {
        let json = object.json
        let description = slug(json["description"]?.stringValue ?? "")
        switch kind {
        case .reservedDomain:
            let domain = (json["domain"]?.stringValue ?? json["name"]?.stringValue ?? "").lowercased()
            let s = slug(domain.hasPrefix("*.") ? "wildcard." + domain.dropFirst(2) : domain)
            return s.isEmpty ? (description.isEmpty ? "domain" : description) : s
        case .reservedAddress:
            if !description.isEmpty { return description }
            let s = slug(json["addr"]?.stringValue ?? "")
            return s.isEmpty ? "address" : "addr-" + s
        case .ipWhitelistEntry:
            if !description.isEmpty { return description }
            let s = slug(json["ip_net"]?.stringValue ?? "")
            return s.isEmpty ? "whitelist" : "net-" + s
        case .credential: return description.isEmpty ? "credential" : description
        case .ipPolicy: return description.isEmpty ? "ip-policy" : description
        case .certificateAuthority: return description.isEmpty ? "certificate-authority" : description
        case .tlsCertificate: return description.isEmpty ? "certificate" : description
        case .endpointConfiguration:
            if !description.isEmpty { return description }
            return (json["type"]?.stringValue).map { "\(slug($0))-configuration" } ?? "configuration"
        }
    }
}
