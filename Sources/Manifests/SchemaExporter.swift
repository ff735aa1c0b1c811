import Foundation
import NgrokModel

/// Exports the field table as JSON Schemas (draft 2020-12), one file per kind (Stack
/// included), for editors: `# yaml-language-server: $schema=…/schemas/IPPolicy.schema.json`.
public enum SchemaExporter {
    public static let draft = "https://json-schema.org/draft/2020-12/schema"

    /// Every schema file: name and deterministic pretty JSON (sorted keys).
    public static func schemas() -> [(fileName: String, json: String)] {
        ManifestSchema.kindNames.compactMap { kind in
            guard let shape = ManifestSchema.document(for: kind) else { return nil }
            return (fileName(for: kind), json(for: kind, shape).rendered())
        }
    }

    /// `IPPolicy.schema.json`.
    public static func fileName(for kind: String) -> String { "\(kind).schema.json" }

    /// Writes every schema into `directory` (created if needed); returns the paths written.
    @discardableResult
    public static func write(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        for (name, json) in schemas() {
            let path = ManifestPath.join(directory, name)
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            written.append(path)
        }
        return written
    }

    static func json(for kind: String, _ shape: ObjectShape) -> JSONValue {
        guard case .object(var root) = schema(for: .object(shape), doc: shape.doc) else { return .null }
        root["$schema"] = .string(draft)
        root["title"] = .string("ngrokctl \(kind) manifest (\(ManifestSchema.apiVersion))")
        root["type"] = .string("object")
        return .object(root)
    }

    static func schema(for type: FieldType, doc: String) -> JSONValue {
        var s: [String: JSONValue] = [:]
        if !doc.isEmpty { s["description"] = .string(doc) }
        switch type {
        case .constant(let value):
            s["type"] = .string("string")
            s["const"] = .string(value)
        case .string(let format):
            s.merge(string(format)) { $1 }
        case .boolean:
            s["type"] = .string("boolean")
        case .integer(let minimum, let maximum):
            s["type"] = .string("integer")
            if let minimum { s["minimum"] = .int(minimum) }
            if let maximum { s["maximum"] = .int(maximum) }
        case .number(let minimum, let maximum):
            s["type"] = .string("number")
            if let minimum { s["minimum"] = .double(minimum) }
            if let maximum { s["maximum"] = .double(maximum) }
        case .duration:
            s["anyOf"] = .array([
                .object(["type": .string("integer"), "minimum": .int(0), "maximum": .int(DurationField.maxSeconds)]),
                .object(["type": .string("string"), "pattern": .string(DurationField.pattern)]),
            ])
        case .list(let element, let minItems):
            s["type"] = .string("array")
            s["items"] = schema(for: element, doc: "")
            if minItems > 0 { s["minItems"] = .int(minItems) }
        case .stringMap(let keys):
            s["type"] = .string("object")
            s["additionalProperties"] = .object(["type": .string("string")])
            let names = string(keys)
            if names.count > 1 { s["propertyNames"] = .object(names) }
        case .object(let shape):
            let hasRequired = shape.fields.contains { $0.required }
            s["type"] = hasRequired ? .string("object") : .array([.string("object"), .string("null")])
            var properties: [String: JSONValue] = [:]
            for field in shape.fields { properties[field.name] = schema(for: field.type, doc: field.doc) }
            s["properties"] = .object(properties)
            s["additionalProperties"] = .bool(false)
            let required = shape.fields.filter(\.required).map { JSONValue.string($0.name) }
            if !required.isEmpty { s["required"] = .array(required) }
            if !shape.exclusive.isEmpty {
                s["allOf"] = .array(
                    shape.exclusive.map { .object(["not": .object(["required": .array([.string($0.0), .string($0.1)])])]) })
            }
        case .secret:
            s["anyOf"] = .array([reference(ManifestSchema.secretEnv), reference(ManifestSchema.fileReference)])
        case .textOrFile:
            s["anyOf"] = .array([.object(["type": .string("string")]), reference(ManifestSchema.fileReference)])
        }
        return .object(s)
    }

    private static func reference(_ shape: ObjectShape) -> JSONValue {
        schema(for: .object(shape), doc: shape.doc).withoutNull()
    }

    static func string(_ format: StringFormat) -> [String: JSONValue] {
        var s: [String: JSONValue] = ["type": .string("string")]
        if case .oneOf(let values) = format { s["enum"] = .array(values.map { .string($0) }) }
        if let pattern = format.pattern { s["pattern"] = .string(pattern) }
        if let maxLength = format.maxLength { s["maxLength"] = .int(maxLength) }
        return s
    }
}

extension JSONValue {
    /// An object schema that does not also accept null.
    fileprivate func withoutNull() -> JSONValue {
        guard case .object(var s) = self else { return self }
        s["type"] = .string("object")
        return .object(s)
    }
}
