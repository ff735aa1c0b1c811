import Foundation
import NgrokModel
import Testing

@testable import Manifests

/// The JSON Schemas and the loader agree on every corpus case that JSON Schema can express:
/// python3's `jsonschema` (draft 2020-12) judges each document against its kind's schema.
@Suite("JSON Schema agrees with the loader")
struct SchemaAgreementTests {
    static let script = """
        import json, sys
        from jsonschema import Draft202012Validator
        schemas = {}
        for line in sys.stdin:
            item = json.loads(line)
            path = item["schema"]
            if path not in schemas:
                with open(path) as f:
                    schema = json.load(f)
                Draft202012Validator.check_schema(schema)
                schemas[path] = Draft202012Validator(schema)
            errors = list(schemas[path].iter_errors(item["instance"]))
            print(json.dumps({"id": item["id"], "ok": not errors, "why": [e.message for e in errors][:3]}))
        """

    static var pythonAvailable: Bool {
        run(["python3", "-c", "import jsonschema"], input: "").status == 0
    }

    static func run(_ arguments: [String], input: String) -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let inputPath = FileManager.default.temporaryDirectory.appendingPathComponent("ngrokctl-schema-\(UUID().uuidString).jsonl").path
        _ = FileManager.default.createFile(atPath: inputPath, contents: Data(input.utf8))
        defer { try? FileManager.default.removeItem(atPath: inputPath) }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = FileHandle(forReadingAtPath: inputPath)
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch { return (-1, "", "\(error)") }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test(.enabled(if: pythonAvailable, "python3 with jsonschema is needed (make deps installs it)"))
    func schemasAgreeWithLoader() throws {
        var lines: [String] = []
        var cases: [String: CorpusCase] = [:]
        var documentsPerCase: [String: Int] = [:]
        for name in CorpusCase.allNames() {
            let c = try CorpusCase.load(name)
            guard c.schemaSkip == nil else { continue }
            let documents = try YAMLToJSON.documents(c.text)
            cases[name] = c
            documentsPerCase[name] = documents.count
            for (i, doc) in documents.enumerated() {
                let kind = ManifestSchema.kindNames.contains(doc.kind) ? doc.kind : "Credential"
                let schema = TestPaths.schemas + "/" + SchemaExporter.fileName(for: kind)
                lines.append("{\"id\": \"\(name)#\(i)\", \"schema\": \"\(schema)\", \"instance\": \(doc.json)}")
            }
        }
        #expect(cases.count >= 100)
        let result = Self.run(["python3", "-c", Self.script], input: lines.joined(separator: "\n") + "\n")
        try #require(result.status == 0, "python3 failed: \(result.error)")
        var rejected: [String: [String]] = [:]
        for line in result.output.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let id = object?["id"] as? String ?? ""
            let name = String(id.split(separator: "#").first ?? "")
            if object?["ok"] as? Bool == false {
                rejected[name, default: []] += (object?["why"] as? [String]) ?? ["?"]
            } else {
                rejected[name, default: []] += []
            }
        }
        for (name, c) in cases.sorted(by: { $0.key < $1.key }) {
            let loaderRejects = c.run().diagnostics.hasErrors
            let schemaRejects = !(rejected[name] ?? []).isEmpty
            #expect(
                loaderRejects == schemaRejects,
                "\(name): loader \(loaderRejects ? "rejects" : "accepts"), schema \(schemaRejects ? "rejects: \(rejected[name] ?? [])" : "accepts")")
        }
    }

    @Test(.enabled(if: pythonAvailable, "python3 with jsonschema is needed"))
    func examplesMatchSchemas() throws {
        var lines: [String] = []
        let root = TestPaths.examples
        for example in ["quickstart", "production"] {
            let fs = DirectoryFileSystem()
            for file in try fs.listFiles(under: root + "/" + example) where file.hasSuffix(".yaml") {
                let text = try String(contentsOfFile: root + "/" + example + "/" + file, encoding: .utf8)
                for (i, doc) in try YAMLToJSON.documents(text).enumerated() {
                    let schema = TestPaths.schemas + "/" + SchemaExporter.fileName(for: doc.kind)
                    lines.append("{\"id\": \"\(example)/\(file)#\(i)\", \"schema\": \"\(schema)\", \"instance\": \(doc.json)}")
                }
            }
        }
        let result = Self.run(["python3", "-c", Self.script], input: lines.joined(separator: "\n") + "\n")
        try #require(result.status == 0, "python3 failed: \(result.error)")
        let failures = result.output.split(separator: "\n").filter { $0.contains("\"ok\": false") }
        #expect(failures.isEmpty, "\(failures)")
        #expect(lines.count >= 25)
    }
}
