import Crypto
import Foundation
import NgrokModel
import _CryptoExtras

/// The fingerprint of a resource's resolved secret inputs, kept in its ownership marker so that a
/// changed secret is noticed without the secret ever being stored or shown.
///
/// The marker is readable by anyone who can read the account's metadata, and the salt (stack and
/// address) is public, so the derivation is deliberately slow: PBKDF2-HMAC-SHA256 with `rounds`
/// iterations (about 10 ms per resource), written `p2:` + 32 hex digits. Markers written by the
/// earlier scheme (one salted SHA-256, 32 hex digits) are still recognised: a match is not a
/// changed secret, and the marker is rewritten with the new scheme on the next real update.
public enum Fingerprint {
    /// PBKDF2 iterations: about 10 ms per fingerprint on one core (see `make bench`).
    public static let rounds = 40_000
    static let prefix = "p2:"

    /// `secrets` maps a field path to its resolved value; empty → "" (no fingerprint).
    public static func of(stack: String, address: ResourceAddress, secrets: [String: SecretValue]) -> String {
        guard !secrets.isEmpty else { return "" }
        let salt = Array("ngrokctl-fp-v2\u{0}\(stack)\u{0}\(address)".utf8)
        let key = try? KDF.Insecure.PBKDF2.deriveKey(
            from: input(secrets), salt: salt, using: .sha256, outputByteCount: 16, unsafeUncheckedRounds: rounds)
        guard let key else { return legacy(stack: stack, address: address, secrets: secrets) }
        return prefix + key.withUnsafeBytes { Hex.encode($0) }
    }

    /// The earlier scheme (salted SHA-256), kept to recognise existing markers.
    public static func legacy(stack: String, address: ResourceAddress, secrets: [String: SecretValue]) -> String {
        guard !secrets.isEmpty else { return "" }
        var hasher = SHA256()
        hasher.update(data: Array("ngrokctl-fp-v1\u{0}\(stack)\u{0}\(address)\u{0}".utf8))
        hasher.update(data: input(secrets))
        return Hex.encode(hasher.finalize().prefix(16))
    }

    /// Whether a marker's fingerprint was written by the earlier scheme.
    public static func isLegacy(_ fingerprint: String) -> Bool {
        fingerprint.utf8.count == 32 && fingerprint.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Path, value pairs in path order, each followed by a zero byte.
    static func input(_ secrets: [String: SecretValue]) -> [UInt8] {
        var bytes: [UInt8] = []
        for path in secrets.keys.sorted() {
            bytes += Array(path.utf8)
            bytes.append(0)
            bytes += Array(secrets[path]!.reveal.utf8)
            bytes.append(0)
        }
        return bytes
    }

    /// Fingerprints of many resources at once, spread over the cores (PBKDF2 is the slow part of planning).
    static func all(stack: String, secrets: [ResourceAddress: [String: SecretValue]]) -> [ResourceAddress: Pair] {
        let entries = Array(secrets.filter { !$0.value.isEmpty })
        let results = ResultBox(count: entries.count)
        DispatchQueue.concurrentPerform(iterations: entries.count) { i in
            let (address, values) = entries[i]
            results.set(i, Pair(
                current: of(stack: stack, address: address, secrets: values),
                legacy: legacy(stack: stack, address: address, secrets: values)))
        }
        var out: [ResourceAddress: Pair] = [:]
        for (i, entry) in entries.enumerated() { out[entry.key] = results.get(i) }
        return out
    }

    struct Pair: Sendable, Hashable {
        var current: String
        var legacy: String

        /// Whether a live marker's fingerprint stands for the same secrets.
        func matches(_ live: String?) -> Bool {
            guard let live else { return current.isEmpty }
            return live == current || (!legacy.isEmpty && live == legacy)
        }
    }

    private final class ResultBox: @unchecked Sendable {
        private var values: [Pair?]
        private let lock = NSLock()
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: Pair) { lock.withLock { values[i] = value } }
        func get(_ i: Int) -> Pair? { lock.withLock { values[i] } }
    }
}

enum Hex {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xf)])
        }
        return out
    }
}
