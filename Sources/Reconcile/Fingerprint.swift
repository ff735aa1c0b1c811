import Crypto
import NgrokModel

/// The salted fingerprint of a resource's resolved secret inputs, kept in its ownership marker so
/// that a changed secret is noticed without the secret ever being stored or shown.
public enum Fingerprint {
    /// `secrets` maps a field path to its resolved value; empty → "" (no fingerprint).
    public static func of(stack: String, address: ResourceAddress, secrets: [String: SecretValue]) -> String {
        guard !secrets.isEmpty else { return "" }
        var hasher = SHA256()
        hasher.update(data: Array("ngrokctl-fp-v1\u{0}\(stack)\u{0}\(address)\u{0}".utf8))
        for path in secrets.keys.sorted() {
            hasher.update(data: Array(path.utf8))
            hasher.update(data: [0])
            hasher.update(data: Array(secrets[path]!.reveal.utf8))
            hasher.update(data: [0])
        }
        return Hex.encode(hasher.finalize().prefix(16))
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
