import NgrokModel
import Validation

/// One account (as the manifests declare it, or as the API reports it) in the request shape the
/// planner compares, with every reference resolved to a name. `explain` evaluates only this, so
/// that the offline and the live answer come from the same code.
public struct AccountView: Sendable {
    public struct Object: Sendable, Hashable {
        /// Kind and name: the manifest name offline; live, the ownership marker's name, else the
        /// name `import` would give the object.
        public var address: ResourceAddress
        /// The API ID (live only).
        public var id: String?
        /// Request-shaped fields (`LiveNormalizer` / `DesiredBuilder`); references are `.ref` values.
        public var fields: [String: WireValue]
        /// IP policy rules: canonical CIDR and description, in a stable order.
        public var rules: [Rule]
        /// A reserved address's `addr` (live only: ngrok assigns it).
        public var addr: String?
        /// The stack that owns the object, when it carries a marker.
        public var stack: String?

        public var name: String { address.name }
        public var description: String { fields["description"]?.stringValue ?? "" }
    }

    public struct Rule: Sendable, Hashable {
        public var cidr: String
        public var description: String

        /// IPv4 before IPv6, then by network address and prefix length (the same order offline and live).
        static func sorted(_ rules: [Rule]) -> [Rule] {
            func key(_ rule: Rule) -> [Int] {
                guard let c = try? CIDR(parsing: rule.cidr, requireNetworkAddress: false) else { return [2] }
                return [c.family == .v4 ? 0 : 1] + c.address.bytes.map(Int.init) + [c.prefixLength]
            }
            return rules.sorted { a, b in
                let (ka, kb) = (key(a), key(b))
                return ka == kb ? a.cidr < b.cidr : ka.lexicographicallyPrecedes(kb)
            }
        }
    }

    /// `offline` or `live`, shown in the output.
    public var origin: String
    public var objects: [Kind: [Object]]

    public init(origin: String, objects: [Kind: [Object]]) {
        self.origin = origin
        self.objects = objects.mapValues { $0.sorted { $0.address < $1.address } }
    }

    public func all(_ kind: Kind) -> [Object] { objects[kind] ?? [] }

    public func object(_ address: ResourceAddress) -> Object? {
        all(address.kind).first { $0.address == address }
    }

    /// The name a reference value points at (`.ref` of either side).
    public static func referencedName(_ value: WireValue?) -> ResourceAddress? {
        guard case .ref(let target)? = value else { return nil }
        return target.address
    }

    /// The objects a set/list of references points at.
    public static func referencedNames(_ value: WireValue?) -> [ResourceAddress] {
        switch value {
        case .set(let l)?, .list(let l)?: l.compactMap { referencedName($0) }
        default: []
        }
    }
}

extension AccountView {
    /// The desired model of a loaded stack (offline). Secrets are not needed and not read.
    public static func desired(_ stack: Stack, canonicalCIDR: @escaping @Sendable (String) -> String) -> AccountView {
        let builder = DesiredBuilder(
            stack: stack.name, reference: { .pending($0) }, secrets: [:], canonicalCIDR: canonicalCIDR)
        var objects: [Kind: [Object]] = [:]
        for resource in stack.resources {
            let built = builder.build(resource)
            var rules: [Rule] = []
            if case .ipPolicy(let spec) = resource.spec {
                rules = Rule.sorted(spec.rules.map { Rule(cidr: canonicalCIDR($0.cidr), description: $0.description ?? "") })
            }
            objects[resource.kind, default: []].append(
                Object(address: resource.address, id: nil, fields: built.fields, rules: rules, addr: nil, stack: stack.name))
        }
        return AccountView(origin: "offline", objects: objects)
    }

    /// The live account, read with `ReconcileAPI.snapshot()`.
    public static func live(_ state: LiveState, canonicalCIDR: @escaping @Sendable (String) -> String) -> AccountView {
        let names = LiveNames(state)
        let normalizer = LiveNormalizer(addressOfID: names.addressOfID, canonicalCIDR: canonicalCIDR)
        let rulesByPolicy = state.rulesByPolicy
        var objects: [Kind: [Object]] = [:]
        for kind in Kind.allCases {
            for object in state.all(kind) {
                guard let address = names.addressOfID[object.id] else { continue }
                var rules: [Rule] = []
                if kind == .ipPolicy {
                    rules = Rule.sorted((rulesByPolicy[object.id] ?? []).map {
                        let rule = normalizer.rule($0)
                        return Rule(cidr: rule.cidr, description: rule.description)
                    })
                }
                objects[kind, default: []].append(
                    Object(
                        address: address, id: object.id, fields: normalizer.fields(of: object, kind: kind), rules: rules,
                        addr: kind == .reservedAddress ? object.json["addr"]?.stringValue : nil,
                        stack: object.marker?.stack))
            }
        }
        return AccountView(origin: "live", objects: objects)
    }
}

/// Names for live objects: the ownership marker's name when the object has one for its kind
/// (and it is not taken yet), else a name derived like `import` does (description, domain, …).
public struct LiveNames: Sendable {
    public var addressOfID: [String: ResourceAddress]

    public init(_ state: LiveState) {
        var out: [String: ResourceAddress] = [:]
        for kind in Kind.allCases {
            let objects = state.all(kind).sorted(by: LiveObject.olderFirst)
            var namer = NameAllocator()
            // Marked objects keep their names first, so that derived names never steal them.
            // The generations of a rotated credential (same stack and address) share one name.
            var generations: [String: ResourceAddress] = [:]
            for object in objects {
                guard let marker = object.marker, marker.address.kind == kind else { continue }
                let key = "\(marker.stack)\u{0}\(marker.address)"
                if kind == .credential, let shared = generations[key] {
                    out[object.id] = shared
                    continue
                }
                guard namer.claim(marker.address.name) else { continue }
                out[object.id] = marker.address
                generations[key] = marker.address
            }
            for object in objects where out[object.id] == nil {
                out[object.id] = ResourceAddress(kind, namer.allocate(NameAllocator.base(for: object, kind: kind)))
            }
        }
        addressOfID = out
    }
}
