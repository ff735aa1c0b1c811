import Foundation
import NgrokModel
import Testing

/// `docs/modules.md` is written from the vocabulary; the committed file must be what it writes.
struct ModuleReferenceTests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/modules.md")

    @Test("docs/modules.md is current (run `make schemas` after changing a module)")
    func committedReferenceIsCurrent() throws {
        let onDisk = try String(contentsOf: Self.committed, encoding: .utf8)
        #expect(onDisk == ModuleReference.markdown())
    }

    @Test func everyModuleAndFieldIsDocumented() {
        let text = ModuleReference.markdown()
        for name in ModuleName.allCases {
            let module = APIVocabulary.module(name)
            #expect(text.contains("## \(name.rawValue)\n"))
            for field in module.fields {
                #expect(text.contains("| `\(field.manifest)` | `\(field.request)`"), "\(name.rawValue).\(field.manifest)")
            }
        }
    }
}
