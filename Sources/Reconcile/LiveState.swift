import NgrokModel

/// One object as the API returned it. Immutable; copies share one allocation (the planner files
/// each live object under several indexes, and a copy is one reference count).
public struct LiveObject: Sendable, Hashable {
    private final class Storage: Sendable {
        let id: String
        let collection: APICollection
        let createdAt: String
        let json: [String: WireValue]
        let marker: OwnershipMarker?

        init(collection: APICollection, json: [String: WireValue]) {
            self.collection = collection
            self.json = json
            self.id = json["id"]?.stringValue ?? ""
            self.createdAt = json["created_at"]?.stringValue ?? ""
            self.marker = json["metadata"]?.stringValue.flatMap { OwnershipMarker(metadata: $0) }
        }
    }

    private let storage: Storage

    public var id: String { storage.id }
    public var collection: APICollection { storage.collection }
    public var createdAt: String { storage.createdAt }
    /// The response object.
    public var json: [String: WireValue] { storage.json }
    /// The ownership marker in `metadata`, when there is one.
    public var marker: OwnershipMarker? { storage.marker }
    /// This very object (not an equal one): a cheap key for what one planning run derives from it.
    var identity: ObjectIdentifier { ObjectIdentifier(storage) }

    public init(collection: APICollection, json: [String: WireValue]) {
        storage = Storage(collection: collection, json: json)
    }

    /// The other properties derive from these two.
    public static func == (a: LiveObject, b: LiveObject) -> Bool {
        a.storage === b.storage || (a.collection == b.collection && a.json == b.json)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(collection)
        hasher.combine(json)
    }

    /// Oldest first: creation time, then ID (IDs are time-sortable).
    static func olderFirst(_ a: LiveObject, _ b: LiveObject) -> Bool {
        (a.createdAt, a.id) < (b.createdAt, b.id)
    }
}

/// Everything the planner read from the account.
public struct LiveState: Sendable {
    public static let ruleCollection = APICollection.ipPolicyRules
    public static let collections = Kind.allCases.map(\.collection) + [ruleCollection]

    public var objects: [APICollection: [LiveObject]]

    public init(objects: [APICollection: [LiveObject]]) {
        self.objects = objects
    }

    public func all(_ collection: APICollection) -> [LiveObject] { objects[collection] ?? [] }
    public func all(_ kind: Kind) -> [LiveObject] { all(kind.collection) }

    public var count: Int { objects.values.reduce(0) { $0 + $1.count } }

    /// Objects whose marker names this stack, by address, oldest first.
    public func owned(by stack: String) -> [ResourceAddress: [LiveObject]] {
        var out: [ResourceAddress: [LiveObject]] = [:]
        for kind in Kind.allCases {
            for object in all(kind) {
                guard let marker = object.marker, marker.stack == stack, marker.address.kind == kind else { continue }
                out[marker.address, default: []].append(object)
            }
        }
        for (address, objects) in out where objects.count > 1 { out[address] = objects.sorted(by: LiveObject.olderFirst) }
        return out
    }

    /// Rules by the ID of their policy (computes; keep the result).
    public var rulesByPolicy: [String: [LiveObject]] {
        var out: [String: [LiveObject]] = [:]
        for rule in all(Self.ruleCollection) {
            guard case .object(let ref)? = rule.json["ip_policy"], let id = ref["id"]?.stringValue else { continue }
            out[id, default: []].append(rule)
        }
        for (policy, rules) in out where rules.count > 1 { out[policy] = rules.sorted(by: LiveObject.olderFirst) }
        return out
    }
}
