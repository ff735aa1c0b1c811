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
    /// Each declared credential's newest generation and next rotation (see `CredentialSchedule`).
    public var credentials: [CredentialSchedule] = []
    /// Deletions of whole resources (prune, replacement), counted against `maxDeletions`. Removing
    /// this stack's own extra copies (`dedupe`: same ownership marker as the kept object) is shown
    /// in the plan but not counted: it deletes nothing the manifests declare.
    public var deletionCount: Int { operations.filter { $0.action == .delete && $0.subject == .object }.count }

    public var isEmpty: Bool { operations.isEmpty }

    public struct Summary: Sendable, Hashable {
        public var create = 0
        public var update = 0
        public var replace = 0
        public var delete = 0
        public var other = 0
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
