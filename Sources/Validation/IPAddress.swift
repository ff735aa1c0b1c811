import Foundation

/// An IPv4 or IPv6 address, parsed strictly and printed canonically
/// (IPv4 dotted decimal; IPv6 per RFC 5952: lower-case, longest zero run compressed,
/// IPv4-mapped addresses as `::ffff:a.b.c.d`).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable {
        case v4
        case v6

        /// 32 or 128.
        public var bitCount: Int { self == .v4 ? 32 : 128 }
        public var name: String { self == .v4 ? "IPv4" : "IPv6" }
    }

    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    public let bytes: [UInt8]

    public var family: Family { bytes.count == 4 ? .v4 : .v6 }

    /// From 4 or 16 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses an IPv4 (`192.0.2.1`, no leading zeros) or IPv6 (`2001:db8::1`, with an optional
    /// embedded IPv4 tail) address. Zone ids (`%eth0`) and brackets are rejected.
    public init?(_ text: String) {
        if text.utf8.contains(UInt8(ascii: ":")) {
            guard let parsed = IPAddress.parseV6(Substring(text)) else { return nil }
            bytes = parsed
        } else {
            guard let parsed = IPAddress.parseV4(Substring(text)) else { return nil }
            bytes = parsed
        }
    }

    public var description: String {
        if family == .v4 { return bytes.map(String.init).joined(separator: ".") }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return "::ffff:" + bytes[12...].map(String.init).joined(separator: ".")
        }
        let groups = (0..<8).map { Int(bytes[2 * $0]) << 8 | Int(bytes[2 * $0 + 1]) }
        // Longest run of zero groups (length ≥ 2), first one on ties.
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestLength >= 2 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    /// Four dot-separated decimal octets of one to three ASCII digits each.
    static func parseV4(_ text: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(4)
        var value = 0
        var digits = 0
        var leadingZero = false
        func finishOctet() -> Bool {
            // Leading zeros are ambiguous (octal in some parsers): refuse them.
            guard digits > 0, digits <= 3, value <= 255, !(leadingZero && digits > 1), out.count < 4 else { return false }
            out.append(UInt8(value))
            (value, digits, leadingZero) = (0, 0, false)
            return true
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if digits == 0 { leadingZero = byte == UInt8(ascii: "0") }
                digits += 1
                guard digits <= 3 else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "."):
                guard finishOctet() else { return nil }
            default:
                return nil
            }
        }
        guard finishOctet(), out.count == 4 else { return nil }
        return out
    }

    static func parseV6(_ text: Substring) -> [UInt8]? {
        guard !text.isEmpty else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }

        func groups(_ part: String, allowV4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var out: [UInt16] = []
            for (i, piece) in pieces.enumerated() {
                if i == pieces.count - 1 && allowV4Tail && piece.contains(".") {
                    guard let v4 = parseV4(piece) else { return nil }
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard !piece.isEmpty, piece.count <= 4, piece.allSatisfy({ $0.isHexDigit && $0.isASCII }),
                    let value = UInt16(piece, radix: 16)
                else { return nil }
                out.append(value)
            }
            return out
        }

        var all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowV4Tail: false), let tail = groups(halves[1], allowV4Tail: true),
                head.count + tail.count <= 7
            else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(halves[0], allowV4Tail: true), only.count == 8 else { return nil }
            all = only
        }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }
}
