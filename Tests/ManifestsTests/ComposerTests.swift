import Foundation
import Testing

@testable import Manifests

@Suite("YAML composer")
struct ComposerTests {
    func compose(_ text: String, _ limits: ManifestLimits = .standard) -> YAMLComposer.Output {
        YAMLComposer(limits: limits).compose(Array(text.utf8))
    }

    @Test func marksAreOneBased() throws {
        let out = compose("a:\n  b: [x, 'y']\n")
        let root = try #require(out.documents.first?.root)
        #expect(root.mark == YAMLMark(line: 1, column: 1))
        guard case .mapping(let pairs) = root.content, case .mapping(let inner) = pairs[0].value.content,
            case .sequence(let items) = inner[0].value.content
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(inner[0].key.mark == YAMLMark(line: 2, column: 3))
        #expect(items[1].mark == YAMLMark(line: 2, column: 10))
        #expect(items[1].content.isQuoted)
    }

    @Test func keepsDuplicateKeysInOrder() throws {
        let out = compose("a: 1\nb: 2\na: 3\n")
        guard case .mapping(let pairs)? = out.documents.first?.root.content else {
            Issue.record("no mapping")
            return
        }
        #expect(pairs.map { $0.key.scalar } == ["a", "b", "a"])
    }

    @Test func noYAML11Coercion() throws {
        let out = compose("[no, on, 0777, 1e3, yes, ~]")
        guard case .sequence(let items)? = out.documents.first?.root.content else {
            Issue.record("no sequence")
            return
        }
        #expect(items.map(\.scalar) == ["no", "on", "0777", "1e3", "yes", "~"])
        #expect(items.map(\.isNull) == [false, false, false, false, false, true])
    }

    @Test func multipleDocuments() {
        let out = compose("a: 1\n---\nb: 2\n---\n")
        #expect(out.documents.count == 3)
        #expect(out.documents[1].start == YAMLMark(line: 2, column: 1))
    }

    @Test func syntaxErrorHasMark() throws {
        let out = compose("a: [1, 2\nb: 3\n")
        let problem = try #require(out.problems.first)
        #expect(problem.message.hasPrefix("invalid YAML:"))
        #expect(problem.mark.line >= 1)
    }

    @Test func aliasesAreExpanded() throws {
        let out = compose("a: &x [1, 2]\nb: *x\n")
        guard case .mapping(let pairs)? = out.documents.first?.root.content,
            case .sequence(let items) = pairs[1].value.content
        else {
            Issue.record("not expanded")
            return
        }
        #expect(items.count == 2)
        #expect(pairs[1].value.mark == YAMLMark(line: 2, column: 4))
    }

    @Test func aliasesCanBeForbidden() throws {
        var limits = ManifestLimits()
        limits.allowAliases = false
        let out = compose("a: &x 1\nb: *x\n", limits)
        #expect(out.problems.first?.message.contains("aliases (*x) are not allowed") == true)
        #expect(out.problems.first?.mark == YAMLMark(line: 2, column: 4))
    }

    @Test func emptyInput() {
        #expect(compose("").documents.isEmpty)
        #expect(compose("# only a comment\n").documents.isEmpty)
    }

    @Test func invalidUTF8IsAnError() {
        let out = YAMLComposer().compose([0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x0A])
        #expect(!out.problems.isEmpty)
    }
}

extension YAMLNode.Content {
    var isQuoted: Bool {
        if case .scalar(_, .quoted) = self { return true }
        return false
    }
}
