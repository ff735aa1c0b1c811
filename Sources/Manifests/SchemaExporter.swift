import Foundation
import NgrokModel

/// Exports the field table as JSON Schemas (draft 2020-12), one file per kind (Stack
/// included), for editors: `# yaml-language-server: $schema=…/schemas/IPPolicy.schema.json`.
public enum SchemaExporter {
    public static let draft = "https://json-schema.org/draft/2020-12/schema"

    /// The schema for files mixing kinds: it picks the kind's schema by `kind`.
    public static let anyKindFileName = "manifest.schema.json"

    /// Every schema file: one per kind, then `manifest.schema.json`; deterministic pretty JSON
    /// (sorted keys).
    public static func schemas() -> [(fileName: String, json: String)] {
        let perKind: [(fileName: String, json: String)] = ManifestSchema.kindNames.compactMap { kind in
            guard let shape = ManifestSchema.document(for: kind) else { return nil }
            return (fileName(for: kind), rendered(json(for: kind, shape)))
        }
        return perKind + [(anyKindFileName, rendered(anyKind()))]
    }

    /// A schema file's text: pretty JSON with sorted keys and a final newline.
    static func rendered(_ schema: WireValue) -> String { schema.serialized(pretty: true) + "\n" }

    /// Dispatches on `kind` to the per-kind schemas (relative references to the sibling files).
    static func anyKind() -> WireValue {
        let kinds = ManifestSchema.kindNames
        return .object([
            "$schema": .string(draft),
            "title": .string("ngrokctl manifest of any kind (\(ManifestSchema.apiVersion))"),
            "description": .string("For files that mix kinds: each document is checked against its kind's schema."),
            "type": .string("object"),
            "required": .list([.string("kind")]),
            "properties": .object([
                "kind": .object(["type": .string("string"), "enum": .list(kinds.map { .string($0) })])
            ]),
            "allOf": .list(
                kinds.map { kind in
                    .object([
                        "if": .object([
                            "properties": .object(["kind": .object(["const": .string(kind)])]),
                            "required": .list([.string("kind")]),
                        ]),
                        "then": .object(["$ref": .string(fileName(for: kind))]),
                    ])
                }),
        ])
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

    static func json(for kind: String, _ shape: ObjectShape) -> WireValue {
        guard case .object(var root) = schema(for: .object(shape), doc: shape.doc) else { return .null }
        root["$schema"] = .string(draft)
        root["title"] = .string("ngrokctl \(kind) manifest (\(ManifestSchema.apiVersion))")
        root["type"] = .string("object")
        return .object(root)
    }

    static func schema(for type: FieldType, doc: String) -> WireValue {
        var s: [String: WireValue] = [:]
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
            if let minimum { s["minimum"] = number(minimum) }
            if let maximum { s["maximum"] = number(maximum) }
        case .duration:
            s["anyOf"] = .list([
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
            s["type"] = shape.acceptsNull ? .list([.string("object"), .string("null")]) : .string("object")
            var properties: [String: WireValue] = [:]
            for field in shape.fields { properties[field.name] = schema(for: field.type, doc: field.doc) }
            s["properties"] = .object(properties)
            s["additionalProperties"] = .bool(false)
            let required = shape.fields.filter(\.required).map { WireValue.string($0.name) }
            if !required.isEmpty { s["required"] = .list(required) }
            var all: [WireValue] = shape.exclusive.map {
                .object(["not": .object(["required": .list([.string($0.0), .string($0.1)])])])
            }
            all += shape.requiresEither.map {
                .object([
                    "anyOf": .list([
                        .object(["required": .list([.string($0.0)])]), .object(["required": .list([.string($0.1)])]),
                    ])
                ])
            }
            if !all.isEmpty { s["allOf"] = .list(all) }
        case .secret:
            s["anyOf"] = .list([reference(ManifestSchema.secretEnv), reference(ManifestSchema.fileReference)])
        case .textOrFile:
            s["anyOf"] = .list([.object(["type": .string("string")]), reference(ManifestSchema.fileReference)])
        }
        return .object(s)
    }

    /// A bound of a `number` field; a whole one is written as an integer (`1`, not `1.0`).
    private static func number(_ value: Double) -> WireValue {
        value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .double(value)
    }

    private static func reference(_ shape: ObjectShape) -> WireValue {
        schema(for: .object(shape), doc: shape.doc).withoutNull()
    }

    static func string(_ format: StringFormat) -> [String: WireValue] {
        var s: [String: WireValue] = ["type": .string("string")]
        if case .oneOf(let values) = format { s["enum"] = .list(values.map { .string($0) }) }
        if let pattern = format.pattern { s["pattern"] = .string(pattern) }
        if let maxLength = format.maxLength { s["maxLength"] = .int(maxLength) }
        return s
    }
}

extension WireValue {
    /// An object schema that does not also accept null.
    fileprivate func withoutNull() -> WireValue {
        guard case .object(var s) = self else { return self }
        s["type"] = .string("object")
        return .object(s)
    }
}
