import NgrokModel

extension PlanBuilder {
    /// `adopt: true` on a kind without a unique name (everything but reserved domains): the oldest
    /// object that no stack owns, not claimed yet, whose content equals the manifest's (description,
    /// fields, references by name, IP policy rules; secrets cannot be compared). Failing that, the
    /// only such object with the same natural key (network, PEM, or non-empty description) and the
    /// same immutable fields; its other differences become part of the adoption.
    /// Resources are decided in dependency order, so references compare by the adopted names.
    func adoptionByContent(for want: DesiredObject, immutable: [String]) -> LiveObject? {
        let claimed = Set(touched.map(\.id))
        let candidates = planner.live.all(want.kind).filter { $0.marker == nil && !claimed.contains($0.id) }
            .sorted(by: LiveObject.olderFirst)
        guard !candidates.isEmpty else { return nil }
        let normalizer = LiveNormalizer(addressOfID: addressOfID, canonicalCIDR: canonicalCIDR)
        let wanted = Self.contentKey(want.fields, rules: Set(want.rules.keys))
        func have(_ object: LiveObject) -> [String: WireValue] {
            var fields = normalizer.fields(of: object, kind: want.kind)
            // Unowned: the whole metadata string is the user's.
            fields["metadata"] = .string(object.json["metadata"]?.stringValue ?? "")
            return fields
        }
        func rules(_ object: LiveObject) -> Set<String> {
            Set((rulesByPolicy[object.id] ?? []).map { normalizer.rule($0).cidr })
        }
        if let exact = candidates.first(where: { Self.contentKey(have($0), rules: rules($0)) == wanted }) {
            return exact
        }
        let key = Self.naturalKey(want.kind)
        let wantKey = want.fields[key] ?? .null
        guard wantKey != .null, wantKey != .string("") else { return nil }
        let sameKey = candidates.filter { object in
            let fields = have(object)
            return fields[key] == wantKey
                && immutable.allSatisfy { field in
                    let value = want.fields[field] ?? .null
                    if case .secret = value { return true }
                    return Self.named(value) == Self.named(fields[field] ?? .null)
                }
        }
        return sameKey.count == 1 ? sameKey[0] : nil
    }

    /// The field that identifies an object of a kind for adoption when its content changed.
    static func naturalKey(_ kind: Kind) -> String {
        switch kind {
        case .ipWhitelistEntry: "ip_net"
        case .certificateAuthority: "ca_pem"
        case .tlsCertificate: "certificate_pem"
        case .reservedDomain: "name"
        default: "description"
        }
    }

    /// Fields compared for adoption: the user metadata instead of the marker, references by
    /// address, secrets left out.
    static func contentKey(_ fields: [String: WireValue], rules: Set<String>) -> WireValue {
        var out = fields.mapValues(named)
        if case .string(let metadata)? = fields["metadata"], let marker = OwnershipMarker(metadata: metadata) {
            out["metadata"] = .string(marker.userMetadata ?? "")
        }
        out["rules"] = .stringSet(Array(rules))
        return .object(out)
    }

    static func named(_ value: WireValue) -> WireValue {
        switch value {
        case .null, .bool, .int, .double, .string: value
        case .list(let l): .list(l.map(named))
        case .set(let l): .makeSet(l.map(named))
        case .object(let o): .object(o.mapValues(named))
        case .ref(let target): .string(target.address?.description ?? "?")
        case .secret: .null
        }
    }
}
