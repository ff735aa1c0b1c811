import Foundation
import NgrokModel

/// The live account as read by one paginated list per collection: every object, indexed by ID and by
/// ownership marker, with a fingerprint of the whole (for stale-plan detection).
public struct LiveSnapshot: Sendable, Hashable {
    public private(set) var credentials: [Credential]
    public private(set) var ipPolicies: [IPPolicy]
    public private(set) var ipPolicyRules: [IPPolicyRule]
    public private(set) var ipWhitelist: [IPWhitelistEntry]
    public private(set) var certificateAuthorities: [CertificateAuthority]
    public private(set) var tlsCertificates: [TLSCertificate]
    public private(set) var endpointConfigurations: [EndpointConfiguration]
    public private(set) var reservedDomains: [ReservedDomain]
    public private(set) var reservedAddrs: [ReservedAddr]
    /// The collections that were read (the others are empty because they were not asked for).
    public let collections: Set<APICollection>
    /// SHA-256 (hex) over every object, sorted by ID, in canonical JSON.
    public let fingerprint: String

    private let byID: [String: LiveObject]
    /// stack → address → objects, oldest first.
    private let byMarker: [String: [ResourceAddress: [LiveObject]]]
    private let rulesByPolicy: [String: [IPPolicyRule]]

    public init(
        credentials: [Credential] = [], ipPolicies: [IPPolicy] = [], ipPolicyRules: [IPPolicyRule] = [],
        ipWhitelist: [IPWhitelistEntry] = [], certificateAuthorities: [CertificateAuthority] = [],
        tlsCertificates: [TLSCertificate] = [], endpointConfigurations: [EndpointConfiguration] = [],
        reservedDomains: [ReservedDomain] = [], reservedAddrs: [ReservedAddr] = [],
        collections: Set<APICollection> = Set(APICollection.allCases)
    ) {
        func sorted<T: APIObject>(_ items: [T]) -> [T] { items.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) } }
        self.credentials = sorted(credentials)
        self.ipPolicies = sorted(ipPolicies)
        self.ipPolicyRules = sorted(ipPolicyRules)
        self.ipWhitelist = sorted(ipWhitelist)
        self.certificateAuthorities = sorted(certificateAuthorities)
        self.tlsCertificates = sorted(tlsCertificates)
        self.endpointConfigurations = sorted(endpointConfigurations)
        self.reservedDomains = sorted(reservedDomains)
        self.reservedAddrs = sorted(reservedAddrs)
        self.collections = collections

        var all: [LiveObject] = []
        all += self.credentials.map(LiveObject.credential)
        all += self.ipPolicies.map(LiveObject.ipPolicy)
        all += self.ipPolicyRules.map(LiveObject.ipPolicyRule)
        all += self.ipWhitelist.map(LiveObject.ipWhitelistEntry)
        all += self.certificateAuthorities.map(LiveObject.certificateAuthority)
        all += self.tlsCertificates.map(LiveObject.tlsCertificate)
        all += self.endpointConfigurations.map(LiveObject.endpointConfiguration)
        all += self.reservedDomains.map(LiveObject.reservedDomain)
        all += self.reservedAddrs.map(LiveObject.reservedAddr)

        var byID: [String: LiveObject] = [:]
        var byMarker: [String: [ResourceAddress: [LiveObject]]] = [:]
        for object in all {
            byID[object.id] = object
            // Only a marker naming a kind of this object's collection counts (a rule is owned by its policy).
            if let marker = object.marker, APICollection(kind: marker.address.kind) == object.collection {
                byMarker[marker.stack, default: [:]][marker.address, default: []].append(object)
            }
        }
        for (stack, addresses) in byMarker {
            byMarker[stack] = addresses.mapValues { $0.sorted(by: LiveObject.olderFirst) }
        }
        self.byID = byID
        self.byMarker = byMarker
        self.rulesByPolicy = Dictionary(grouping: self.ipPolicyRules, by: \.ipPolicy.id)
        self.fingerprint = LiveSnapshot.fingerprint(of: all)
    }

    /// Every object, by collection then oldest first.
    public var allObjects: [LiveObject] {
        var all: [LiveObject] = []
        all += credentials.map(LiveObject.credential)
        all += ipPolicies.map(LiveObject.ipPolicy)
        all += ipPolicyRules.map(LiveObject.ipPolicyRule)
        all += ipWhitelist.map(LiveObject.ipWhitelistEntry)
        all += certificateAuthorities.map(LiveObject.certificateAuthority)
        all += tlsCertificates.map(LiveObject.tlsCertificate)
        all += endpointConfigurations.map(LiveObject.endpointConfiguration)
        all += reservedDomains.map(LiveObject.reservedDomain)
        all += reservedAddrs.map(LiveObject.reservedAddr)
        return all
    }

    /// The number of objects.
    public var count: Int { byID.count }

    /// Objects per collection.
    public var counts: [APICollection: Int] {
        [
            .credentials: credentials.count, .ipPolicies: ipPolicies.count, .ipPolicyRules: ipPolicyRules.count,
            .ipWhitelist: ipWhitelist.count, .certificateAuthorities: certificateAuthorities.count,
            .tlsCertificates: tlsCertificates.count, .endpointConfigurations: endpointConfigurations.count,
            .reservedDomains: reservedDomains.count, .reservedAddrs: reservedAddrs.count,
        ]
    }

    public func object(id: String) -> LiveObject? { byID[id] }

    /// Objects of a collection, oldest first.
    public func objects(in collection: APICollection) -> [LiveObject] {
        allObjects.filter { $0.collection == collection }
    }

    /// The objects owned by `stack`, per address; several per address are duplicates, oldest first
    /// (keep the first, delete the others).
    public func owned(by stack: String) -> [ResourceAddress: [LiveObject]] { byMarker[stack] ?? [:] }

    /// The objects carrying `stack`'s marker for `address`, oldest first.
    public func owned(by stack: String, address: ResourceAddress) -> [LiveObject] {
        byMarker[stack]?[address] ?? []
    }

    /// The stacks that own at least one object.
    public var stacks: [String] { byMarker.keys.sorted() }

    /// Addresses of `stack` with more than one live object.
    public func duplicates(of stack: String) -> [ResourceAddress: [LiveObject]] {
        owned(by: stack).filter { $0.value.count > 1 }
    }

    /// The rules of an IP policy, oldest first.
    public func rules(ofPolicy policyID: String) -> [IPPolicyRule] { rulesByPolicy[policyID] ?? [] }

    /// A reserved domain by hostname (case-insensitive), for adoption.
    public func reservedDomain(named domain: String) -> ReservedDomain? {
        let wanted = domain.lowercased()
        return reservedDomains.first { $0.domain.lowercased() == wanted }
    }

    static func fingerprint(of objects: [LiveObject]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var hash = SHA256()
        for object in objects.sorted(by: { $0.id < $1.id }) {
            hash.update(object.id)
            hash.update([0])
            if let data = try? encoder.encode(object.object) { hash.update(data) }
            hash.update([0x0a])
        }
        return SHA256.hexString(hash.finalize())
    }
}

extension NgrokClient {
    /// Reads every collection (concurrently; one paginated list each) into a snapshot.
    public func snapshot(collections: Set<APICollection> = Set(APICollection.allCases)) async throws -> LiveSnapshot {
        try await withThrowingTaskGroup(of: [LiveObject].self) { group in
            for collection in collections {
                group.addTask { try await self.listObjects(collection) }
            }
            var objects: [APICollection: [LiveObject]] = [:]
            for try await batch in group {
                if let first = batch.first { objects[first.collection] = batch }
            }
            func items<T: APIObject>(_ type: T.Type) -> [T] {
                (objects[T.collection] ?? []).compactMap { $0.object as? T }
            }
            return LiveSnapshot(
                credentials: items(Credential.self), ipPolicies: items(IPPolicy.self),
                ipPolicyRules: items(IPPolicyRule.self), ipWhitelist: items(IPWhitelistEntry.self),
                certificateAuthorities: items(CertificateAuthority.self), tlsCertificates: items(TLSCertificate.self),
                endpointConfigurations: items(EndpointConfiguration.self), reservedDomains: items(ReservedDomain.self),
                reservedAddrs: items(ReservedAddr.self), collections: collections)
        }
    }

    /// Every object of a collection, type-erased.
    public func listObjects(_ collection: APICollection) async throws -> [LiveObject] {
        switch collection {
        case .credentials: try await list(Credential.self).map(LiveObject.credential)
        case .ipPolicies: try await list(IPPolicy.self).map(LiveObject.ipPolicy)
        case .ipPolicyRules: try await list(IPPolicyRule.self).map(LiveObject.ipPolicyRule)
        case .ipWhitelist: try await list(IPWhitelistEntry.self).map(LiveObject.ipWhitelistEntry)
        case .certificateAuthorities: try await list(CertificateAuthority.self).map(LiveObject.certificateAuthority)
        case .tlsCertificates: try await list(TLSCertificate.self).map(LiveObject.tlsCertificate)
        case .endpointConfigurations: try await list(EndpointConfiguration.self).map(LiveObject.endpointConfiguration)
        case .reservedDomains: try await list(ReservedDomain.self).map(LiveObject.reservedDomain)
        case .reservedAddrs: try await list(ReservedAddr.self).map(LiveObject.reservedAddr)
        }
    }
}
