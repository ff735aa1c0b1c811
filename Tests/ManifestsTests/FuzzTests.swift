import Foundation
import NgrokModel
import Testing

@testable import Manifests

/// Random mutations of valid manifests never crash or hang the loader.
@Suite("Mutation fuzzing")
struct FuzzTests {
    static func seeds() throws -> [String] {
        var texts: [String] = []
        for name in CorpusCase.allNames() where name.hasPrefix("good-") {
            texts.append(try CorpusCase.load(name).text)
        }
        let fs = DirectoryFileSystem()
        let production = TestPaths.examples + "/production"
        for file in try fs.listFiles(under: production) where file.hasSuffix(".yaml") {
            texts.append(try String(contentsOfFile: production + "/" + file, encoding: .utf8))
        }
        return texts
    }

    static func mutate(_ text: String, _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = Array(text.utf8)
        let rounds = Int.random(in: 1...4, using: &rng)
        for _ in 0..<rounds where !bytes.isEmpty {
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1: bytes.remove(at: i)
            case 2:
                let specials = Array(":-[]{}&*!|>'\"#%@`,?\t\n ".utf8)
                bytes.insert(specials[Int.random(in: 0..<specials.count, using: &rng)], at: i)
            default:
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
                let l = Int.random(in: 0..<lines.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: lines.insert(lines[l], at: l)  // duplicated line
                case 1: lines[l] = Array("  ".utf8) + lines[l]  // deeper indentation
                default:
                    let m = Int.random(in: 0..<lines.count, using: &rng)
                    let a = lines[l].prefix { $0 == UInt8(ascii: " ") }.count
                    let b = lines[m].prefix { $0 == UInt8(ascii: " ") }.count
                    lines[l] = Array(repeating: UInt8(ascii: " "), count: b) + lines[l].dropFirst(a)  // swapped indentation
                    lines[m] = Array(repeating: UInt8(ascii: " "), count: a) + lines[m].dropFirst(b)
                }
                bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            }
        }
        return bytes
    }

    @Test func mutationsNeverCrash() throws {
        let seeds = try Self.seeds()
        try #require(!seeds.isEmpty)
        var rng = SplitMix64(seed: 0x6E67_726F_6B63_746C)
        let clock = ContinuousClock()
        let start = clock.now
        var rejected = 0
        for iteration in 0..<2000 {
            let seed = seeds[iteration % seeds.count]
            let mutated = Self.mutate(seed, &rng)
            var files = CorpusCase.fixtures.mapValues { Array($0.utf8) }
            files["ngrokctl.yaml"] = Array(CorpusCase.standardStack.utf8)
            files["fuzz.yaml"] = mutated
            let result = ManifestLoader(checksSecretFiles: false).load(
                root: ".", fileSystem: InMemoryFileSystem(files: files))
            if result.diagnostics.hasErrors { rejected += 1 }
            for d in result.diagnostics { #expect(d.location == nil || d.location?.line ?? 0 >= 1) }
        }
        #expect(rejected > 100)
        #expect(clock.now - start < .seconds(60))
    }
}
