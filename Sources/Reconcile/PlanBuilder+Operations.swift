import NgrokModel

extension PlanBuilder {
    @discardableResult
    mutating func add(
        _ action: PlanOperation.Action, _ address: ResourceAddress, subject: PlanOperation.Subject = .object,
        changes: [PlanOperation.FieldChange] = [], reason: String, method: HTTPMethod, collection: APICollection,
        objectID: String?, suffix: String = "", body: WireValue? = nil, destructive: Bool = false,
        replacement: Bool = false
    ) -> Int {
        let id = operations.count
        // Changes are computed on API-shaped values; people read them in the manifest's vocabulary
        // (a rule's fields are named alike in both).
        var changes = changes
        if case .rule = subject {} else {
            changes = changes.map { $0.inManifestVocabulary(address.kind) }.sorted { $0.path < $1.path }
        }
        operations.append(
            PlanOperation(
                id: id, action: action, address: address, subject: subject, changes: changes, reason: reason,
                dependsOn: [], destructive: destructive, replacement: replacement,
                request: .init(
                    method: method, collection: collection, objectID: objectID, suffix: suffix, body: body)))
        return id
    }

    mutating func plan(_ object: DesiredObject, normalizer: LiveNormalizer) {
        let object = object.kind == .credential ? credentialObject(object) : object
        let address = object.address
        let collection = object.kind.collection
        if object.kind == .credential, planner.stack.spec.tokenDirectory == nil {
            switch identity[address] {
            case .keep?, .adopt?: break
            default:
                errors.append(.error(
                    at: object.resource.source.document, address,
                    "creating a credential needs a token directory for its new token",
                    hint: "set spec.tokenDirectory in ngrokctl.yaml (tokens are written there with mode 0600)"))
            }
        }
        switch identity[address] ?? .create {
        case .create:
            planCreate(object, reason: "not in the account", replacement: false)
        case .replace(let old, let reason):
            if object.resource.common.protect || old.marker?.protect == true {
                errors.append(.error(
                    at: object.resource.source.document, address, "must be replaced (\(reason)) but is protected",
                    hint: "remove `protect: true` to allow the replacement, or revert the change"))
            }
            let destructive = FieldSchema.replacementIsDestructive(object.kind)
            if FieldSchema.replacesDeleteFirst(object.kind) || reason == Self.neverDelivered {
                let delete = add(
                    .delete, address, changes: [], reason: "replace (delete first): \(reason)", method: .delete,
                    collection: collection, objectID: old.id, destructive: true, replacement: true)
                let create = planCreate(object, reason: "replace: \(reason)", replacement: true)
                operations[create].dependsOn.append(delete)
            } else {
                let why = ModuleOrdering.isGapReason(reason) ? "replace: \(reason)" : "replace (create before destroy): \(reason)"
                planCreate(object, reason: why, replacement: true)
                add(
                    .delete, address, reason: "replaced (\(reason))", method: .delete, collection: collection,
                    objectID: old.id, destructive: destructive, replacement: true)
            }
        case .keep(let live):
            planUpdate(object, live: live, normalizer: normalizer, adopting: false)
        case .adopt(let live):
            planUpdate(object, live: live, normalizer: normalizer, adopting: true)
        }
        for duplicate in duplicates[address] ?? [] {
            add(
                .dedupe, address,
                reason: "duplicate of the kept object (same ownership marker, e.g. after two concurrent applies)",
                method: .delete, collection: collection, objectID: duplicate.id,
                destructive: object.kind == .reservedAddress)
        }
        if object.kind == .credential { planGenerations(object, normalizer: normalizer) }
    }

    @discardableResult
    mutating func planCreate(_ object: DesiredObject, reason: String, replacement: Bool) -> Int {
        var body: [String: WireValue] = [:]
        for (field, value) in object.request where value != .null {
            body[field] = value
        }
        if object.kind == .reservedDomain, body["certificate_management_policy"] != nil {
            body["certificate_id"] = nil
        }
        // Shown with API defaults filled in.
        let changes = body.keys.sorted().flatMap { field -> [PlanOperation.FieldChange] in
            FieldDiff.leaves(path: field, object.fields[field] ?? body[field]!, created: true)
        }.filter { $0.path != "metadata" }
        let id = add(
            .create, object.address, changes: changes, reason: reason, method: .post,
            collection: object.kind.collection, objectID: nil, body: .object(body), replacement: replacement)
        createOp[object.address] = id
        // A new policy's rules: all of them, created before anything uses the policy.
        for cidr in object.rules.keys.sorted() {
            planRuleCreate(object.address, object.rules[cidr]!, policy: .pending(object.address), reason: "rule of a new policy")
        }
        return id
    }

    mutating func planRuleCreate(_ address: ResourceAddress, _ rule: DesiredRule, policy: RefTarget, reason: String) {
        let body: WireValue = .object([
            "cidr": .string(rule.cidr), "description": .string(rule.description), "metadata": .string(rule.metadata),
            "ip_policy_id": .ref(policy),
        ])
        var changes = [PlanOperation.FieldChange(path: "cidr", before: nil, after: .string(rule.cidr))]
        if !rule.description.isEmpty {
            changes.append(.init(path: "description", before: nil, after: .string(rule.description)))
        }
        if !rule.metadata.isEmpty { changes.append(.init(path: "metadata", before: nil, after: .string(rule.metadata))) }
        let id = add(
            .create, address, subject: .rule(cidr: rule.cidr), changes: changes, reason: reason, method: .post,
            collection: LiveState.ruleCollection, objectID: nil, body: body)
        ruleCreateOps[address, default: []].append(id)
        if case .pending(let policyAddress) = policy, let create = createOp[policyAddress] {
            operations[id].dependsOn.append(create)
        }
    }

    mutating func planUpdate(_ object: DesiredObject, live: LiveObject, normalizer: LiveNormalizer, adopting: Bool) {
        var object = object
        let operationsBefore = operations.count
        if !object.deferredSecrets.isEmpty {
            // Secrets not available to this plan: compare as if they were unchanged, and say they may change.
            object.marker.fingerprint = live.marker?.fingerprint ?? ""
            object.fields["metadata"] = .string(object.marker.encoded)
        }
        defer {
            if !object.deferredSecrets.isEmpty, operations.count == operationsBefore {
                mayChange.append(
                    Plan.MayChange(
                        address: object.address, objectID: live.id,
                        fields: object.deferredSecrets.map { String($0.dropFirst("spec.".count)) }))
            }
        }
        let address = object.address
        let collection = object.kind.collection
        var have = liveFields(live, kind: object.kind, normalizer)
        // Adopting trusts the given secrets: the API never returns them, and the marker written on
        // adoption records their fingerprint from then on.
        let fingerprintMatches = adopting || object.fingerprints.matches(live.marker?.fingerprint)
        // A secret the API does not return is unchanged when the fingerprint in the marker matches.
        func reconcileSecrets(_ want: WireValue, _ got: WireValue) -> WireValue {
            switch (want, got) {
            case (.secret(.deferred), .secret): return want
            case (.secret(.known), .secret(.unknown)): return fingerprintMatches ? want : got
            case (.object(let w), .object(let g)):
                var out = g
                for (k, v) in g { if let wv = w[k] { out[k] = reconcileSecrets(wv, v) } }
                return .object(out)
            default: return got
            }
        }
        // Only a desired value that holds a secret can change anything here.
        for (field, want) in object.fields where want.isSensitive {
            guard let value = have[field] else { continue }
            have[field] = reconcileSecrets(want, value)
        }
        // A marker written with the earlier fingerprint scheme for the same secrets is no change on
        // its own; it is rewritten with the next real update.
        var remark = false
        if let liveFingerprint = live.marker?.fingerprint, liveFingerprint != object.marker.fingerprint,
            Fingerprint.isLegacy(liveFingerprint), object.fingerprints.matches(liveFingerprint)
        {
            var old = object.marker
            old.fingerprint = liveFingerprint
            if have["metadata"] == .string(old.encoded) {
                have["metadata"] = object.fields["metadata"]
                remark = true
            }
        }

        var patch: [String: WireValue] = [:]
        var patchChanges: [PlanOperation.FieldChange] = []
        let wantsManagedCertificate = (object.fields["certificate_management_policy"] ?? .null) != .null
        var detachPolicyOp: Int?
        var moduleOps: [(op: Int, step: ModuleOrdering.Step)] = []
        for (field, role) in FieldSchema.orderedRoles(for: object.kind) {
            let want = object.fields[field] ?? .null
            let got = have[field] ?? .null
            guard want != got else { continue }
            switch role {
            case .immutable:
                continue  // decided in the identity pass
            case .plain:
                patch[field] = want
                if field == "metadata" {
                    patchChanges += markerChanges(
                        before: live.marker, rawBefore: got, after: object.marker, fingerprints: object.fingerprints)
                } else {
                    patchChanges += FieldDiff.changes(path: field, before: got, after: want)
                }
            case .module(let module):
                moduleOps.append((operations.count, ModuleOrdering.Step(module: module, after: want)))
                if want == .null {
                    add(
                        .moduleDelete, address, subject: .module(module),
                        changes: FieldDiff.leaves(path: module.apiName, got, created: false),
                        reason: "module removed from the manifest", method: .delete, collection: collection,
                        objectID: live.id, suffix: "/\(module.apiName)")
                } else {
                    add(
                        .modulePut, address, subject: .module(module),
                        changes: FieldDiff.changes(
                            path: module.apiName, before: got == .null ? nil : got, after: want),
                        reason: got == .null ? "module added" : "module changed", method: .put,
                        collection: collection, objectID: live.id, suffix: "/\(module.apiName)",
                        body: object.request[field] ?? want)
                }
            case .attachment(let detachPath):
                if want == .null {
                    if field == "certificate_id" && wantsManagedCertificate { continue }
                    let op = add(
                        .detach, address, subject: .slot(detachPath),
                        changes: [.init(path: field, before: got, after: nil)], reason: "detached in the manifest",
                        method: .delete, collection: collection, objectID: live.id, suffix: "/\(detachPath)")
                    if field == "certificate_management_policy" { detachPolicyOp = op }
                } else {
                    add(
                        .attach, address, subject: .slot(detachPath),
                        changes: FieldDiff.changes(path: field, before: got == .null ? nil : got, after: want),
                        reason: got == .null ? "attach" : "repoint", method: .patch, collection: collection,
                        objectID: live.id, body: .object([field: want]))
                }
            }
        }
        if object.kind == .endpointConfiguration {
            planUnmodelledModuleRemovals(address, live: live, before: moduleOps.map { $0.op })
        }
        if !moduleOps.isEmpty { orderModules(moduleOps, before: have, configuration: live.id) }
        if let detachPolicyOp, let attach = operations.firstIndex(where: {
            $0.address == address && $0.action == .attach && $0.subject == .slot("certificate")
        }) {
            operations[attach].dependsOn.append(detachPolicyOp)
        }
        if remark, !patch.isEmpty { patch["metadata"] = object.fields["metadata"] }
        if adopting {
            patch["metadata"] = object.fields["metadata"]
            add(
                .adopt, address, changes: patchChanges.filter { $0.path != "metadata" }
                    + [.init(path: "ownership", before: nil, after: .string("stack \(stackName)"))],
                reason: "exists in the account; taking it over (adopt)", method: .patch, collection: collection,
                objectID: live.id, body: .object(patch))
        } else if !patch.isEmpty {
            add(
                .update, address, changes: patchChanges, reason: "changed in the manifest", method: .patch,
                collection: collection, objectID: live.id, body: .object(patch))
        }
        if object.kind == .ipPolicy { planRules(object, policy: live, normalizer: normalizer) }
    }

    /// Marker changes shown as what they mean, never as raw JSON.
    func markerChanges(
        before: OwnershipMarker?, rawBefore: WireValue, after: OwnershipMarker, fingerprints: Fingerprint.Pair
    ) -> [PlanOperation.FieldChange] {
        guard let before else {
            return [.init(path: "metadata", before: rawBefore, after: .string("(ownership marker)"))]
        }
        var out: [PlanOperation.FieldChange] = []
        if before.userMetadata != after.userMetadata {
            out.append(.init(
                path: "metadata", before: before.userMetadata.map(WireValue.string) ?? .null,
                after: after.userMetadata.map(WireValue.string) ?? .null))
        }
        if !fingerprints.matches(before.fingerprint) {
            out.append(.init(path: "secrets", before: .secret(.unknown), after: .secret(.unknown)))
        }
        if before.retain != after.retain {
            out.append(.init(
                path: "deletionPolicy", before: .string(before.retain ? "Retain" : "Delete"),
                after: .string(after.retain ? "Retain" : "Delete")))
        }
        if before.protect != after.protect {
            out.append(.init(path: "protect", before: .bool(before.protect), after: .bool(after.protect)))
        }
        if before.address != after.address {
            out.append(.init(path: "address", before: .string(before.address.description), after: .string(after.address.description)))
        }
        return out
    }

    /// Rules of a kept policy: add before remove, so access never narrows by accident mid-apply.
    mutating func planRules(_ object: DesiredObject, policy: LiveObject, normalizer: LiveNormalizer) {
        let address = object.address
        var liveRules: [String: LiveObject] = [:]
        var normalized: [String: DesiredRule] = [:]
        for rule in rulesByPolicy[policy.id] ?? [] {
            let shaped = normalizer.rule(rule)
            let cidr = shaped.cidr
            if liveRules[cidr] == nil {
                liveRules[cidr] = rule
                normalized[cidr] = shaped
            } else {
                add(
                    .dedupe, address, subject: .rule(cidr: cidr), reason: "duplicate rule for the same CIDR",
                    method: .delete, collection: LiveState.ruleCollection, objectID: rule.id)
            }
        }
        for cidr in object.rules.keys.sorted() where liveRules[cidr] == nil {
            planRuleCreate(address, object.rules[cidr]!, policy: .live(id: policy.id, address: address), reason: "rule added")
        }
        for cidr in object.rules.keys.sorted() {
            guard let rule = liveRules[cidr] else { continue }
            let want = object.rules[cidr]!
            let have = normalized[cidr]!
            var body: [String: WireValue] = [:]
            var changes: [PlanOperation.FieldChange] = []
            if want.description != have.description {
                body["description"] = .string(want.description)
                changes.append(.init(path: "description", before: .string(have.description), after: .string(want.description)))
            }
            if want.metadata != have.metadata {
                body["metadata"] = .string(want.metadata)
                changes.append(.init(path: "metadata", before: .string(have.metadata), after: .string(want.metadata)))
            }
            if !body.isEmpty {
                add(
                    .update, address, subject: .rule(cidr: cidr), changes: changes, reason: "rule changed",
                    method: .patch, collection: LiveState.ruleCollection, objectID: rule.id, body: .object(body))
            }
        }
        let creates = ruleCreateOps[address] ?? []
        for cidr in liveRules.keys.sorted() where object.rules[cidr] == nil {
            let op = add(
                .delete, address, subject: .rule(cidr: cidr),
                changes: [.init(path: "cidr", before: .string(cidr), after: nil)],
                reason: "rule removed (after the new rules exist)", method: .delete,
                collection: LiveState.ruleCollection, objectID: liveRules[cidr]!.id)
            operations[op].dependsOn += creates
        }
    }
}
