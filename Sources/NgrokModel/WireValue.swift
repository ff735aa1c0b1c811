import Foundation

/// What a reference in a request points at: an existing live object, or an object the plan
/// creates first (resolved to its ID at execution time).
public enum RefTarget: Sendable, Hashable, Comparable {
    case live(id: String, address: ResourceAddress?)
    case pending(ResourceAddress)

    public static func < (lhs: RefTarget, rhs: RefTarget) -> Bool { lhs.sortKey < rhs.sortKey }

    var sortKey: String {
        switch self {
        case .live(let id, let address): "\(address?.description ?? "~")\u{0}\(id)"
        case .pending(let address): "\(address)\u{0}~"
        }
    }

    public var address: ResourceAddress? {
        switch self {
        case .live(_, let address): address
        case .pending(let address): address
        }
    }
}

/// A secret as it takes part in a diff. Its value is only ever sent to the API.
public enum SecretSlot: Sendable, Hashable {
    /// The resolved value.
    case known(SecretValue)
    /// The live API did not return the value and the fingerprint shows it differs (or cannot tell).
    case unknown
    /// Not available to this run (a plan without secrets): known at apply, which requires it.
    case deferred
}

/// A request-shaped value: desired resources and live objects are both normalised into trees of
/// these, keyed by the API's field names, so that diffs, PATCH bodies and creates are generic.
public indirect enum WireValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// Order matters.
    case list([WireValue])
    /// Order does not matter: kept sorted, duplicates removed.
    case set([WireValue])
    case object([String: WireValue])
    /// A reference to another object; sent as its ID.
    case ref(RefTarget)
    case secret(SecretSlot)

    public static func makeSet(_ values: [WireValue]) -> WireValue {
        .set(Array(Set(values)).sorted { $0.sortKey < $1.sortKey })
    }

    public static func strings(_ values: [String]) -> WireValue { .list(values.map(WireValue.string)) }
    public static func stringSet(_ values: [String]) -> WireValue { makeSet(values.map(WireValue.string)) }

    var sortKey: String {
        switch self {
        case .null: "0"
        case .bool(let b): "1\(b)"
        case .int(let i): "2\(i)"
        case .double(let d): "3\(d)"
        case .string(let s): "4\(s)"
        case .list(let l): "5" + l.map(\.sortKey).joined(separator: "\u{1}")
        case .set(let l): "6" + l.map(\.sortKey).joined(separator: "\u{1}")
        case .object(let o): "7" + o.keys.sorted().map { "\($0)=\(o[$0]!.sortKey)" }.joined(separator: "\u{1}")
        case .ref(let r): "8" + r.sortKey
        case .secret: "9"
        }
    }

    public var isSensitive: Bool {
        switch self {
        case .secret: true
        case .list(let l), .set(let l): l.contains { $0.isSensitive }
        case .object(let o): o.values.contains { $0.isSensitive }
        default: false
        }
    }

    public subscript(key: String) -> WireValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The references this value contains (pending ones are dependencies of an operation).
    public var references: [RefTarget] {
        switch self {
        case .ref(let r): [r]
        case .list(let l), .set(let l): l.flatMap(\.references)
        case .object(let o): o.keys.sorted().flatMap { o[$0]!.references }
        default: []
        }
    }
}

extension WireValue {
    public enum ResolutionError: Error, CustomStringConvertible {
        case unresolvedReference(ResourceAddress)
        case unknownSecret
        public var description: String {
            switch self {
            case .unresolvedReference(let a): "\(a) has no ID yet (its create did not complete)"
            case .unknownSecret: "a secret value is not available"
            }
        }
    }

    /// The value to send: references become IDs, secrets their values, sets lists.
    public func resolved(_ resolve: (ResourceAddress) -> String?) throws -> WireValue {
        switch self {
        case .null, .bool, .int, .double, .string: return self
        case .list(let l), .set(let l): return .list(try l.map { try $0.resolved(resolve) })
        case .object(let o): return .object(try o.mapValues { try $0.resolved(resolve) })
        case .ref(.live(let id, _)): return .string(id)
        case .ref(.pending(let address)):
            guard let id = resolve(address) else { throw ResolutionError.unresolvedReference(address) }
            return .string(id)
        case .secret(.known(let value)): return .string(value.reveal)
        case .secret(.unknown), .secret(.deferred): throw ResolutionError.unknownSecret
        }
    }

    /// The encoded request body.
    public func requestBody(_ resolve: (ResourceAddress) -> String?) throws -> [UInt8] {
        Array(try resolved(resolve).serialized().utf8)
    }

    /// A redacted, display-only rendering (secrets as `(sensitive)`, references by name).
    public var display: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : String(d)
        case .string(let s): return Self.quote(s)
        case .list(let l), .set(let l): return "[" + l.map(\.display).joined(separator: ", ") + "]"
        case .object(let o):
            return "{" + o.keys.sorted().map { "\($0): \(o[$0]!.display)" }.joined(separator: ", ") + "}"
        case .ref(.live(let id, let address)): return address.map { "\($0.name) (\(id))" } ?? id
        case .ref(.pending(let address)): return "\(address.name) (new)"
        case .secret(.deferred): return Self.knownAtApply
        case .secret: return "(sensitive)"
        }
    }

    /// A redacted value for machine-readable plan output: references as `{address, id}`,
    /// secrets as `(sensitive)`.
    public var redacted: WireValue {
        switch self {
        case .null, .bool, .int, .double, .string: return self
        case .list(let l), .set(let l): return .list(l.map(\.redacted))
        case .object(let o): return .object(o.mapValues(\.redacted))
        case .ref(.live(let id, let address)):
            var out: [String: WireValue] = ["id": .string(id)]
            if let address { out["address"] = .string(address.description) }
            return .object(out)
        case .ref(.pending(let address)):
            return .object(["address": .string(address.description), "id": .string("(known after apply)")])
        case .secret(.deferred): return .string(Self.knownAtApply)
        case .secret: return .string("(sensitive)")
        }
    }

    /// How a secret this plan could not resolve is shown.
    public static let knownAtApply = "(sensitive, known at apply)"

    static func quote(_ s: String) -> String {
        let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        if escaped.count > 80 { return "\"" + escaped.prefix(60) + "…\" (\(s.utf8.count) bytes)" }
        return "\"" + escaped + "\""
    }
}

extension WireValue: Decodable {
    /// Decodes any JSON without interpretation (objects stay objects, arrays become lists).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let l = try? container.decode([WireValue].self) {
            self = .list(l)
        } else {
            self = .object(try container.decode([String: WireValue].self))
        }
    }

    /// Parses JSON text.
    public init(jsonText: some Sequence<UInt8>) throws {
        self = try JSONDecoder().decode(WireValue.self, from: Data(jsonText))
    }
}

extension WireValue {
    /// Deterministic JSON text (sorted keys). References and secrets must be resolved or redacted first;
    /// they serialise as `null` here so nothing sensitive can leak by accident.
    public func serialized(pretty: Bool = false, indent: Int = 0) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: indent)
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int) {
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        let newline = pretty ? "\n" : ""
        switch self {
        case .null, .ref, .secret: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : "\(d)") : "null"
        case .string(let s): Self.writeString(s, into: &out)
        case .list(let l), .set(let l):
            if l.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (i, v) in l.enumerated() {
                out += pad
                v.write(into: &out, pretty: pretty, indent: indent + 1)
                out += (i < l.count - 1 ? "," : "") + newline
            }
            out += closePad + "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{" + newline
            let keys = o.keys.sorted()
            for (i, k) in keys.enumerated() {
                out += pad
                Self.writeString(k, into: &out)
                out += pretty ? ": " : ":"
                o[k]!.write(into: &out, pretty: pretty, indent: indent + 1)
                out += (i < keys.count - 1 ? "," : "") + newline
            }
            out += closePad + "}"
        }
    }

    static func writeString(_ s: String, into out: inout String) { JSONString.write(s, into: &out) }
}
