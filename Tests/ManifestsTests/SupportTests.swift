import Foundation
import NgrokModel
import Testing

@testable import Manifests

@Suite("Ignore rules")
struct IgnoreRulesTests {
    @Test(arguments: [
        ("*.draft.yaml", "a/b.draft.yaml", true),
        ("*.draft.yaml", "a/b.yaml", false),
        ("generated/", "generated/x.yaml", true),
        ("generated/", "a/generated/x.yaml", true),
        ("/generated/", "a/generated/x.yaml", false),
        ("a/*.yaml", "a/x.yaml", true),
        ("a/*.yaml", "b/a/x.yaml", false),
        ("**/tmp/*.yaml", "x/y/tmp/z.yaml", true),
        ("a/**/z.yaml", "a/z.yaml", true),
        ("a/**/z.yaml", "a/b/c/z.yaml", true),
        ("x?.yaml", "x1.yaml", true),
        ("x[0-9].yaml", "x7.yaml", true),
        ("x[!0-9].yaml", "x7.yaml", false),
        ("\\#hash.yaml", "#hash.yaml", true),
        ("dir", "dir/file.yaml", true),
    ])
    func patterns(_ pattern: String, _ path: String, _ ignored: Bool) {
        #expect(IgnoreRules(text: pattern).isIgnored(path) == ignored)
    }

    @Test func negationAndOrder() {
        let rules = IgnoreRules(text: "*.yaml\n!keep.yaml\n# comment\n\nexcluded/\n!excluded/keep.yaml\n")
        #expect(rules.isIgnored("a.yaml"))
        #expect(!rules.isIgnored("keep.yaml"))
        #expect(rules.isIgnored("excluded/keep.yaml"))  // a file in an ignored directory stays ignored
    }
}

@Suite("Secret resolver")
struct SecretResolverTests {
    @Test func environment() throws {
        let resolver = SecretResolver(environment: ["A": "value", "E": ""], fileSystem: InMemoryFileSystem(texts: [:]))
        #expect(try resolver.resolve(.env("A")).reveal == "value")
        #expect(throws: SecretResolutionError.self) { try resolver.resolve(.env("MISSING")) }
        do {
            _ = try resolver.resolve(.env("MISSING"))
        } catch {
            #expect(error.description == "environment variable MISSING is not set; export MISSING before running ngrokctl")
            let d = error.diagnostic(at: SourceLocation(file: "a.yaml", line: 3, column: 5), ResourceAddress(.tlsCertificate, "c"))
            #expect(d.description.hasPrefix("a.yaml:3:5: TLSCertificate/c: environment variable MISSING is not set"))
        }
        do {
            _ = try resolver.resolve(.env("E"))
            Issue.record("empty accepted")
        } catch {
            #expect(error.message == "environment variable E is empty")
        }
    }

    @Test func files() throws {
        let fs = InMemoryFileSystem(texts: ["s/secret": "hunter2\n", "s/empty": "\n"])
        let resolver = SecretResolver(environment: [:], fileSystem: fs)
        let value = try resolver.resolve(.file("s/secret"))
        #expect(value.reveal == "hunter2")
        #expect("\(value)" == "(sensitive)")
        do {
            _ = try resolver.resolve(.file("s/nope"))
            Issue.record("missing file accepted")
        } catch {
            #expect(error.message == "cannot read secret file s/nope: no such file")
        }
        do {
            _ = try resolver.resolve(.file("s/empty"))
            Issue.record("empty file accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }
}

@Suite("Paths, names and graphs")
struct SupportTests {
    @Test func paths() {
        #expect(ManifestPath.join("/a/b", "../c/./d") == "/a/c/d")
        #expect(ManifestPath.join("a", "/abs") == "/abs")
        #expect(ManifestPath.join(".", "x.yaml") == "x.yaml")
        #expect(ManifestPath.join("a", "../../x") == "../x")
        #expect(ManifestPath.directory(of: "a/b/c.yaml") == "a/b")
        #expect(ManifestPath.directory(of: "c.yaml") == ".")
    }

    @Test func names() {
        #expect(Names.isValid("a"))
        #expect(Names.isValid("api-https-2"))
        #expect(!Names.isValid("-a"))
        #expect(!Names.isValid("A"))
        #expect(!Names.isValid(String(repeating: "a", count: 64)))
        #expect(Names.isValid(String(repeating: "a", count: 63)))
        #expect(Names.suggestion(for: "My_Policy") == "my-policy")
    }

    @Test func suggestions() {
        #expect(EditDistance.suggestion(for: "acls", among: ["acl", "description"]) == "acl")
        #expect(EditDistance.suggestion(for: "zzz", among: ["acl"]) == nil)
        #expect(EditDistance.suggestion(for: "ipnet", among: ["ipNet"]) == "ipNet")
    }

    @Test func cycles() {
        let edges = ["a": ["b"], "b": ["c"], "c": ["a"], "d": ["d"], "e": ["a"]]
        #expect(ReferenceGraph.cycles(edges) == [["a", "b", "c"], ["d"]])
        #expect(ReferenceGraph.cycles(["a": ["b"], "b": []]).isEmpty)
        var chain: [Int: [Int]] = [:]
        for i in 0..<100_000 { chain[i] = [i + 1] }
        #expect(ReferenceGraph.cycles(chain).isEmpty)
    }
}
