import NgrokModel

/// The ordered operations that turn live state into desired state.
public struct Plan: Sendable {
    public var stack: String
    public var sourceCommit: String?
    public var operations: [PlanOperation]
    /// Problems that make the plan impossible to apply (conflicts, protection, missing settings).
    public var errors: [Diagnostic]
    public var warnings: [Diagnostic]
    /// Owned objects left in place because the stack does not prune, or their policy is Retain.
    public var notes: [String]
    /// Fingerprint of the live objects the plan read.
    public var liveFingerprint: String
    /// IDs of every object that existed when the plan was made: a create whose response was lost is
    /// recognised by its marker among objects *not* in this set.
    public var preexistingIDs: Set<String> = []
    /// Existing resources that may change at apply: a secret they use was not available to this plan
    /// (shown as "may change"; not counted as changes).
    public var mayChange: [MayChange] = []
    /// The stack's references between resources (referrer → referred), for pictures of the plan.
    public var references: [ResourceAddress: [ResourceAddress]] = [:]

    public struct MayChange: Sendable, Hashable {
        public var address: ResourceAddress
        public var objectID: String
        /// The secret fields, as the manifest names them (`modules.oauth.clientSecret`).
        public var fields: [String]
    }
    /// Each declared credential's newest generation and next rotation (see `CredentialSchedule`).
    public var credentials: [CredentialSchedule] = []
    /// What counts against the deletion cap (`maxDeletions`): every DELETE that removes something
    /// the manifests or the account's users rely on — whole objects (prune, replacement, whitelist
    /// entries), IP policy rules and detachments made by DELETE. Removing this stack's own extra
    /// copies (`dedupe`: same ownership marker as the kept object) is shown but not counted. The
    /// one place this is decided.
    public var deletionCount: Int { operations.filter(Self.countsAsDeletion).count }

    public static func countsAsDeletion(_ op: PlanOperation) -> Bool {
        switch op.action {
        case .delete: true
        case .detach: op.request.method == .delete
        default: false
        }
    }

    /// Whether the plan deletes at least one owned object (not counting replacements).
    public var deletesObjects: Bool {
        operations.contains { $0.action == .delete && $0.subject == .object && !$0.replacement }
    }

    public var isEmpty: Bool { operations.isEmpty }

    public struct Summary: Sendable, Hashable {
        public var create = 0
        public var update = 0
        public var replace = 0
        public var delete = 0
        public var other = 0
        /// IP policy rules deleted (within kept policies), shown apart from whole resources.
        public var ruleDelete = 0
        /// New generations and revoked older generations of credentials under rotation.
        public var rotate = 0
        public var revoke = 0
        public var total: Int { create + update + replace + delete + other + rotate + revoke }
    }

    /// Resource-level counts, as a person reads them: a replacement counts once.
    public var summary: Summary {
        var summary = Summary()
        var replaced = Set<ResourceAddress>()
        var created = Set<ResourceAddress>()
        var deleted = Set<ResourceAddress>()
        var updated = Set<ResourceAddress>()
        for op in operations {
            if op.replacement {
                replaced.insert(op.address)
                continue
            }
            if case .rule = op.subject, op.action == .delete || op.action == .dedupe { summary.ruleDelete += 1 }
            switch op.action {
            case .create where op.subject == .object: created.insert(op.address)
            case .delete where op.subject == .object: deleted.insert(op.address)
            case .dedupe: summary.other += 1
            case .forget: summary.other += 1
            case .rotate: summary.rotate += 1
            case .revoke: summary.revoke += 1
            default: updated.insert(op.address)
            }
        }
        summary.replace = replaced.count
        summary.create = created.subtracting(replaced).count
        summary.delete = deleted.subtracting(replaced).count
        summary.update = updated.subtracting(replaced).subtracting(created).subtracting(deleted).count
        return summary
    }
}
