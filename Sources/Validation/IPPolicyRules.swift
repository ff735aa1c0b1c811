import NgrokModel

/// IP policy rules: every CIDR valid, unique within its policy after canonicalisation.
public enum IPPolicyRules {
    /// `allow` / `deny` (ERR_NGROK_1422).
    public static func parseAction(_ text: String) -> Result<IPPolicyAction, RuleViolation> {
        if let action = IPPolicyAction(rawValue: text) { return .success(action) }
        return .failure(
            .error(
                field: "action", "action must be 'allow' or 'deny' (it is '\(text)')", code: 1422,
                suggestion: IPPolicyAction(rawValue: text.lowercased())?.rawValue))
    }

    /// Checks a policy's CIDRs (fields `[i]`): each valid (see `CIDR(parsing:)`), none a
    /// duplicate of an earlier one once canonical (ERR_NGROK_1408).
    public static func validate(cidrs: [String], requireMask: Bool = false) -> [RuleViolation] {
        var out: [RuleViolation] = []
        var firstIndex: [CIDR: Int] = [:]
        for (i, text) in cidrs.enumerated() {
            switch CIDR.parse(text, requireMask: requireMask) {
            case .failure(let problem): out.append(problem.withField("[\(i)]"))
            case .success(let cidr):
                if let first = firstIndex[cidr] {
                    let written = cidrs[first] == text ? "" : " (written '\(cidrs[first])')"
                    out.append(
                        .error(
                            field: "[\(i)]", "the CIDR \(cidr) is already rule \(first + 1) of this policy\(written)",
                            hint: "remove the duplicate rule", code: 1408))
                } else {
                    firstIndex[cidr] = i
                }
            }
        }
        return out
    }

    /// The index in `existing` of a rule with the same canonical network as `cidr`, if any
    /// (for a server adding one rule to a stored policy).
    public static func duplicate(of cidr: CIDR, in existing: [String]) -> Int? {
        existing.firstIndex { CIDR.parse($0, requireNetworkAddress: false).map { $0 == cidr }.value ?? false }
    }
}

extension Result {
    fileprivate var value: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
