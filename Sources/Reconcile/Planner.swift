import NgrokModel

/// Computes the plan: desired resources + live objects → a DAG of operations (docs/product-rules.md, docs/architecture.md).
/// Pure: no I/O. Secrets arrive resolved; CIDRs are canonicalised by the injected function.
public struct Planner: Sendable {
    public var stack: Stack
    public var live: LiveState
    /// Resolved secret inputs by resource and spec path (see `SecretInputs`).
    public var secrets: [ResourceAddress: [String: SecretValue]]
    public var canonicalCIDR: @Sendable (String) -> String
    public var options: PlanOptions

    public init(
        stack: Stack, live: LiveState, secrets: [ResourceAddress: [String: SecretValue]],
        canonicalCIDR: @escaping @Sendable (String) -> String, options: PlanOptions = PlanOptions()
    ) {
        self.stack = stack
        self.live = live
        self.secrets = secrets
        self.canonicalCIDR = canonicalCIDR
        self.options = options
    }

    /// What happens to a desired resource's identity.
    enum Identity {
        case keep(LiveObject)
        case adopt(LiveObject)
        case create
        case replace(old: LiveObject, reason: String)
    }

    public func plan() -> Plan {
        var state = PlanBuilder(planner: self)
        state.run()
        return state.finish()
    }
}

enum AdoptionCandidate {
    case adopt(LiveObject)
    case conflict(Diagnostic)
}

/// The mutable work of one planning run.
struct PlanBuilder {
    let planner: Planner
    var stackName: String { planner.stack.name }
    var operations: [PlanOperation] = []
    var errors: [Diagnostic] = []
    var warnings: [Diagnostic] = []
    var notes: [String] = []
    /// Existing resources whose only possible change is a secret this plan could not resolve.
    var mayChange: [Plan.MayChange] = []
    var identity: [ResourceAddress: Planner.Identity] = [:]
    /// Live objects normalised to request shape, by object (see `liveFields`).
    var normalizedLive: [ObjectIdentifier: [String: WireValue]] = [:]
    var duplicates: [ResourceAddress: [LiveObject]] = [:]
    var addressOfID: [String: ResourceAddress] = [:]
    var touched: [LiveObject] = []
    /// IDs of the create operation (or the replacement's create) of each address.
    var createOp: [ResourceAddress: Int] = [:]
    var ruleCreateOps: [ResourceAddress: [Int]] = [:]
    /// A credential's generations older than its newest, oldest first (see `PlanBuilder+Rotation`).
    var olderGenerations: [ResourceAddress: [LiveObject]] = [:]
    var credentialSchedules: [CredentialSchedule] = []
    /// Live rules by policy ID, computed once.
    let rulesByPolicy: [String: [LiveObject]]
    /// Secret fingerprints by resource, computed once (the derivation is deliberately slow).
    let fingerprints: [ResourceAddress: Fingerprint.Pair]
    /// Reserved domains and addresses by the ID of the endpoint configuration they use, computed once.
    let configurationUsers: [String: [LiveObject]]

    init(planner: Planner) {
        self.planner = planner
        let memo = CIDRMemo(planner.canonicalCIDR)
        self.canonicalCIDR = { memo($0) }
        self.rulesByPolicy = planner.live.rulesByPolicy
        self.fingerprints = Fingerprint.all(stack: planner.stack.name, secrets: planner.secrets)
        self.configurationUsers = Self.usersOfConfigurations(planner.live)
        // Sorted by key, moving each resource once (a resource is a large value to copy).
        let resources = planner.stack.resources
        let order = resources.indices.map { (rank: resources[$0].address.kind.displayRank, name: resources[$0].address.name, index: $0) }
            .sorted { ($0.rank, $0.name) < ($1.rank, $1.name) }
        self.desired = order.map { resources[$0.index] }
        self.desiredAddresses = Set(order.map { resources[$0.index].address })
    }

    /// The desired resources in address order.
    let desired: [Resource]
    /// Their addresses.
    let desiredAddresses: Set<ResourceAddress>
    /// `planner.canonicalCIDR`, remembered for this run.
    let canonicalCIDR: (String) -> String

    mutating func run() {
        let owned = planner.live.owned(by: stackName)
        let ownedCount = owned.values.reduce(0) { $0 + $1.count }
        addressOfID.reserveCapacity(ownedCount)
        normalizedLive.reserveCapacity(ownedCount)
        identity.reserveCapacity(desired.count)
        for (address, objects) in owned {
            for object in objects { addressOfID[object.id] = address }
        }
        // Each desired object is built once, with references pending; once identities are known,
        // references to kept objects are pointed at their live IDs.
        // Reversed and taken from the end (so still in address order): each object is moved out
        // of the array rather than copied.
        var built = decideIdentities(owned: owned)
        built.reverse()
        let normalizer = LiveNormalizer(addressOfID: addressOfID, canonicalCIDR: canonicalCIDR)
        // The identities are final here; the closure captures them, not a copy of the whole builder.
        let identities = identity
        let reference = { (address: ResourceAddress) in Self.reference(address, identities) }
        while var object = built.popLast() {
            if object.kind.refersToOthers, !object.resource.spec.references.isEmpty { object.resolveReferences(reference) }
            plan(object, normalizer: normalizer)
        }
        planPrune(owned: owned)
        assignGenerations()
        addDependencies(normalizer: normalizer)
        applyTargeting()
    }

    static func reference(_ address: ResourceAddress, _ identity: [ResourceAddress: Planner.Identity]) -> RefTarget {
        switch identity[address] {
        case .keep(let object)?, .adopt(let object)?: .live(id: object.id, address: address)
        default: .pending(address)
        }
    }

    // MARK: Identity

    /// Decides what happens to each desired resource's identity; returns the desired objects (built
    /// once, references pending) in address order.
    mutating func decideIdentities(owned: [ResourceAddress: [LiveObject]]) -> [DesiredObject] {
        var built: [DesiredObject] = []
        built.reserveCapacity(desired.count)
        let provisional = DesiredBuilder(
            stack: stackName, reference: { .pending($0) }, secrets: planner.secrets,
            canonicalCIDR: canonicalCIDR, fingerprints: fingerprints)
        let normalizer = LiveNormalizer(addressOfID: addressOfID, canonicalCIDR: canonicalCIDR)
        var immutableFields: [Kind: [String]] = [:]
        for kind in Kind.allCases {
            immutableFields[kind] = FieldSchema.orderedRoles(for: kind).filter { $0.role == .immutable }.map(\.field)
        }
        for resource in desired {
            let want = provisional.build(resource)
            built.append(want)
            let immutable = immutableFields[resource.kind]!
            func immutableDifference(_ object: LiveObject) -> [String] {
                let have = liveFields(object, kind: resource.kind, normalizer)
                return immutable.filter { field in
                    let wanted = want.fields[field] ?? .null
                    let got = have[field] ?? .null
                    // A secret not available to this plan may change: known at apply (`mayChange`).
                    if case .secret(.deferred) = wanted { return false }
                    if case .secret = wanted { return !want.fingerprints.matches(object.marker?.fingerprint) }
                    return wanted != got
                }
            }
            var candidates = owned[resource.address] ?? []
            if resource.kind == .credential { candidates = splitGenerations(resource.address, candidates) }
            if candidates.isEmpty, resource.kind == .reservedDomain, let found = adoptionCandidate(for: want, desiredAddresses) {
                switch found {
                case .adopt(let object):
                    identity[resource.address] = .adopt(object)
                    addressOfID[object.id] = resource.address
                    touched.append(object)
                case .conflict(let diagnostic):
                    errors.append(diagnostic)
                    identity[resource.address] = .create
                }
                continue
            }
            if candidates.isEmpty, resource.kind != .reservedDomain, resource.common.adopt,
                let object = adoptionByContent(for: want, immutable: immutable)
            {
                identity[resource.address] = .adopt(object)
                addressOfID[object.id] = resource.address
                touched.append(object)
                continue
            }
            if candidates.isEmpty {
                identity[resource.address] = .create
                continue
            }
            // Prefer an object that already matches the immutable fields (a replacement interrupted
            // after its create leaves two), then the oldest.
            // For a configuration, then one that needs no gap-avoiding replacement (the new copy of
            // an interrupted one).
            func gapFree(_ object: LiveObject) -> Bool {
                resource.kind != .endpointConfiguration || gapFreeReplacement(want: want, live: object, normalizer: normalizer) == nil
            }
            let several = candidates.count > 1
            candidates.sort { a, b in
                let (ma, mb) = (immutableDifference(a).isEmpty, immutableDifference(b).isEmpty)
                if ma != mb { return ma }
                if several, resource.kind == .endpointConfiguration {
                    let (ga, gb) = (gapFree(a), gapFree(b))
                    if ga != gb { return ga }
                }
                return LiveObject.olderFirst(a, b)
            }
            let keeper = candidates[0]
            touched += candidates
            if candidates.count > 1 { duplicates[resource.address] = Array(candidates.dropFirst()) }
            let changed = immutableDifference(keeper)
            if changed.isEmpty {
                if let reason = gapFreeReplacement(want: want, live: keeper, normalizer: normalizer) {
                    identity[resource.address] = .replace(old: keeper, reason: reason)
                } else {
                    identity[resource.address] = .keep(keeper)
                }
            } else {
                let have = liveFields(keeper, kind: resource.kind, normalizer)
                let reason = changed.map { field -> String in
                    let after = want.fields[field] ?? .null
                    let name = APIVocabulary.manifestPath(of: field, kind: resource.kind)
                    if after.isSensitive { return "\(name) changed (sensitive)" }
                    return "\(name) changed \((have[field] ?? .null).display) → \(after.display)"
                }.joined(separator: ", ")
                identity[resource.address] = .replace(old: keeper, reason: reason)
            }
            if resource.kind == .credential { checkDelivered(resource.address) }
        }
        return built
    }

    /// A live object's fields in request shape, normalised once per planning run.
    mutating func liveFields(_ object: LiveObject, kind: Kind, _ normalizer: LiveNormalizer) -> [String: WireValue] {
        if let cached = normalizedLive[object.identity] { return cached }
        let fields = normalizer.fields(of: object, kind: kind)
        normalizedLive[object.identity] = fields
        return fields
    }

    /// A reserved domain that exists already with the desired name but is not marked for this address.
    func adoptionCandidate(for want: DesiredObject, _ desiredAddresses: Set<ResourceAddress>) -> AdoptionCandidate? {
        guard case .string(let name)? = want.fields["name"] else { return nil }
        guard let object = planner.live.all(.reservedDomain).first(where: {
            ($0.json["domain"]?.stringValue ?? $0.json["name"]?.stringValue ?? "").lowercased() == name
        }) else { return nil }
        let resource = want.resource
        let location = resource.location(of: "spec.domain")
        if let marker = object.marker {
            if marker.stack != stackName {
                return .conflict(.error(
                    at: location, resource.address,
                    "domain \(name) (\(object.id)) is managed by stack \"\(marker.stack)\"",
                    hint: "remove it from that stack first, or choose another domain"))
            }
            if !desiredAddresses.contains(marker.address) {
                // Renamed within this stack: take it over under the new address.
                return .adopt(object)
            }
            return .conflict(.error(
                at: location, resource.address, "domain \(name) is already declared by \(marker.address)",
                hint: "declare each domain once"))
        }
        guard case .reservedDomain(let spec) = resource.spec, spec.adopt else {
            return .conflict(.error(
                at: location, resource.address,
                "domain \(name) is already reserved in the account (\(object.id)) and not managed by this stack",
                hint: "set `adopt: true` to take it over, or remove it in the dashboard"))
        }
        return .adopt(object)
    }
}
