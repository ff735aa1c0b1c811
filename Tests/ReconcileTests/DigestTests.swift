import Crypto
import Testing

@testable import Reconcile

/// Plan files and live fingerprints are SHA-256 (swift-crypto) digests in lowercase hex.
@Suite struct DigestTests {
    @Test func sha256HexKnownVectors() {
        func hex(_ text: String) -> String { Hex.encode(SHA256.hash(data: Array(text.utf8))) }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            hex(String(repeating: "a", count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
