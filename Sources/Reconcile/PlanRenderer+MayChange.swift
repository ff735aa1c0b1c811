import NgrokModel

/// How renderers show `Plan.mayChange`: existing resources whose secrets this plan could not resolve.
extension PlanRenderer {
    /// Text lines: `? may change  EndpointConfiguration/app (ep_…)` and the secret fields.
    static func mayChangeText(_ plan: Plan, color: Bool) -> String {
        guard !plan.mayChange.isEmpty else { return "" }
        var out = "\n"
        for item in plan.mayChange {
            out += DiagnosticRenderer.paint("? may change", "36", color) + "  "
                + DiagnosticRenderer.paint(item.address.description, "1", color) + " (\(item.objectID))\n"
            out += "      # a secret is not available to this plan: known at apply\n"
            for field in item.fields { out += "      \(field): \(WireValue.knownAtApply)\n" }
        }
        return out
    }

    static func mayChangeMarkdown(_ plan: Plan) -> String {
        guard !plan.mayChange.isEmpty else { return "" }
        var out = "\n**May change** (secrets not available to this plan; known at apply):\n\n"
        for item in plan.mayChange {
            out += "- `\(item.address)`: " + item.fields.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    static func mayChangeJSON(_ plan: Plan) -> WireValue {
        .list(
            plan.mayChange.map { item in
                .object([
                    "address": .string(item.address.description),
                    "object_id": .string(item.objectID),
                    "fields": .list(item.fields.map { field in
                        .object([
                            "path": .string(field),
                            "api_path": .string(APIVocabulary.apiPath(of: field, kind: item.address.kind)),
                            "after": .string(WireValue.knownAtApply),
                        ])
                    }),
                ])
            })
    }
}
