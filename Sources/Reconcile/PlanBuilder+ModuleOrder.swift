import NgrokModel

extension PlanBuilder {
    static func usersOfConfigurations(_ live: LiveState) -> [String: [LiveObject]] {
        var out: [String: [LiveObject]] = [:]
        for kind in [Kind.reservedDomain, .reservedAddress] {
            for object in live.all(kind) {
                for id in referencedIDs(object) { out[id, default: []].append(object) }
            }
        }
        return out
    }

    /// Whether a configuration serves traffic: a reserved domain or address uses it.
    func isAttached(_ configurationID: String) -> Bool { !(configurationUsers[configurationID] ?? []).isEmpty }

    /// For a kept endpoint configuration in use whose module change has no in-place order that keeps
    /// its protection (an auth provider swap), the reason to replace it instead; nil otherwise.
    /// Only when every user of the configuration is managed here, so the plan can repoint them.
    func gapFreeReplacement(want: DesiredObject, live: LiveObject, normalizer: LiveNormalizer) -> String? {
        guard want.kind == .endpointConfiguration, let users = configurationUsers[live.id], !users.isEmpty,
            users.allSatisfy({ addressOfID[$0.id] != nil })
        else { return nil }
        let have = normalizer.fields(of: live, kind: .endpointConfiguration)
        return ModuleOrdering.gapReason(from: have, to: want.fields)
    }

    /// Chains the module operations of one configuration in an order the API accepts, keeping its
    /// protection while it is attached; flags a change of where TLS terminates as disruptive.
    mutating func orderModules(
        _ moduleOps: [(op: Int, step: ModuleOrdering.Step)], before have: [String: WireValue], configuration id: String
    ) {
        let before = ModuleOrdering.State(modules: have)
        var after = before
        for (_, step) in moduleOps { after.set(step.module, step.after) }
        let attached = isAttached(id)
        if attached, before.effectiveTermination != after.effectiveTermination,
            let termination = moduleOps.first(where: { $0.step.module == .tlsTermination })
        {
            operations[termination.op].disruptive = true
            operations[termination.op].reason +=
                " (disruptive: TLS now terminates at the \(after.effectiveTermination.rawValue); tunnels using this configuration must restart their agents with the other protocol)"
        }
        guard moduleOps.count > 1 else { return }
        let steps = moduleOps.map { $0.step }
        let order =
            ModuleOrdering.order(from: before, steps, keepProtection: attached)
            ?? ModuleOrdering.order(from: before, steps, keepProtection: false)
        guard let order else { return }
        if attached, ModuleOrdering.order(from: before, steps, keepProtection: true) == nil {
            warnings.append(.warning(
                at: planner.stack.resource(operations[moduleOps[0].op].address)?.source.document, operations[moduleOps[0].op].address,
                "this change briefly leaves the configuration less protected than before and after (no in-place order avoids it, and a user of it is not managed by this stack)",
                hint: "manage the reserved domains and addresses that use it in this stack, so the plan can replace the configuration instead"))
        }
        for (previous, next) in zip(order, order.dropFirst()) {
            operations[moduleOps[next].op].dependsOn.append(moduleOps[previous].op)
        }
    }
}

extension PlanBuilder {
    /// Modules the manifest format does not model (`logging`, `basic_auth`, `backend`), present on
    /// an owned configuration: drift like any other, planned for removal before the modelled module
    /// operations (`basic_auth` counts as an authentication module and needs TLS at the edge).
    static let unmodelledModules = ["basic_auth", "backend", "logging"]

    mutating func planUnmodelledModuleRemovals(_ address: ResourceAddress, live: LiveObject, before moduleOps: [Int]) {
        for name in Self.unmodelledModules {
            guard let value = live.json[name], value != .null else { continue }
            let op = add(
                .moduleDelete, address,
                subject: .slot("module \(name)"), changes: [.init(path: name, before: .string("(set outside the manifests)"), after: nil)],
                reason: "module not expressible in the manifests (set by hand): removed", method: .delete,
                collection: Kind.endpointConfiguration.collection, objectID: live.id, suffix: "/\(name)")
            for later in moduleOps { operations[later].dependsOn.append(op) }
        }
    }
}
