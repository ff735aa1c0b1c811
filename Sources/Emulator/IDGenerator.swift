import Foundation
import Synchronization

/// KSUID-like identifiers: `<prefix>_<27 base62 chars>` encoding 4 bytes of seconds since the KSUID
/// epoch (2014-05-13) and 16 bytes of payload. Every identifier is strictly greater than the one before
/// (also within one second and across restarts, once `observe` has seen the stored IDs), so the
/// lexical order of IDs is their creation order, as the API's pagination expects.
final class IDGenerator: Sendable {
    static let epoch: Int64 = 1_400_000_000
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    private let last = Mutex<[UInt8]>([UInt8](repeating: 0, count: 20))
    private let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// A new identifier with the given prefix (without the underscore).
    func make(_ prefix: String) -> String {
        "\(prefix)_\(nextKSUID())"
    }

    /// The next 27-character KSUID.
    func nextKSUID() -> String {
        let seconds = max(0, Int64(clock().timeIntervalSince1970) - Self.epoch)
        var candidate = [UInt8](repeating: 0, count: 20)
        let ts = UInt32(truncatingIfNeeded: seconds)
        candidate[0] = UInt8(ts >> 24)
        candidate[1] = UInt8((ts >> 16) & 0xFF)
        candidate[2] = UInt8((ts >> 8) & 0xFF)
        candidate[3] = UInt8(ts & 0xFF)
        var rng = SystemRandomNumberGenerator()
        // Keep the payload's top bit clear so that increments within one second never overflow.
        for i in 4..<20 { candidate[i] = UInt8.random(in: 0...255, using: &rng) }
        candidate[4] &= 0x7F
        let bytes = last.withLock { last -> [UInt8] in
            if candidate.lexicographicallyPrecedes(last) || candidate == last {
                var next = last
                Self.increment(&next)
                last = next
            } else {
                last = candidate
            }
            return last
        }
        return Self.encode(bytes)
    }

    /// Makes every later identifier greater than `id` (used at start-up with the stored IDs).
    func observe(_ id: String) {
        guard let underscore = id.lastIndex(of: "_"),
            let bytes = Self.decode(String(id[id.index(after: underscore)...]))
        else { return }
        last.withLock { last in
            if last.lexicographicallyPrecedes(bytes) { last = bytes }
        }
    }

    static func increment(_ bytes: inout [UInt8]) {
        var i = bytes.count - 1
        while i >= 0 {
            if bytes[i] == 0xFF {
                bytes[i] = 0
                i -= 1
            } else {
                bytes[i] += 1
                return
            }
        }
    }

    /// Base62 of a 20-byte big-endian number, left-padded with '0' to 27 characters.
    static func encode(_ bytes: [UInt8]) -> String {
        var number = bytes
        var digits: [UInt8] = []
        while number.contains(where: { $0 != 0 }) {
            var remainder = 0
            for i in number.indices {
                let value = remainder * 256 + Int(number[i])
                number[i] = UInt8(value / 62)
                remainder = value % 62
            }
            digits.append(alphabet[remainder])
        }
        while digits.count < 27 { digits.append(alphabet[0]) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// The 20 bytes of a 27-character base62 KSUID, or nil.
    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count == 27 else { return nil }
        var number = [UInt8](repeating: 0, count: 20)
        for c in chars {
            guard let digit = alphabet.firstIndex(of: c) else { return nil }
            var carry = digit
            for i in stride(from: 19, through: 0, by: -1) {
                let value = Int(number[i]) * 62 + carry
                number[i] = UInt8(value & 0xFF)
                carry = value >> 8
            }
            if carry != 0 { return nil }
        }
        return number
    }

    /// `count` random base62 characters (credential token secrets).
    static func randomBase62(_ count: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return String(decoding: (0..<count).map { _ in alphabet[Int.random(in: 0..<62, using: &rng)] }, as: UTF8.self)
    }

    /// Whether `id` looks like `<prefix>_<27 base62 chars>` for some prefix.
    static func isWellFormed(_ id: String) -> Bool {
        guard let underscore = id.lastIndex(of: "_") else { return false }
        let prefix = id[..<underscore]
        return !prefix.isEmpty && prefix.allSatisfy { $0.isLetter && $0.isLowercase }
            && decode(String(id[id.index(after: underscore)...])) != nil
    }
}
