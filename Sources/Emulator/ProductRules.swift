#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The product-rule primitives the emulator applies to requests. Each is a thin call site: where the
/// shared Validation module offers the rule, it is used from there.
enum ProductRules {
    // MARK: CIDR

    struct CIDR: Equatable {
        var address: [UInt8]
        var prefixLength: Int
        var isIPv6: Bool { address.count == 16 }
        /// Canonical text, e.g. `10.0.0.0/8`, `2001:db8::/32`.
        var text: String { "\(ProductRules.formatAddress(address))/\(prefixLength)" }
        /// The same network with host bits cleared.
        var lowest: CIDR {
            var bytes = address
            for i in bytes.indices {
                let bitsBefore = i * 8
                if bitsBefore >= prefixLength { bytes[i] = 0 } else if prefixLength - bitsBefore < 8 {
                    bytes[i] &= UInt8(0xFF) << UInt8(8 - (prefixLength - bitsBefore))
                }
            }
            return CIDR(address: bytes, prefixLength: prefixLength)
        }
    }

    enum CIDRProblem: Error, Equatable {
        case invalid
        case missingMask
        case notLowest(suggestion: String)
    }

    static func parseAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if text.contains("."), !text.contains(":"), inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if text.contains(":"), inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    static func formatAddress(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A CIDR with an explicit mask whose address is the network's lowest (IP policy rules).
    static func parseStrictCIDR(_ text: String) -> Result<CIDR, CIDRProblem> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = parseAddress(String(parts[0])) else { return .failure(.invalid) }
        guard parts.count == 2 else { return .failure(.missingMask) }
        guard let length = Int(parts[1]), length >= 0, length <= address.count * 8,
            parts[1].allSatisfy(\.isNumber)
        else { return .failure(.invalid) }
        let cidr = CIDR(address: address, prefixLength: length)
        if cidr.lowest != cidr { return .failure(.notLowest(suggestion: cidr.lowest.text)) }
        return .success(cidr)
    }

    /// An IP (→ /32 or /128) or a CIDR (IP whitelist entries).
    static func parseIPOrCIDR(_ text: String) -> Result<CIDR, CIDRProblem> {
        if !text.contains("/"), let address = parseAddress(text) {
            return .success(CIDR(address: address, prefixLength: address.count * 8))
        }
        return parseStrictCIDR(text)
    }

    // MARK: Credentials

    /// `*` or `bind:<domain>`, `bind:*.<domain>`, `bind:<host>:<port>`.
    static func isValidACLRule(_ rule: String) -> Bool {
        if rule == "*" { return true }
        guard rule.hasPrefix("bind:") else { return false }
        var value = Substring(rule.dropFirst(5))
        guard !value.isEmpty else { return false }
        if let colon = value.lastIndex(of: ":") {
            let port = value[value.index(after: colon)...]
            guard let p = Int(port), p > 0, p < 65536 else { return false }
            value = value[..<colon]
        }
        if value.hasPrefix("*.") { value = value.dropFirst(2) }
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    // MARK: Headers

    /// RFC 7230 token characters.
    static func isValidHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { s in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(s))
        }
    }

    static func isValidHeaderValue(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F) }
    }

    // MARK: OAuth / OIDC / SAML

    static func isValidCookiePrefix(_ prefix: String) -> Bool {
        prefix.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == ".") }
    }
}
