import NgrokModel

/// `Credential.spec.rotation`: a period of at least a minute and an overlap shorter than it.
public enum CredentialRotationRules {
    public static func validate(_ rotation: CredentialRotation) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if rotation.every < 60 {
            out.append(.error(
                field: "spec.rotation.every", "rotation every \(rotation.every)s is too short",
                hint: "rotate at most once a minute (e.g. every: 90d)"))
        }
        if rotation.overlap >= rotation.every {
            out.append(.error(
                field: "spec.rotation.overlap",
                "overlap (\(rotation.overlap)s) must be less than every (\(rotation.every)s): otherwise more and more generations stay valid",
                hint: "shorten overlap or lengthen every (e.g. every: 90d, overlap: 7d)"))
        }
        return out
    }
}
