import Foundation

/// List checks: no empty entries, no duplicates.
public enum ListRules {
    public static func nonEmptyUnique(_ items: [String], field: String, what: String, caseInsensitive: Bool = false)
        -> [RuleViolation]
    {
        var out: [RuleViolation] = []
        var seen: Set<String> = []
        for (i, item) in items.enumerated() {
            if item.trimmingCharacters(in: .whitespaces).isEmpty {
                out.append(.error(field: "\(field)[\(i)]", "an empty \(what) is listed", hint: "remove it", code: 1651))
                continue
            }
            let key = caseInsensitive ? item.lowercased() : item
            if !seen.insert(key).inserted {
                out.append(
                    .error(
                        field: "\(field)[\(i)]", "the \(what) '\(item)' is listed twice", hint: "list it once",
                        code: 1646))
            }
        }
        return out
    }
}
