import NgrokModel

/// `plan --explain-access IP@HOST`: the access decision before (the account now) and after (the
/// account once the plan is applied: this stack's objects as declared, everything else as it is).
public struct AccessChange: Sendable {
    public struct Pair: Sendable, Hashable {
        public var ip: String
        public var host: String

        /// Parses `IP@HOST` (the last `@` splits, so `HOST` may not hold one).
        public init?(parsing text: String) {
            guard let at = text.lastIndex(of: "@") else { return nil }
            ip = String(text[..<at])
            host = String(text[text.index(after: at)...])
            if ip.isEmpty || host.isEmpty { return nil }
        }
    }

    public struct Row: Sendable {
        public var pair: Pair
        public var before: Result<AccessEvaluator.Decision, AccessEvaluator.Failure>
        public var after: Result<AccessEvaluator.Decision, AccessEvaluator.Failure>

        static func word(_ r: Result<AccessEvaluator.Decision, AccessEvaluator.Failure>) -> String {
            switch r {
            case .success(let d): d.allowed ? "allowed" : "denied"
            case .failure(let f):
                if case .notFound = f { "no such endpoint" } else { "error: \(f)" }
            }
        }

        public var changed: Bool { Self.word(before) != Self.word(after) }

        public var text: String {
            let marker = changed ? "!" : "="
            var out = "  \(marker) \(pair.ip) → \(pair.host): \(Self.word(before)) → \(Self.word(after))"
            if case .success(let d) = after { out += " (after: \(d.decidedBy))" }
            return out + (changed ? "  CHANGES" : "") + "\n"
        }

        public var wireValue: WireValue {
            func value(_ r: Result<AccessEvaluator.Decision, AccessEvaluator.Failure>) -> WireValue {
                switch r {
                case .success(let d): d.wireValue
                case .failure(let f): .object(["error": .string(f.description)])
                }
            }
            return .object([
                "ip": .string(pair.ip), "host": .string(pair.host), "changed": .bool(changed),
                "before": value(before), "after": value(after),
            ])
        }
    }

    public var before: AccountView
    public var after: AccountView

    public init(stack: Stack, live: LiveState, canonicalCIDR: @escaping @Sendable (String) -> String) {
        let now = AccountView.live(live, canonicalCIDR: canonicalCIDR)
        let desired = AccountView.desired(stack, canonicalCIDR: canonicalCIDR)
        before = now
        // After apply: the stack's objects as declared; objects of other owners as they are (an
        // unowned object the stack adopts is replaced by its declaration).
        let adoptedDomains = Set(desired.all(.reservedDomain).map(EndpointLookup.hostname))
        var merged: [Kind: [AccountView.Object]] = desired.objects
        for kind in Kind.allCases {
            let declared = Set(desired.all(kind).map(\.address))
            for object in now.all(kind) {
                if declared.contains(object.address) { continue }
                if object.stack == stack.name, stack.spec.prune { continue }
                if kind == .reservedDomain, adoptedDomains.contains(EndpointLookup.hostname(object)) { continue }
                merged[kind, default: []].append(object)
            }
        }
        after = AccountView(origin: "after apply", objects: merged)
    }

    public func rows(_ pairs: [Pair]) -> [Row] {
        pairs.map { pair in
            Row(
                pair: pair,
                before: Result { () throws(AccessEvaluator.Failure) in
                    try AccessEvaluator(view: before).evaluate(ip: pair.ip, host: pair.host)
                },
                after: Result { () throws(AccessEvaluator.Failure) in
                    try AccessEvaluator(view: after).evaluate(ip: pair.ip, host: pair.host)
                })
        }
    }

    public static func text(_ rows: [Row]) -> String {
        guard !rows.isEmpty else { return "" }
        return "\nAccess (before → after apply):\n" + rows.map(\.text).joined()
    }
}
