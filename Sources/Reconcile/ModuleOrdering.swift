import NgrokModel
import Validation

/// Orders the module operations on one endpoint configuration by the product rules, so that no
/// operation fails because of the order (only one auth module at a time, ERR_NGROK_1679; modules
/// that need TLS terminated at the edge, 1662 and 1694) and, for a configuration in use, no
/// intermediate state is less protected than both the old and the new state.
enum ModuleOrdering {
    /// What protects an endpoint: the kinds of module a change may not drop mid-apply.
    enum Protection: String, Hashable, CaseIterable {
        case authentication
        case ipPolicy
        case mutualTls
        case webhookValidation
    }

    /// The parts of a configuration the rules between modules depend on.
    struct State: Hashable {
        var enabled: Set<ModuleName>
        var terminateAt: TLSTerminationModule.TerminateAt?

        /// From request-shaped module values keyed by API name (`.null` = not configured).
        init(modules: [String: WireValue]) {
            enabled = []
            terminateAt = nil
            for module in ModuleName.allCases {
                set(module, modules[module.apiName] ?? .null)
            }
        }

        mutating func set(_ module: ModuleName, _ value: WireValue) {
            guard case .object(let m) = value, m["enabled"] != .bool(false) else {
                enabled.remove(module)
                if module == .tlsTermination { terminateAt = nil }
                return
            }
            enabled.insert(module)
            if module == .tlsTermination {
                terminateAt = m["terminate_at"]?.stringValue.flatMap(TLSTerminationModule.TerminateAt.init(rawValue:)) ?? .edge
            }
        }

        /// Whether the API accepts this combination.
        var isValid: Bool {
            EndpointConfigurationRules.compositionViolations(enabled: Array(enabled), terminateAt: terminateAt).isEmpty
        }

        var protections: Set<Protection> {
            var out: Set<Protection> = []
            if !enabled.isDisjoint(with: EndpointConfigurationRules.authModules) { out.insert(.authentication) }
            if enabled.contains(.ipPolicy) { out.insert(.ipPolicy) }
            if enabled.contains(.mutualTls) { out.insert(.mutualTls) }
            if enabled.contains(.webhookValidation) { out.insert(.webhookValidation) }
            return out
        }

        /// Where TLS is terminated in effect (no module: at the edge).
        var effectiveTermination: TLSTerminationModule.TerminateAt { terminateAt ?? .edge }
    }

    /// One module change: the module's new value (`.null` removes it).
    struct Step: Hashable {
        var module: ModuleName
        var after: WireValue
    }

    /// An order of `steps` (indices) from `before` in which every intermediate state is valid and,
    /// with `keepProtection`, keeps every protection the old and the new state share; nil if none
    /// exists. Among valid orders, additions of protection come first and removals last.
    static func order(from before: State, _ steps: [Step], keepProtection: Bool) -> [Int]? {
        var after = before
        for step in steps { after.set(step.module, step.after) }
        let required = before.protections.intersection(after.protections)
        func acceptable(_ state: State) -> Bool {
            state.isValid && (!keepProtection || state.protections.isSuperset(of: required))
        }
        // Preference: the termination change and protection additions early, removals late.
        func rank(_ index: Int) -> Int {
            let step = steps[index]
            let adds = step.after != .null
            if step.module == .tlsTermination { return 1 }
            return adds ? 0 : 2
        }
        let preferred = steps.indices.sorted { (rank($0), $0) < (rank($1), $1) }
        var dead = Set<Set<Int>>()
        func search(_ state: State, _ done: [Int]) -> [Int]? {
            if done.count == steps.count { return done }
            let doneSet = Set(done)
            if dead.contains(doneSet) { return nil }
            for index in preferred where !doneSet.contains(index) {
                var next = state
                next.set(steps[index].module, steps[index].after)
                guard acceptable(next) else { continue }
                if let found = search(next, done + [index]) { return found }
            }
            dead.insert(doneSet)
            return nil
        }
        return search(before, [])
    }

    /// Why no gap-free in-place path exists from `before` to `after`, or nil when one does.
    static func gapReason(from before: [String: WireValue], to after: [String: WireValue]) -> String? {
        let old = State(modules: before)
        var steps: [Step] = []
        for module in ModuleName.allCases where (before[module.apiName] ?? .null) != (after[module.apiName] ?? .null) {
            steps.append(Step(module: module, after: after[module.apiName] ?? .null))
        }
        guard !steps.isEmpty, order(from: old, steps, keepProtection: true) == nil else { return nil }
        let new = State(modules: after)
        let oldAuth = EndpointConfigurationRules.authModules.filter(old.enabled.contains)
        let newAuth = EndpointConfigurationRules.authModules.filter(new.enabled.contains)
        if !oldAuth.isEmpty, !newAuth.isEmpty, oldAuth != newAuth {
            let from = oldAuth.map(\.rawValue).joined(separator: ", ")
            let to = newAuth.map(\.rawValue).joined(separator: ", ")
            return "avoids an unauthenticated window (\(from) → \(to): only one authentication module at a time)"
        }
        let kept = old.protections.intersection(new.protections).map(\.rawValue).sorted().joined(separator: ", ")
        return "avoids a window without \(kept) (no in-place order keeps it)"
    }
}

extension ModuleOrdering {
    static let gapReasonPrefix = "avoids "
    static func isGapReason(_ reason: String) -> Bool { reason.hasPrefix(gapReasonPrefix) }
}
