import Foundation
import NgrokModel
import Testing

@testable import Manifests

/// Hostile input fails fast with a diagnostic, never a crash, a hang or a memory blow-up.
@Suite("Hostile input")
struct HostileInputTests {
    func load(_ text: String, limits: ManifestLimits = .standard) -> (LoadResult, Duration) {
        let fs = InMemoryFileSystem(texts: [
            "ngrokctl.yaml": CorpusCase.standardStack,
            "evil.yaml": text,
        ])
        let clock = ContinuousClock()
        var result: LoadResult?
        let elapsed = clock.measure { result = ManifestLoader(limits: limits).load(root: ".", fileSystem: fs) }
        return (result ?? LoadResult(stack: nil, diagnostics: []), elapsed)
    }

    @Test func billionLaughs() {
        let text = """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
            i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            """
        let (result, elapsed) = load(text)
        #expect(result.diagnostics.contains { $0.message.contains("too large once aliases are expanded") })
        #expect(elapsed < .seconds(1))
    }

    @Test func deepNesting() {
        let depth = 100_000
        let text = "a: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let (result, elapsed) = load(text)
        let d = result.diagnostics.first { $0.message.contains("nesting is too deep") }
        #expect(d != nil)
        #expect(d?.location?.line == 1)
        #expect(elapsed < .seconds(5))
    }

    @Test func deepBlockNesting() {
        var text = ""
        for i in 0..<2000 { text += String(repeating: " ", count: i) + "k:\n" }
        let (result, _) = load(text)
        #expect(result.diagnostics.contains { $0.message.contains("nesting is too deep") })
    }

    @Test func hugeFile() {
        let line = "# " + String(repeating: "x", count: 1000) + "\n"
        let text = String(repeating: line, count: 5000)
        let (result, elapsed) = load(text)
        #expect(result.diagnostics.contains { $0.message.contains("larger than 4194304 bytes") })
        #expect(elapsed < .seconds(1))
    }

    @Test func manyDocuments() {
        let text = String(repeating: "---\na: 1\n", count: 5000)
        let (result, elapsed) = load(text)
        #expect(result.diagnostics.contains { $0.message.contains("too many documents in one file (limit 1000)") })
        #expect(elapsed < .seconds(5))
    }

    @Test func tooManyResources() {
        var limits = ManifestLimits()
        limits.maxResources = 10
        var text = ""
        for i in 0..<20 { text += "---\napiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: p\(i)}\nspec: {}\n" }
        let (result, _) = load(text, limits: limits)
        #expect(result.diagnostics.contains { $0.message.contains("too many resources (limit 10)") })
    }

    @Test func longScalarsAreClipped() {
        let long = String(repeating: "x", count: 100_000)
        let (result, _) = load("apiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: a}\nspec: {action: \(long)}\n")
        let d = result.diagnostics.first
        #expect(d != nil)
        #expect((d?.description.count ?? 0) < 400)
    }

    @Test func nulBytesAndControlCharacters() {
        let (result, _) = load("apiVersion: ngrokctl/v1\u{0}\nkind: IPPolicy\n")
        #expect(result.diagnostics.hasErrors)
    }
}
