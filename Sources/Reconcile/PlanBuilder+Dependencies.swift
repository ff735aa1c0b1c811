import Crypto
import NgrokModel

extension PlanBuilder {
    // MARK: Prune

    mutating func planPrune(owned: [ResourceAddress: [LiveObject]]) {
        var adopted = Set<String>()
        for case .adopt(let object) in identity.values { adopted.insert(object.id) }
        for address in owned.keys.filter({ !desiredAddresses.contains($0) }).sorted() {
            let objects = owned[address]!.filter { !adopted.contains($0.id) }
            guard let first = objects.first else { continue }
            touched += objects
            let marker = first.marker
            if marker?.retain == true {
                for object in objects {
                    add(
                        .forget, address, changes: [.init(path: "ownership", before: .string("stack \(stackName)"), after: nil)],
                        reason: "removed from the manifests with deletionPolicy Retain: left in place, no longer managed",
                        method: .patch, collection: address.kind.collection, objectID: object.id,
                        body: .object(["metadata": .string(marker?.userMetadata ?? "")]))
                }
                continue
            }
            guard planner.stack.spec.prune else {
                notes.append("\(address) (\(first.id)) is no longer in the manifests; left in place because prune is off")
                continue
            }
            if marker?.protect == true {
                errors.append(.error(
                    at: planner.stack.spec.source.document, address,
                    "is no longer in the manifests but is protected (\(first.id)); it will not be deleted",
                    hint: "restore its manifest, or restore it with `protect: false` and apply before removing it"))
                continue
            }
            for object in objects {
                add(
                    .delete, address, changes: [.init(path: "id", before: .string(object.id), after: nil)],
                    reason: "no longer in the manifests (prune)", method: .delete, collection: address.kind.collection,
                    objectID: object.id, destructive: address.kind == .reservedDomain || address.kind == .reservedAddress)
            }
        }
    }

    // MARK: Dependencies

    /// IDs an object refers to (policies, CAs, configurations, certificates), from its response.
    static func referencedIDs(_ object: LiveObject) -> [String] {
        var ids: [String] = []
        func refID(_ value: WireValue?) {
            if case .object(let r)? = value, let id = r["id"]?.stringValue { ids.append(id) }
        }
        func refList(_ value: WireValue?, _ key: String) {
            if case .object(let m)? = value, case .list(let refs)? = m[key] { refs.forEach { refID($0) } }
        }
        switch object.collection {
        case Kind.endpointConfiguration.collection:
            for module in ModuleName.allCases {
                for field in module.referenceFields { refList(object.json[module.apiName], field.response) }
            }
        case Kind.reservedDomain.collection:
            refID(object.json["http_endpoint_configuration"])
            refID(object.json["https_endpoint_configuration"])
            if object.json["certificate_management_policy"] ?? .null == .null { refID(object.json["certificate"]) }
        case Kind.reservedAddress.collection:
            refID(object.json["endpoint_configuration"])
        default:
            break
        }
        return ids
    }

    mutating func addDependencies(normalizer: LiveNormalizer) {
        // Pending references: the referenced object (and a policy's rules) first.
        for index in operations.indices {
            for case .pending(let target) in operations[index].request.body?.references ?? [] {
                if let create = createOp[target], create != index { operations[index].dependsOn.append(create) }
                if target != operations[index].address { operations[index].dependsOn += ruleCreateOps[target] ?? [] }
            }
        }
        // Create before destroy.
        for index in operations.indices where operations[index].replacement && operations[index].action == .delete {
            let address = operations[index].address
            if !FieldSchema.replacesDeleteFirst(address.kind), let create = createOp[address],
                !operations[create].dependsOn.contains(index)  // a delete-first replacement
            {
                operations[index].dependsOn.append(create)
            }
        }
        // References are removed before the object they point at is deleted (the index of who
        // refers to what is only built when something is deleted).
        let deletes = operations.indices.compactMap { index -> (index: Int, id: String)? in
            let op = operations[index]
            guard op.subject == .object, op.action == .delete || op.action == .dedupe, let id = op.request.objectID else {
                return nil
            }
            return (index, id)
        }
        var referrers: [String: [LiveObject]] = [:]
        var opsByObject: [String: [Int]] = [:]
        if !deletes.isEmpty {
            for kind in Kind.referring {
                for object in planner.live.all(kind) {
                    for id in Self.referencedIDs(object) { referrers[id, default: []].append(object) }
                }
            }
            for op in operations { if let id = op.request.objectID { opsByObject[id, default: []].append(op.id) } }
        }
        for (index, id) in deletes {
            let op = operations[index]
            for referrer in referrers[id] ?? [] {
                let referrerOps = (opsByObject[referrer.id] ?? []).filter { $0 != index }
                let ownedReferrer = addressOfID[referrer.id] != nil
                let removes = referrerOps.filter { removesReference(operations[$0], to: id) }
                if ownedReferrer, !removes.isEmpty {
                    operations[index].dependsOn += removes
                } else {
                    let who = addressOfID[referrer.id].map { "\($0) (\(referrer.id))" } ?? "\(referrer.collection) \(referrer.id), which this stack does not manage"
                    errors.append(.error(
                        at: planner.stack.resource(op.address)?.source.document ?? planner.stack.spec.source.document,
                        op.address, "cannot delete \(id): it is still used by \(who)",
                        hint: ownedReferrer
                            ? "change or remove the reference in the manifests in the same change"
                            : "detach it from that object in the dashboard or API first"))
                }
            }
        }
        for index in operations.indices {
            operations[index].dependsOn = Array(Set(operations[index].dependsOn)).sorted()
        }
    }

    /// Whether an operation on a referrer stops it pointing at `id`.
    func removesReference(_ op: PlanOperation, to id: String) -> Bool {
        switch op.action {
        case .delete, .dedupe, .moduleDelete, .detach: return true
        case .modulePut, .attach, .update, .adopt:
            let sent = op.request.body?.references ?? []
            return !sent.contains(.live(id: id, address: addressOfID[id])) && !sent.contains { if case .live(id, _) = $0 { true } else { false } }
        case .create, .forget, .rotate, .revoke: return false
        }
    }

    // MARK: Targeting

    mutating func applyTargeting() {
        let options = planner.options
        guard !options.targets.isEmpty || !options.excludes.isEmpty else { return }
        var keep = Set(operations.map(\.id))
        if !options.targets.isEmpty {
            let targets = Set(options.targets)
            for target in targets where planner.stack.resource(target) == nil && !operations.contains(where: { $0.address == target }) {
                errors.append(.error(at: nil, target, "--target names no resource of this stack or plan", hint: "use Kind/name as shown by plan"))
            }
            var selected = Set<Int>()
            var queue = operations.filter { targets.contains($0.address) }.map(\.id)
            while let next = queue.popLast() {
                guard selected.insert(next).inserted else { continue }
                queue += operations[next].dependsOn
            }
            keep = selected
        }
        let excluded = Set(options.excludes)
        for op in operations where keep.contains(op.id) && excluded.contains(op.address) { keep.remove(op.id) }
        for op in operations where keep.contains(op.id) {
            for dependency in op.dependsOn where !keep.contains(dependency) && excluded.contains(operations[dependency].address) {
                errors.append(.error(
                    at: nil, op.address,
                    "\(op.action.rawValue) of \(op.target) depends on \(operations[dependency].target), which is excluded",
                    hint: "exclude \(op.address) as well, or stop excluding \(operations[dependency].address)"))
            }
        }
        operations = operations.filter { keep.contains($0.id) }
    }

    // MARK: Finish

    /// Topological order (ties by planning order), renumbered from 0.
    func finish() -> Plan {
        var errors = self.errors
        let byID = Dictionary(uniqueKeysWithValues: operations.map { ($0.id, $0) })
        // Kahn's algorithm, always taking the lowest ready ID: the order is deterministic and keeps
        // the planning order wherever dependencies allow.
        var waitingFor: [Int: Int] = [:]
        var dependents: [Int: [Int]] = [:]
        var ready = MinHeap()
        for op in operations {
            let deps = Set(op.dependsOn.filter { byID[$0] != nil })
            waitingFor[op.id] = deps.count
            for dep in deps { dependents[dep, default: []].append(op.id) }
            if deps.isEmpty { ready.insert(op.id) }
        }
        var order: [Int] = []
        order.reserveCapacity(operations.count)
        while let next = ready.popMin() {
            order.append(next)
            for dependent in dependents[next] ?? [] {
                waitingFor[dependent]! -= 1
                if waitingFor[dependent] == 0 { ready.insert(dependent) }
            }
        }
        if order.count < operations.count {
            errors.append(.error(at: nil, nil, "internal: the operations form a cycle", hint: "please report this plan"))
            let placed = Set(order)
            order += operations.map(\.id).filter { !placed.contains($0) }.sorted()
        }
        var renumber: [Int: Int] = [:]
        for (position, id) in order.enumerated() { renumber[id] = position }
        let ordered = order.map { id -> PlanOperation in
            var op = byID[id]!
            op.id = renumber[id]!
            op.dependsOn = op.dependsOn.compactMap { renumber[$0] }.sorted()
            return op
        }
        var plan = Plan(
            stack: stackName, sourceCommit: planner.options.sourceCommit, operations: ordered,
            errors: errors.sortedForDisplay(), warnings: warnings, notes: notes, liveFingerprint: liveFingerprint())
        var preexisting = Set<String>(minimumCapacity: planner.live.count)
        for object in planner.live.objects.values.joined() { preexisting.insert(object.id) }
        plan.preexistingIDs = preexisting
        plan.mayChange = mayChange
        for resource in planner.stack.resources where resource.kind.refersToOthers {
            let targets = resource.spec.references.map(\.target)
            if !targets.isEmpty { plan.references[resource.address] = targets }
        }
        plan.credentials = credentialSchedules
        return plan
    }

    /// A digest of the live objects this plan read and depends on: owned objects, objects it takes
    /// over, and the rules of owned policies.
    func liveFingerprint() -> String {
        // Every touched object is owned or adopted, so `addressOfID` holds exactly these IDs.
        // IDs and responses taken out once (sorting compares IDs many times).
        var objects: [(id: String, json: [String: WireValue])] = []
        for collection in LiveState.collections {
            for object in planner.live.all(collection) {
                let id = object.id
                if addressOfID[id] != nil {
                    objects.append((id, object.json))
                } else if collection == LiveState.ruleCollection, case .object(let r)? = object.json["ip_policy"],
                    let policy = r["id"]?.stringValue, addressOfID[policy] != nil
                {
                    objects.append((id, object.json))
                }
            }
        }
        objects.sort { $0.id < $1.id }
        // `uri` fields are derived from the API's base URL, which is not part of the objects.
        var hasher = SHA256()
        var bytes: [UInt8] = []
        var order = CanonicalJSON.KeyOrder()
        for object in objects {
            bytes.removeAll(keepingCapacity: true)
            CanonicalJSON.appendObject(object.json, to: &bytes, skippingKey: "uri", order: &order)
            bytes.append(0)
            hasher.update(data: bytes)
        }
        return Hex.encode(hasher.finalize())
    }
}
