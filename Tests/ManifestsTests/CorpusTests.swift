import Foundation
import NgrokModel
import Testing

@testable import Manifests

@Suite("Bad-input corpus")
struct CorpusTests {
    @Test("the corpus holds at least 80 bad cases")
    func corpusSize() throws {
        let cases = try CorpusCase.allNames().map(CorpusCase.load)
        #expect(cases.filter { !$0.expectations.isEmpty }.count >= 80)
    }

    @Test("each case reports exactly the expected diagnostics at the expected line:column", arguments: CorpusCase.allNames())
    func corpusCase(_ name: String) throws {
        let c = try CorpusCase.load(name)
        let result = c.run()
        let errors = result.diagnostics.errors
        var unmatched = errors
        for e in c.expectations {
            let index = unmatched.firstIndex { d in
                d.location == SourceLocation(file: c.path, line: e.line, column: e.column)
                    && e.fragment.components(separatedBy: " … ").allSatisfy { d.description.contains($0) }
            }
            if let index {
                unmatched.remove(at: index)
            } else {
                Issue.record("\(name): expected \(e.line):\(e.column) \(e.fragment)\n  got:\n    \(errors.map(\.description).joined(separator: "\n    "))")
            }
        }
        #expect(unmatched.isEmpty, "\(name): unexpected diagnostics:\n    \(unmatched.map(\.description).joined(separator: "\n    "))")
        // A case that expects nothing must load its resources.
        if c.expectations.isEmpty { #expect(result.stack != nil) }
    }

    @Test("no diagnostic ever echoes a secret literal")
    func secretsNeverEchoed() throws {
        for name in CorpusCase.allNames() {
            let c = try CorpusCase.load(name)
            for d in c.run().diagnostics {
                #expect(!d.description.contains("hunter2"), "\(name): \(d)")
                #expect(!d.description.contains("s3cr3t"), "\(name): \(d)")
            }
        }
    }
}
