import Foundation
import Testing
import NgrokModel

@testable import Manifests

/// One bad-input (or good-input) case: a small manifest file whose header says what the
/// loader must report, at which line:column of that same file.
///
///     # expect: 8:3 unknown field "acls"; did you mean "acl"?
///     # expect: none                        (the case must load cleanly)
///     # schema: skip <why>                  (not expressible in JSON Schema)
///     # role: stack                         (the case is the root ngrokctl.yaml)
struct CorpusCase: Sendable, CustomTestStringConvertible {
    struct Expectation: Sendable {
        var line: Int
        var column: Int
        var fragment: String
    }

    var name: String
    var text: String
    var expectations: [Expectation]
    var schemaSkip: String?
    var isStackFile: Bool

    var testDescription: String { name }

    /// The path the case is loaded at (and diagnostics name).
    var path: String { isStackFile ? "ngrokctl.yaml" : name }

    static let standardStack = """
        apiVersion: ngrokctl/v1
        kind: Stack
        metadata: {name: corpus}

        """

    /// Files every case can reference with `{file: …}`.
    static let fixtures: [String: String] = [
        "files/ca.pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "files/bundle.pem": "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n",
        "files/key.pem": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
        "files/binary.pem": "",
    ]

    static func load(_ fileName: String) throws -> CorpusCase {
        let text = try String(contentsOfFile: TestPaths.corpus + "/" + fileName, encoding: .utf8)
        var expectations: [Expectation] = []
        var skip: String?
        var stack = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("# ") else { continue }
            let body = line.dropFirst(2)
            if body.hasPrefix("expect: ") {
                let rest = body.dropFirst("expect: ".count)
                if rest == "none" { continue }
                let parts = rest.split(separator: " ", maxSplits: 1)
                let position = parts.first?.split(separator: ":") ?? []
                guard parts.count == 2, position.count == 2, let l = Int(position[0]), let c = Int(position[1]) else {
                    throw CaseError.malformed("\(fileName): bad expect line: \(line)")
                }
                expectations.append(Expectation(line: l, column: c, fragment: String(parts[1])))
            } else if body.hasPrefix("schema: skip") {
                skip = String(body.dropFirst("schema: skip".count)).trimmingCharacters(in: .whitespaces)
                if skip?.isEmpty ?? true { skip = "unspecified" }
            } else if body == "role: stack" {
                stack = true
            }
        }
        return CorpusCase(name: fileName, text: text, expectations: expectations, schemaSkip: skip, isStackFile: stack)
    }

    static func allNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.corpus)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    var fileSystem: InMemoryFileSystem {
        var files = CorpusCase.fixtures.mapValues { Array($0.utf8) }
        files["files/binary.pem"] = [0xFF, 0xFE, 0x00, 0xC3]
        if !isStackFile { files["ngrokctl.yaml"] = Array(CorpusCase.standardStack.utf8) }
        files[path] = Array(text.utf8)
        return InMemoryFileSystem(files: files)
    }

    func run() -> LoadResult {
        ManifestLoader().load(root: ".", fileSystem: fileSystem)
    }

    enum CaseError: Error { case malformed(String) }
}
