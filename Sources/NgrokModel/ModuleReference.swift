/// `docs/modules.md`: the reference of every endpoint-configuration module and field, written from
/// `APIVocabulary` (`ngrokctl schema --modules-doc docs/modules.md`, run by `make schemas`), so
/// the documentation cannot drift from what the loader, planner and emulator do.
public enum ModuleReference {
    public static func markdown() -> String {
        var out = """
            # Endpoint configuration modules

            Generated from the module vocabulary by `make schemas`; do not edit by hand. Every
            module takes `enabled` (default true). **Manifest** is the name in manifests and plans,
            **API** the name in the API's request bodies (and, after `→`, in its responses).
            **Unset** says what leaving a field out means: *required*; a manifest default, which
            ngrokctl sends; or the API's default, which ngrokctl does not send and compares with.

            | module | API name | endpoint types |
            |---|---|---|

            """
        for name in ModuleName.allCases {
            let module = APIVocabulary.module(name)
            out += "| [`\(name.rawValue)`](#\(name.rawValue.lowercased())) | `\(module.apiName)` | \(types(module)) |\n"
        }
        for name in ModuleName.allCases {
            let module = APIVocabulary.module(name)
            out += "\n## \(name.rawValue)\n\n\(module.title) (\(types(module))): \(module.summary)"
            if !module.exactlyOneOf.isEmpty {
                out += " Exactly one of " + module.exactlyOneOf.map { "`\($0)`" }.joined(separator: " and ") + "."
            }
            if let selector = module.selector {
                out += " The API nests the fields marked *provider* under `\(module.apiName).\(selector).<\(selector)>`."
            }
            out += "\n\n| manifest | API | type | unset | |\n|---|---|---|---|---|\n"
            for field in module.fields {
                let api = field.response == field.request ? "`\(field.request)`" : "`\(field.request)` → `\(field.response)`"
                var notes = field.doc.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
                if field.inProviderBlock { notes = "*provider* " + notes }
                if let only = field.onlyForProviders { notes += " Only for " + only.sorted().joined(separator: ", ") + "." }
                out += "| `\(field.manifest)` | \(api) | \(type(field.type)) | \(unset(field)) | \(notes) |\n"
            }
        }
        return out
    }

    static func types(_ module: APIVocabulary.Module) -> String {
        EndpointType.allCases.filter(module.supportedTypes.contains).map(\.rawValue).joined(separator: ", ")
    }

    static func type(_ type: ModuleValueType) -> String {
        switch type {
        case .boolean: "boolean"
        case .integer: "integer"
        case .duration: "duration"
        case .number: "number"
        case .string: "string"
        case .choice(let values): values.map { "`\($0)`" }.joined(separator: " \\| ")
        case .textOrFile: "text or `{file}`"
        case .secret: "secret"
        case .strings: "list of strings"
        case .headerNames: "list of header names"
        case .headerMap: "header name → value"
        case .references(let kind, let minItems): "list of \(kind.rawValue) names (at least \(minItems))"
        }
    }

    static func unset(_ field: ModuleField) -> String {
        switch field.defaultValue {
        case .required: "*required*"
        case .manifest(let value): "`\(value.serialized())`"
        case .api(let value): "API: `\(value.serialized())`" + (field.emptyIsUnset ? " (also for `\"\"`)" : "")
        }
    }
}
