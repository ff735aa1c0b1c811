/// What one field of an endpoint-configuration module holds. The loader, the JSON Schemas, the
/// desired and live sides of the planner, import and the emulator all derive their handling of a
/// field from its type, so a field is declared once (`APIVocabulary`) and read everywhere.
public enum ModuleValueType: Sendable, Hashable {
    case boolean
    /// A whole number.
    case integer
    /// Whole seconds; manifests may write `30s`, `5m`, `2h`, `7d`.
    case duration
    /// A fractional number.
    case number
    case string
    /// One of these exact values.
    case choice([String])
    /// A literal string or `{file: PATH}` read at load time.
    case textOrFile
    /// `{env: NAME}` or `{file: PATH}` in manifests; sent as a string, never shown.
    case secret
    /// A list of strings the API treats as a set.
    case strings
    /// Header names (a set); the API stores them lower-cased.
    case headerNames
    /// Header name → value; the API stores the names lower-cased.
    case headerMap
    /// Names of resources of `kind` (at least `minItems`). Requests carry their IDs under the
    /// field's request key; responses carry `{id, uri}` refs under its response key.
    case references(Kind, minItems: Int)
}

/// One field of a module in both vocabularies, with its type, default and documentation.
public struct ModuleField: Sendable, Hashable {
    /// What an unset field means.
    public enum Default: Sendable, Hashable {
        /// The field must be set.
        case required
        /// The manifest's default: applied when unset and always sent.
        case manifest(WireValue)
        /// Not sent when unset: the API stores this value instead.
        case api(WireValue)
    }

    /// As written in manifests (`ipPolicies`).
    public var manifest: String
    /// The key in API request bodies (`ip_policy_ids`).
    public var request: String
    /// The key in API responses (`ip_policies`); usually the request key.
    public var response: String
    public var type: ModuleValueType
    public var defaultValue: Default
    /// One line for the JSON Schema and `docs/manifests.md`.
    public var doc: String
    /// How to fix a missing required field.
    public var missingHint: String
    /// The field lives in the API's provider block (`oauth.provider.<name>`), not on the module.
    public var inProviderBlock: Bool
    /// Only sent for these values of the module's provider (GitHub's `teams`); nil = always.
    public var onlyForProviders: Set<String>?

    public init(
        _ manifest: String, _ request: String, response: String? = nil, _ type: ModuleValueType,
        _ defaultValue: Default, _ doc: String, missingHint: String = "", inProviderBlock: Bool = false,
        onlyForProviders: Set<String>? = nil
    ) {
        self.manifest = manifest
        self.request = request
        self.response = response ?? request
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
        self.missingHint = missingHint
        self.inProviderBlock = inProviderBlock
        self.onlyForProviders = onlyForProviders
    }

    public var isRequired: Bool { defaultValue == .required }

    /// The kind of resource a `.references` field names.
    public var referencedKind: Kind? {
        if case .references(let kind, _) = type { return kind }
        return nil
    }

    /// For an optional string the API fills when it is empty, an empty manifest value is unset.
    public var emptyIsUnset: Bool {
        guard case .api = defaultValue else { return false }
        switch type {
        case .string, .choice, .textOrFile: return true
        default: return false
        }
    }

    /// The value the API holds when the field was not sent: its default, or the type's zero for a
    /// required field the API does not have.
    public var absentValue: WireValue {
        switch defaultValue {
        case .manifest(let v), .api(let v): return v
        case .required:
            switch type {
            case .boolean: return .bool(false)
            case .integer, .duration: return .int(0)
            case .number: return .double(0)
            case .string, .choice, .textOrFile: return .string("")
            case .secret: return .secret(.unknown)
            case .strings, .headerNames, .references: return .set([])
            case .headerMap: return .object([:])
            }
        }
    }
}

/// A header to add: its name as written and its value.
public struct HeaderPair: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// A header name as the API stores it (lower-case); both sides of the planner compare this.
    public static func normalizedName(_ name: String) -> String { name.lowercased() }
}

/// A module field's value as a manifest sets it.
public enum ModuleValue: Sendable, Hashable {
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case strings([String])
    case secret(SecretReference)
    case headers([HeaderPair])
}

/// One configured module: the fields the manifest sets, by manifest name. A field set to its
/// manifest default is the same as an unset one (`enabled: true` is how every module starts).
public struct ModuleSettings: Sendable, Hashable {
    public let module: ModuleName
    public private(set) var values: [String: ModuleValue] = [:]

    public init(_ module: ModuleName, _ values: [String: ModuleValue] = [:]) {
        self.module = module
        for (name, value) in values { self[name] = value }
    }

    public subscript(_ name: String) -> ModuleValue? {
        get { values[name] }
        set {
            if let field = APIVocabulary.module(module).field(name), case .manifest(let d) = field.defaultValue,
                let newValue, newValue.wire(field) == d
            {
                values[name] = nil
            } else {
                values[name] = newValue
            }
        }
    }

    public var enabled: Bool {
        get { bool("enabled") ?? true }
        set { self["enabled"] = .bool(newValue) }
    }

    public func bool(_ name: String) -> Bool? { if case .bool(let v)? = values[name] { v } else { nil } }
    public func int(_ name: String) -> Int? { if case .int(let v)? = values[name] { v } else { nil } }
    public func double(_ name: String) -> Double? {
        switch values[name] {
        case .double(let v)?: v
        case .int(let v)?: Double(v)
        default: nil
        }
    }
    public func string(_ name: String) -> String? { if case .string(let v)? = values[name] { v } else { nil } }
    public func strings(_ name: String) -> [String] { if case .strings(let v)? = values[name] { v } else { [] } }
    public func secret(_ name: String) -> SecretReference? { if case .secret(let v)? = values[name] { v } else { nil } }
    public func headers(_ name: String) -> [HeaderPair] { if case .headers(let v)? = values[name] { v } else { [] } }
}

extension ModuleValue {
    /// The value in request shape, without references or secrets resolved (those are the
    /// planner's): used to recognise a manifest default.
    public func wire(_ field: ModuleField) -> WireValue {
        switch self {
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .strings(let l):
            field.type == .headerNames ? .stringSet(l.map(HeaderPair.normalizedName)) : .stringSet(l)
        case .secret: .secret(.unknown)
        case .headers(let pairs):
            .object(Dictionary(pairs.map { (HeaderPair.normalizedName($0.name), WireValue.string($0.value)) }) { _, last in last })
        }
    }
}
