/// One desired object from the manifests. A value with copy-on-write storage: the planner and
/// the validators hand resources around a great deal, and a copy is one reference count. Fields
/// are read in place (`_read`) and changed in place (`_modify`), so neither copies a spec.
public struct Resource: Sendable, Hashable {
    private final class Storage: @unchecked Sendable {
        // Mutated only through `Resource`'s setters, after `isKnownUniquelyReferenced` (copy on write).
        var address: ResourceAddress
        var source: SourceMap
        var labels: [String: String]
        var common: CommonSpec
        var spec: ResourceSpec

        init(address: ResourceAddress, source: SourceMap, labels: [String: String], common: CommonSpec, spec: ResourceSpec) {
            self.address = address
            self.source = source
            self.labels = labels
            self.common = common
            self.spec = spec
        }

        func copy() -> Storage { Storage(address: address, source: source, labels: labels, common: common, spec: spec) }
    }

    private var storage: Storage

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public var address: ResourceAddress {
        _read { yield storage.address }
        _modify { yield &unique().address }
    }
    /// Where the document starts, and where each field's value is (keyed by a dotted path
    /// relative to the document, e.g. `spec.modules.oauth.scopes[1]`, `metadata.name`).
    public var source: SourceMap {
        _read { yield storage.source }
        _modify { yield &unique().source }
    }
    public var labels: [String: String] {
        _read { yield storage.labels }
        _modify { yield &unique().labels }
    }
    public var common: CommonSpec {
        _read { yield storage.common }
        _modify { yield &unique().common }
    }
    public var spec: ResourceSpec {
        _read { yield storage.spec }
        _modify { yield &unique().spec }
    }

    public init(
        address: ResourceAddress, source: SourceMap, labels: [String: String] = [:], common: CommonSpec = CommonSpec(),
        spec: ResourceSpec
    ) {
        storage = Storage(address: address, source: source, labels: labels, common: common, spec: spec)
    }

    public var kind: Kind { address.kind }
    public var name: String { address.name }

    /// The location of a field by dotted path, falling back to its nearest located parent, then the document.
    public func location(of path: String) -> SourceLocation { source.location(of: path) }

    public static func == (a: Resource, b: Resource) -> Bool {
        a.storage === b.storage
            || (a.address == b.address && a.source == b.source && a.labels == b.labels && a.common == b.common
                && a.spec == b.spec)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(address)
        hasher.combine(source)
        hasher.combine(labels)
        hasher.combine(common)
        hasher.combine(spec)
    }
}

/// Source positions of a document and its values.
public struct SourceMap: Sendable, Hashable {
    public var document: SourceLocation
    public var fields: [String: SourceLocation]

    public init(document: SourceLocation, fields: [String: SourceLocation] = [:]) {
        self.document = document
        self.fields = fields
    }

    public func location(of path: String) -> SourceLocation {
        var current = path
        while !current.isEmpty {
            if let found = fields[current] { return found }
            if let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) {
                current = String(current[..<cut])
            } else {
                break
            }
        }
        return document
    }
}

/// Fields every resource kind accepts.
public struct CommonSpec: Sendable, Hashable {
    public enum DeletionPolicy: String, Sendable, Hashable, Codable, CaseIterable {
        case delete = "Delete"
        case retain = "Retain"
    }

    public var description: String?
    /// The user's own metadata string; stored next to the ownership marker.
    public var metadata: String?
    public var deletionPolicy: DeletionPolicy
    public var protect: Bool
    /// `adopt: true`: take over an existing unowned object of this kind (a reserved domain by
    /// name; other kinds by their content, see the planner) instead of creating one.
    public var adopt: Bool

    public init(
        description: String? = nil, metadata: String? = nil, deletionPolicy: DeletionPolicy = .delete, protect: Bool = false,
        adopt: Bool = false
    ) {
        self.description = description
        self.metadata = metadata
        self.deletionPolicy = deletionPolicy
        self.protect = protect
        self.adopt = adopt
    }
}

public enum ResourceSpec: Sendable, Hashable {
    case credential(CredentialSpec)
    case ipPolicy(IPPolicySpec)
    case ipWhitelistEntry(IPWhitelistEntrySpec)
    case certificateAuthority(CertificateAuthoritySpec)
    case tlsCertificate(TLSCertificateSpec)
    case endpointConfiguration(EndpointConfigurationSpec)
    case reservedDomain(ReservedDomainSpec)
    case reservedAddress(ReservedAddressSpec)

    public var kind: Kind {
        switch self {
        case .credential: .credential
        case .ipPolicy: .ipPolicy
        case .ipWhitelistEntry: .ipWhitelistEntry
        case .certificateAuthority: .certificateAuthority
        case .tlsCertificate: .tlsCertificate
        case .endpointConfiguration: .endpointConfiguration
        case .reservedDomain: .reservedDomain
        case .reservedAddress: .reservedAddress
        }
    }

    /// Names this resource refers to, with the spec path of each reference (only resources of
    /// `Kind.referring` have any).
    public var references: [(path: String, target: ResourceAddress)] {
        switch self {
        case .endpointConfiguration(let ec):
            var refs: [(String, ResourceAddress)] = []
            for module in ec.modules.configured {
                guard let settings = ec.modules[module] else { continue }
                for field in module.referenceFields {
                    guard let kind = field.referencedKind else { continue }
                    for (i, name) in settings.strings(field.manifest).enumerated() {
                        refs.append(("spec.modules.\(module.rawValue).\(field.manifest)[\(i)]", ResourceAddress(kind, name)))
                    }
                }
            }
            return refs
        case .reservedDomain(let rd):
            var refs: [(String, ResourceAddress)] = []
            if let n = rd.httpEndpointConfiguration {
                refs.append(("spec.httpEndpointConfiguration", ResourceAddress(.endpointConfiguration, n)))
            }
            if let n = rd.httpsEndpointConfiguration {
                refs.append(("spec.httpsEndpointConfiguration", ResourceAddress(.endpointConfiguration, n)))
            }
            if let n = rd.certificate { refs.append(("spec.certificate", ResourceAddress(.tlsCertificate, n))) }
            return refs
        case .reservedAddress(let ra):
            if let n = ra.endpointConfiguration {
                return [("spec.endpointConfiguration", ResourceAddress(.endpointConfiguration, n))]
            }
            return []
        default:
            return []
        }
    }
}

extension Kind {
    /// The kinds whose resources can refer to others (`ResourceSpec.references`): configurations
    /// through their modules, domains and addresses through their attachments.
    public var refersToOthers: Bool {
        switch self {
        case .endpointConfiguration, .reservedDomain, .reservedAddress: true
        case .credential, .ipPolicy, .ipWhitelistEntry, .certificateAuthority, .tlsCertificate: false
        }
    }

    public static let referring = Kind.allCases.filter(\.refersToOthers)
}
