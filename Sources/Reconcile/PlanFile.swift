import Crypto
import Foundation
import NgrokModel

/// A saved plan (`plan --out FILE`): where the manifests came from, a fingerprint of the live
/// objects read, and the operations (redacted: a plan file never holds a secret).
/// `apply FILE` re-reads the source and the account, plans again, and refuses to go on unless both
/// fingerprints match, so a stale plan is never applied.
public struct PlanFile: Sendable, Hashable {
    public static let kind = "ngrokctl-plan"

    public struct Source: Sendable, Hashable {
        /// The stack directory (absolute) when planned from a directory.
        public var directory: String?
        public var gitURL: String?
        public var gitRef: String?
        public var gitPath: String?
        public var commit: String?
        public init(directory: String? = nil, gitURL: String? = nil, gitRef: String? = nil, gitPath: String? = nil, commit: String? = nil) {
            self.directory = directory
            self.gitURL = gitURL
            self.gitRef = gitRef
            self.gitPath = gitPath
            self.commit = commit
        }
    }

    public var stack: String
    public var source: Source
    public var liveFingerprint: String
    public var operationsDigest: String
    /// The rendered JSON plan, for people and tools reading the file.
    public var plan: WireValue

    public init(plan: Plan, source: Source) {
        self.stack = plan.stack
        self.source = source
        self.liveFingerprint = plan.liveFingerprint
        self.operationsDigest = Self.digest(of: plan)
        self.plan = PlanRenderer.jsonValue(plan)
    }

    /// A digest of what the plan would do (operations, their requests and redacted changes).
    public static func digest(of plan: Plan) -> String {
        let operations = PlanRenderer.jsonValue(plan)["operations"] ?? .null
        var hasher = SHA256()
        hasher.update(data: Array(operations.serialized().utf8))
        // Secrets are redacted in the rendering; their fingerprints are in the markers sent.
        for op in plan.operations {
            if let metadata = op.request.body?["metadata"]?.stringValue { hasher.update(data: Array(metadata.utf8)) }
        }
        return Hex.encode(hasher.finalize())
    }

    public var encoded: String {
        var source: [String: WireValue] = [:]
        if let d = self.source.directory { source["directory"] = .string(d) }
        if let u = self.source.gitURL { source["git_url"] = .string(u) }
        if let r = self.source.gitRef { source["git_ref"] = .string(r) }
        if let p = self.source.gitPath { source["git_path"] = .string(p) }
        if let c = self.source.commit { source["commit"] = .string(c) }
        return WireValue.object([
            "kind": .string(Self.kind),
            "format_version": .string(PlanRenderer.formatVersion),
            "stack": .string(stack),
            "source": .object(source),
            "live_fingerprint": .string(liveFingerprint),
            "operations_digest": .string(operationsDigest),
            "plan": plan,
        ]).serialized(pretty: true) + "\n"
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "\(path): cannot read the plan file")
        }
        let value: WireValue
        do { value = try WireValue(jsonText: Array(data)) } catch {
            throw ReadError(description: "\(path): not a plan file (invalid JSON)")
        }
        guard value["kind"]?.stringValue == Self.kind else {
            throw ReadError(description: "\(path): not an ngrokctl plan file")
        }
        guard value["format_version"]?.stringValue == PlanRenderer.formatVersion else {
            throw ReadError(description: "\(path): plan format \(value["format_version"]?.stringValue ?? "?") is not supported by this version")
        }
        let source = value["source"]
        self.stack = value["stack"]?.stringValue ?? ""
        self.source = Source(
            directory: source?["directory"]?.stringValue, gitURL: source?["git_url"]?.stringValue,
            gitRef: source?["git_ref"]?.stringValue, gitPath: source?["git_path"]?.stringValue,
            commit: source?["commit"]?.stringValue)
        self.liveFingerprint = value["live_fingerprint"]?.stringValue ?? ""
        self.operationsDigest = value["operations_digest"]?.stringValue ?? ""
        self.plan = value["plan"] ?? .null
    }

    /// Why a fresh plan no longer matches this saved one; nil when it still does.
    public func staleness(comparedWith fresh: Plan, commit: String?) -> String? {
        if let saved = source.commit, let commit, saved != commit {
            return "the source moved from commit \(saved.prefix(12)) to \(commit.prefix(12))"
        }
        if fresh.liveFingerprint != liveFingerprint {
            return "the account changed since the plan was made (live objects differ)"
        }
        if Self.digest(of: fresh) != operationsDigest {
            return "the manifests or their secrets changed since the plan was made"
        }
        return nil
    }
}
