import NgrokModel

/// How a top-level API field of a kind is reconciled.
public enum FieldRole: Sendable, Hashable {
    /// Sent on create, updated with PATCH.
    case plain
    /// Sent on create; a change replaces the object.
    case immutable
    /// An endpoint-configuration module: sent on create, `PUT`/`DELETE` on its sub-path.
    case module(ModuleName)
    /// A reference slot attached by PATCH and detached with `DELETE {id}/{detachPath}`.
    case attachment(detachPath: String)
}

/// The fields each collection is reconciled on, keyed by the API's request field names.
public enum FieldSchema {
    public static func roles(for kind: Kind) -> [String: FieldRole] {
        var roles: [String: FieldRole] = ["description": .plain, "metadata": .plain]
        switch kind {
        case .credential:
            roles["acl"] = .plain
        case .ipPolicy:
            roles["action"] = .immutable
        case .ipWhitelistEntry:
            roles["ip_net"] = .immutable
        case .certificateAuthority:
            roles["ca_pem"] = .immutable
        case .tlsCertificate:
            roles["certificate_pem"] = .immutable
            roles["private_key_pem"] = .immutable
        case .endpointConfiguration:
            roles["type"] = .immutable
            for module in ModuleName.allCases { roles[module.apiName] = .module(module) }
        case .reservedDomain:
            roles["name"] = .immutable
            roles["region"] = .immutable
            roles["http_endpoint_configuration_id"] = .attachment(detachPath: "http_endpoint_configuration")
            roles["https_endpoint_configuration_id"] = .attachment(detachPath: "https_endpoint_configuration")
            roles["certificate_id"] = .attachment(detachPath: "certificate")
            roles["certificate_management_policy"] = .attachment(detachPath: "certificate_management_policy")
        case .reservedAddress:
            roles["region"] = .immutable
            roles["endpoint_configuration_id"] = .attachment(detachPath: "endpoint_configuration")
        }
        return roles
    }

    /// `roles(for:)` in field-name order, computed once.
    public static func orderedRoles(for kind: Kind) -> [(field: String, role: FieldRole)] { ordered[kind] ?? [] }

    private static let ordered: [Kind: [(field: String, role: FieldRole)]] = Dictionary(
        uniqueKeysWithValues: Kind.allCases.map { kind in
            (kind, roles(for: kind).sorted { $0.key < $1.key }.map { (field: $0.key, role: $0.value) })
        })

    /// Kinds whose replacement must delete the old object before creating the new one
    /// (the API does not allow two at once); flagged destructive.
    public static func replacesDeleteFirst(_ kind: Kind) -> Bool { kind == .reservedDomain }

    /// Kinds whose replacement changes what users connect to (flagged destructive even when
    /// created before destroyed).
    public static func replacementIsDestructive(_ kind: Kind) -> Bool {
        kind == .reservedDomain || kind == .reservedAddress || kind == .credential
    }
}
