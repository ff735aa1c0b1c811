import NgrokModel

/// Endpoint-configuration modules in the API's request shape, from either side: the desired side
/// from a manifest's settings, the live side from an API response. Both are driven by the
/// module's fields in `APIVocabulary` (type, request and response keys, default, provider block),
/// so the two agree by construction; `ModuleSymmetryTests` checks they do.
enum ModuleWire {
    // MARK: Desired

    /// A configured module in request shape, twice: `compared` with every unset field at the value
    /// the API reports for it, and `sent` without the fields the API fills itself. `.null` when
    /// the module is not configured.
    static func desired(
        _ module: ModuleName, _ settings: ModuleSettings?, secret: (String) -> WireValue,
        ref: (Kind, String) -> WireValue
    ) -> (compared: WireValue, sent: WireValue) {
        guard let settings else { return (.null, .null) }
        let vocabulary = APIVocabulary.module(module)
        let selector = vocabulary.selectorField
        let provider = selector.flatMap { settings.string($0.manifest) }
        var compared: [String: WireValue] = [:]
        var sent: [String: WireValue] = [:]
        var comparedBlock: [String: WireValue] = [:]
        var sentBlock: [String: WireValue] = [:]
        for field in vocabulary.fields where field.manifest != selector?.manifest {
            if let only = field.onlyForProviders, !only.contains(provider ?? "") { continue }
            let value: WireValue
            var isSent = true
            if let set = settings[field.manifest], !(field.emptyIsUnset && set == .string("")) {
                value = wire(set, field, module: module, secret: secret, ref: ref)
            } else {
                switch field.defaultValue {
                case .manifest(let d): value = d
                case .api(let d):
                    value = d
                    isSent = false
                case .required: value = .null
                }
            }
            if field.inProviderBlock {
                comparedBlock[field.request] = value
                if isSent { sentBlock[field.request] = value }
            } else {
                compared[field.request] = value
                if isSent { sent[field.request] = value }
            }
        }
        if let selector, let name = provider {
            compared[selector.request] = .object([name: .object(comparedBlock)])
            sent[selector.request] = .object([name: .object(sentBlock)])
        }
        return (.object(compared), .object(sent))
    }

    private static func wire(
        _ value: ModuleValue, _ field: ModuleField, module: ModuleName, secret: (String) -> WireValue,
        ref: (Kind, String) -> WireValue
    ) -> WireValue {
        switch (value, field.type) {
        case (.strings(let names), .references(let kind, _)): .makeSet(names.map { ref(kind, $0) })
        case (.secret, _): secret("spec.modules.\(module.rawValue).\(field.manifest)")
        default: value.wire(field)
        }
    }

    /// The spec paths of the secrets a configuration's modules hold.
    static func secretPaths(_ modules: EndpointModules) -> [(path: String, reference: SecretReference)] {
        var out: [(String, SecretReference)] = []
        for module in modules.configured {
            guard let settings = modules[module] else { continue }
            for field in module.secretFields {
                if let reference = settings.secret(field) { out.append(("spec.modules.\(module.rawValue).\(field)", reference)) }
            }
        }
        return out
    }

    // MARK: Live

    /// A module of a live configuration (response shape) in request shape, unset fields as the
    /// API's defaults; `.null` when the module is not there.
    static func live(_ module: ModuleName, _ value: WireValue, ref: (WireValue?) -> WireValue) -> WireValue {
        guard case .object(let m) = value else { return .null }
        let vocabulary = APIVocabulary.module(module)
        var provider: String?
        var blockIn: [String: WireValue] = [:]
        let selector = vocabulary.selectorField
        if let selector, case .object(let providers)? = m[selector.response], case .choice(let names) = selector.type {
            for name in names {
                guard case .object(let p)? = providers[name] else { continue }
                provider = name
                blockIn = p
                break
            }
        }
        var out: [String: WireValue] = [:]
        var block: [String: WireValue] = [:]
        for field in vocabulary.fields where field.manifest != selector?.manifest {
            if field.inProviderBlock {
                guard provider != nil else { continue }
                if let only = field.onlyForProviders, !only.contains(provider ?? "") { continue }
                block[field.request] = normalized(blockIn[field.response], field, ref: ref)
            } else {
                out[field.request] = normalized(m[field.response], field, ref: ref)
            }
        }
        if let selector {
            out[selector.request] = .object(provider.map { [$0: .object(block)] } ?? [:])
        }
        return .object(out)
    }

    private static func normalized(_ value: WireValue?, _ field: ModuleField, ref: (WireValue?) -> WireValue)
        -> WireValue
    {
        let absent = field.absentValue
        switch field.type {
        case .boolean:
            if case .bool(let b)? = value { return .bool(b) }
        case .integer, .duration:
            switch value {
            case .int(let i)?: return .int(i)
            case .double(let d)?: return .int(Int(d))
            default: break
            }
        case .number:
            switch value {
            case .int(let i)?: return .double(Double(i))
            case .double(let d)?: return .double(d)
            default: break
            }
        case .string, .choice, .textOrFile:
            if let s = value?.stringValue, !(field.emptyIsUnset && s.isEmpty) { return .string(s) }
        case .secret:
            if let s = value?.stringValue, !s.isEmpty { return .secret(.known(SecretValue(s))) }
        case .strings, .headerNames:
            switch value {
            case .list(let l)?, .set(let l)?:
                let strings = l.compactMap(\.stringValue)
                return .stringSet(field.type == .headerNames ? strings.map(HeaderPair.normalizedName) : strings)
            default: break
            }
        case .headerMap:
            if case .object(let pairs)? = value {
                var add: [String: WireValue] = [:]
                for (name, value) in pairs { add[HeaderPair.normalizedName(name)] = value }
                return .object(add)
            }
        case .references:
            if case .list(let refs)? = value { return .makeSet(refs.map { ref($0) }.filter { $0 != .null }) }
        }
        return absent
    }
}
