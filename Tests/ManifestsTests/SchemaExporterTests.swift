import Foundation
import Testing

@testable import Manifests

@Suite("JSON Schema export")
struct SchemaExporterTests {
    @Test func oneSchemaPerKind() {
        let names = SchemaExporter.schemas().map(\.fileName)
        #expect(names.count == 9)
        #expect(names.contains("Stack.schema.json"))
        #expect(names.contains("EndpointConfiguration.schema.json"))
    }

    /// `UPDATE_SCHEMAS=1 swift test --filter regenerate` rewrites the committed schemas.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["UPDATE_SCHEMAS"] != nil))
    func regenerate() throws {
        try SchemaExporter.write(to: TestPaths.schemas)
    }

    @Test func deterministic() {
        #expect(SchemaExporter.schemas().map(\.json) == SchemaExporter.schemas().map(\.json))
    }

    @Test("the committed schemas/ are what the exporter produces (run `make schemas` after changing fields)")
    func committedSchemasAreCurrent() throws {
        let committed = try FileManager.default.contentsOfDirectory(atPath: TestPaths.schemas).filter { $0.hasSuffix(".json") }
        let produced = SchemaExporter.schemas()
        #expect(Set(committed) == Set(produced.map(\.fileName)))
        for (name, json) in produced {
            let onDisk = try? String(contentsOfFile: TestPaths.schemas + "/" + name, encoding: .utf8)
            #expect(onDisk == json, "schemas/\(name) is stale")
        }
    }

    @Test func writeRoundTrips() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ngrokctl-schemas-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = try SchemaExporter.write(to: dir)
        #expect(written.count == 9)
        let credential = try String(contentsOfFile: dir + "/Credential.schema.json", encoding: .utf8)
        #expect(credential.contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\""))
        #expect(credential.contains("\"additionalProperties\": false"))
    }
}
