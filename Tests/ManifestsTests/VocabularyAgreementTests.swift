import NgrokModel
import Testing

@testable import Manifests

/// The loader's schema and the API vocabulary name the same manifest fields: every field the
/// vocabulary translates exists in the loader at that path, and every module field the loader
/// accepts has an API name in the vocabulary (so plans can always translate it).
@Suite struct VocabularyAgreementTests {
    /// The loader's field at a dotted manifest path under `shape` (lists are looked into).
    static func field(_ path: [String], in shape: ObjectShape) -> FieldSpec? {
        guard let name = path.first, let field = shape.fields.first(where: { $0.name == name }) else { return nil }
        if path.count == 1 { return field }
        guard let inner = objectShape(field.type) else { return nil }
        return Self.field(Array(path.dropFirst()), in: inner)
    }

    static func objectShape(_ type: FieldType) -> ObjectShape? {
        switch type {
        case .object(let shape): shape
        case .list(let element, _): objectShape(element)
        default: nil
        }
    }

    /// Every vocabulary field and sub-field, as dotted manifest paths.
    static func paths(_ fields: [APIVocabulary.Field], prefix: String = "") -> [String] {
        fields.flatMap { field -> [String] in
            let path = prefix + field.manifest
            return [path] + paths(field.fields, prefix: path + ".")
        }
    }

    @Test(arguments: Kind.allCases)
    func everyVocabularyFieldIsALoaderField(_ kind: Kind) {
        let spec = ManifestSchema.spec(for: kind)
        let document = ManifestSchema.resourceDocument(kind)
        for path in Self.paths(APIVocabulary.fields(of: kind)) {
            let parts = path.split(separator: ".").map(String.init)
            // `description` and `metadata` are common fields, written at the document's spec level.
            let found = Self.field(parts, in: spec) ?? Self.field(["spec"] + parts, in: document)
            #expect(found != nil, "\(kind.rawValue): the vocabulary names spec.\(path), which the loader does not accept")
        }
    }

    @Test(arguments: ModuleName.allCases)
    func everyLoaderModuleFieldHasAnAPIName(_ module: ModuleName) throws {
        let modules = try #require(Self.field(["modules"], in: ManifestSchema.spec(for: .endpointConfiguration)))
        let shape = try #require(Self.objectShape(modules.type))
        let moduleField = try #require(shape.fields.first { $0.name == module.rawValue }, "no loader field modules.\(module.rawValue)")
        let loader = try #require(Self.objectShape(moduleField.type))
        let vocabulary = Set(APIVocabulary.module(module).fields.map(\.manifest))
        for field in loader.fields {
            #expect(
                vocabulary.contains(field.name),
                "modules.\(module.rawValue).\(field.name) is accepted by the loader but has no API name in the vocabulary")
        }
        for name in vocabulary {
            #expect(loader.fields.contains { $0.name == name }, "the vocabulary names modules.\(module.rawValue).\(name), which the loader does not accept")
        }
    }
}
