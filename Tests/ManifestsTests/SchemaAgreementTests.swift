import Foundation
import NgrokModel
import Testing

@testable import Manifests

/// The JSON Schemas and the loader agree on every corpus case that JSON Schema can express:
/// python3's `jsonschema` (draft 2020-12) judges each document against its kind's schema.
@Suite("JSON Schema agrees with the loader")
struct SchemaAgreementTests {
    static let script = """
        import json, os, sys
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        schemas = {}
        registry = Registry()
        def registry_for(directory):
            global registry
            for name in sorted(os.listdir(directory)):
                if name.endswith(".schema.json") and name not in registry:
                    with open(os.path.join(directory, name)) as f:
                        registry = registry.with_resource(name, Resource.from_contents(json.load(f)))
            return registry
        for line in sys.stdin:
            item = json.loads(line)
            path = item["schema"]
            if path not in schemas:
                with open(path) as f:
                    schema = json.load(f)
                Draft202012Validator.check_schema(schema)
                schemas[path] = Draft202012Validator(schema, registry=registry_for(os.path.dirname(path)))
            errors = list(schemas[path].iter_errors(item["instance"]))
            print(json.dumps({"id": item["id"], "ok": not errors, "why": [e.message for e in errors][:3]}))
        """

    static var pythonAvailable: Bool {
        run(["python3", "-c", "import jsonschema, referencing"], input: "").status == 0
    }

    static func run(_ arguments: [String], input: String) -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let inputPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ngrokctl-schema-\(UUID().uuidString).jsonl"
        ).path
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
                for file in [SchemaExporter.fileName(for: kind), SchemaExporter.anyKindFileName] {
                    let schema = TestPaths.schemas + "/" + file
                    let label = file == SchemaExporter.anyKindFileName ? "any-kind schema" : "kind's schema"
                    lines.append(
                        "{\"id\": \"\(name)@\(label)#\(i)\", \"schema\": \"\(schema)\", \"instance\": \(doc.json)}")
                }
            }
        }
        #expect(cases.count >= 100)
        let result = Self.run(["python3", "-c", Self.script], input: lines.joined(separator: "\n") + "\n")
        try #require(result.status == 0, "python3 failed: \(result.error)")
        // Verdicts per case and schema file (the kind's own schema, and manifest.schema.json).
        var rejected: [String: [String]] = [:]
        for line in result.output.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let id = object?["id"] as? String ?? ""
            let key = String(id.split(separator: "#").first ?? "")
            if object?["ok"] as? Bool == false {
                rejected[key, default: []] += (object?["why"] as? [String]) ?? ["?"]
            } else {
                rejected[key, default: []] += []
            }
        }
        #expect(rejected.count == 2 * cases.count)
        for (name, c) in cases.sorted(by: { $0.key < $1.key }) {
            let loaderRejects = c.run().diagnostics.hasErrors
            for key in rejected.keys where key.hasPrefix(name + "@") {
                let schemaRejects = !(rejected[key] ?? []).isEmpty
                #expect(
                    loaderRejects == schemaRejects,
                    "\(key): loader \(loaderRejects ? "rejects" : "accepts"), schema \(schemaRejects ? "rejects: \(rejected[key] ?? [])" : "accepts")"
                )
            }
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
                    for name in [SchemaExporter.fileName(for: doc.kind), SchemaExporter.anyKindFileName] {
                        let schema = TestPaths.schemas + "/" + name
                        lines.append(
                            "{\"id\": \"\(example)/\(file)#\(i)\", \"schema\": \"\(schema)\", \"instance\": \(doc.json)}"
                        )
                    }
                }
            }
        }
        let result = Self.run(["python3", "-c", Self.script], input: lines.joined(separator: "\n") + "\n")
        try #require(result.status == 0, "python3 failed: \(result.error)")
        let failures = result.output.split(separator: "\n").filter { $0.contains("\"ok\": false") }
        #expect(failures.isEmpty, "\(failures)")
        #expect(lines.count >= 50)
    }
}
