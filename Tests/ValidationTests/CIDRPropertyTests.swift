import NgrokModel
import Testing
import Validation

/// Round trips over many generated addresses (a fixed-seed generator, so failures reproduce).
@Suite struct CIDRPropertyTests {
    @Test func canonicalTextParsesBackToTheSameNetwork() throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            let v6 = Bool.random(using: &rng)
            var bytes = (0..<(v6 ? 16 : 4)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Runs of zero groups exercise `::` compression.
            if v6 && Bool.random(using: &rng) {
                let start = Int.random(in: 0..<16, using: &rng)
                let length = Int.random(in: 0...(16 - start), using: &rng)
                for i in start..<(start + length) { bytes[i] = 0 }
            }
            let address = try #require(IPAddress(bytes: bytes))
            let text = address.description
            let reparsed = try #require(IPAddress(text), "\(text)")
            #expect(reparsed == address, "\(text)")
            let prefix = Int.random(in: 0...(v6 ? 128 : 32), using: &rng)
            let network = CIDR(network: address, prefixLength: prefix)
            let again = try CIDR(parsing: network.description)
            #expect(again == network)
            #expect(again.description == network.description)
            #expect(network.contains(address))
            if network.address != address {
                guard case .failure(let problem) = CIDR.parse("\(text)/\(prefix)") else {
                    Issue.record("\(text)/\(prefix) has host bits")
                    continue
                }
                #expect(problem.suggestion == network.description)
            }
        }
    }

    @Test func arbitraryTextNeverCrashes() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("0123456789abcdefABCDEF:./%[] -xz")
        for _ in 0..<5000 {
            let count = Int.random(in: 0...45, using: &rng)
            let text = String((0..<count).map { _ in alphabet.randomElement(using: &rng)! })
            if case .success(let cidr) = CIDR.parse(text) {
                #expect(CIDR.canonical(cidr.description) == cidr.description)
            }
        }
    }
}
