import NgrokModel

/// Leaf-level differences between two request-shaped values, for showing exactly what changes.
enum FieldDiff {
    static func changes(path: String, before: WireValue?, after: WireValue?) -> [PlanOperation.FieldChange] {
        if before == after { return [] }
        switch (before, after) {
        case (.object(let b)?, .object(let a)?):
            var out: [PlanOperation.FieldChange] = []
            for key in Set(b.keys).union(a.keys).sorted() {
                out += changes(path: join(path, key), before: b[key] ?? .null, after: a[key] ?? .null)
            }
            return out
        default:
            return [PlanOperation.FieldChange(path: path, before: before, after: after)]
        }
    }

    /// Every leaf of a value, as changes from nothing (a create) or to nothing (a delete).
    static func leaves(path: String, _ value: WireValue, created: Bool) -> [PlanOperation.FieldChange] {
        if case .object(let o) = value, !o.isEmpty {
            return o.keys.sorted().flatMap { leaves(path: join(path, $0), o[$0]!, created: created) }
        }
        if value == .null { return [] }
        return [PlanOperation.FieldChange(path: path, before: created ? nil : value, after: created ? value : nil)]
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
