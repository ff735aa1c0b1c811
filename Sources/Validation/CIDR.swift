import Foundation

/// An IP network in CIDR notation: an address and a prefix length.
///
/// `CIDR(parsing:)` applies the product rules: IPv4 or IPv6; a bare address means /32 or
/// /128 (unless `requireMask`); the address must be the network's lowest address (the
/// violation's `suggestion` holds the corrected CIDR). `description` is the canonical form
/// the planner compares and the API stores.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The network (lowest) address.
    public let address: IPAddress
    public let prefixLength: Int

    public var family: IPAddress.Family { address.family }

    /// The network containing `address` (host bits cleared).
    public init(network address: IPAddress, prefixLength: Int) {
        precondition(prefixLength >= 0 && prefixLength <= address.family.bitCount, "prefix length out of range")
        self.address = CIDR.mask(address, prefixLength)
        self.prefixLength = prefixLength
    }

    /// Parses and checks `text`.
    /// - Parameters:
    ///   - requireMask: refuse a bare address (the API's IP policy rules do, ERR_NGROK_1413);
    ///     otherwise it means /32 or /128 (manifests, the IP whitelist).
    ///   - requireNetworkAddress: refuse host bits below the prefix (ERR_NGROK_1409).
    public init(parsing text: String, requireMask: Bool = false, requireNetworkAddress: Bool = true)
        throws(RuleViolation)
    {
        let trimmed = CIDR.trimmingBlanks(text)
        guard !trimmed.isEmpty else {
            throw .error(
                "the CIDR is empty", hint: "write an address such as 192.0.2.0/24 or 2001:db8::/32", code: 1406)
        }
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = String(parts[0])
        guard let address = IPAddress(addressText) else {
            throw .error(
                "'\(text)' is not an IPv4 or IPv6 address or network",
                hint: "write an address such as 192.0.2.0/24 or 2001:db8::/32 (no leading zeros, no zone)", code: 1406)
        }
        let bits = address.family.bitCount
        var prefix = bits
        if parts.count == 2 {
            let prefixText = parts[1]
            guard !prefixText.isEmpty, prefixText.count <= 3, prefixText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(prefixText), value <= bits
            else {
                throw .error(
                    "'\(text)' has an invalid prefix length '/\(parts[1])'",
                    hint: "\(address.family.name) prefix lengths are 0 to \(bits)", code: 1406)
            }
            prefix = value
        } else if requireMask {
            throw .error(
                "'\(text)' has no prefix length", hint: "write \(address)/\(bits) for a single address", code: 1413,
                suggestion: "\(address)/\(bits)")
        }
        let network = CIDR.mask(address, prefix)
        if requireNetworkAddress && network != address {
            let corrected = "\(network)/\(prefix)"
            throw .error(
                "'\(text)' is not the lowest address of its network", hint: "use \(corrected)", code: 1409,
                suggestion: corrected)
        }
        self.address = network
        self.prefixLength = prefix
    }

    /// `text` without leading and trailing blanks (tabs and space separators, as Foundation's
    /// `.whitespaces`), without bridging to NSString: the planner canonicalises every CIDR.
    static func trimmingBlanks(_ text: String) -> Substring {
        func blank(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || (scalar.value > 0x7F && scalar.properties.generalCategory == .spaceSeparator)
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !blank($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !blank($0) })!
        return Substring(scalars[first...last])
    }

    /// Same as `init(parsing:…)`, as a `Result`.
    public static func parse(_ text: String, requireMask: Bool = false, requireNetworkAddress: Bool = true)
        -> Result<CIDR, RuleViolation>
    {
        do {
            return .success(
                try CIDR(parsing: text, requireMask: requireMask, requireNetworkAddress: requireNetworkAddress))
        } catch {
            return .failure(error)
        }
    }

    /// The canonical form of `text`, or nil when it does not parse (host bits are refused).
    public static func canonical(_ text: String) -> String? {
        try? CIDR(parsing: text).description
    }

    /// Canonical: `192.0.2.0/24`, `2001:db8::/32`, `203.0.113.7/32`.
    public var description: String { "\(address)/\(prefixLength)" }

    public func contains(_ other: IPAddress) -> Bool {
        other.family == family && CIDR.mask(other, prefixLength) == address
    }

    static func mask(_ address: IPAddress, _ prefix: Int) -> IPAddress {
        var bytes = address.bytes
        for i in bytes.indices {
            let bitsBefore = i * 8
            if bitsBefore >= prefix {
                bytes[i] = 0
            } else if bitsBefore + 8 > prefix {
                let keep = prefix - bitsBefore
                bytes[i] &= UInt8(truncatingIfNeeded: 0xff << (8 - keep))
            }
        }
        return IPAddress(bytes: bytes)!
    }
}
