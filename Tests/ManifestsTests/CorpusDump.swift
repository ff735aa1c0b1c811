import Foundation
import Testing

@testable import Manifests

/// Prints what the loader reports for each corpus case (set CORPUS_DUMP=1); used to write cases.
@Suite("Corpus dump")
struct CorpusDump {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CORPUS_DUMP"] != nil))
    func dump() throws {
        var out = ""
        for name in CorpusCase.allNames() {
            let c = try CorpusCase.load(name)
            out += "== \(name)\n"
            for d in c.run().diagnostics { out += "   \(d)\n" }
        }
        try out.write(toFile: "/tmp/corpus-dump.txt", atomically: true, encoding: .utf8)
    }
}
