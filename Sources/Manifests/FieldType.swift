import NgrokModel

/// A string's extra constraint, checked by the loader and exported as JSON Schema.
enum StringFormat: Sendable {
    /// Any string.
    case any
    /// A resource name: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
    case name
    /// The name of a resource of this kind (checked across the stack after loading).
    case reference(Kind)
    /// One of these exact values.
    case oneOf([String])
    /// The name of an environment variable.
    case environmentVariable
    /// `https://…`, `http://…` or `local:PATH`.
    case apiURL
    /// A header name (an HTTP token).
    case headerName
}

/// The type of one manifest field. The loader and the JSON Schema exporter both read it.
indirect enum FieldType: Sendable {
    case string(StringFormat)
    case boolean
    case integer(minimum: Int?, maximum: Int?)
    case number(minimum: Double?, maximum: Double?)
    /// `30s`, `5m`, `2h`, `7d` or an integer number of seconds → seconds.
    case duration
    case list(FieldType, minItems: Int)
    /// A mapping of free-form string keys to string values, in manifest order.
    case stringMap(keys: StringFormat)
    case object(ObjectShape)
    /// `{env: NAME}` or `{file: PATH}`; never a literal.
    case secret
    /// A literal string or `{file: PATH}` read at load time.
    case textOrFile
    /// A constant string (`apiVersion`, `kind`).
    case constant(String)
}

/// One field of an object: its name, type and documentation.
struct FieldSpec: Sendable {
    var name: String
    var type: FieldType
    var required: Bool
    var doc: String
    /// How to fix a missing required field.
    var missingHint: String

    init(_ name: String, _ type: FieldType, required: Bool = false, _ doc: String, missingHint: String = "") {
        self.name = name
        self.type = type
        self.required = required
        self.doc = doc
        self.missingHint = missingHint
    }
}

/// An object: its fields, in documentation order, and pairs of fields that exclude each other.
struct ObjectShape: Sendable {
    /// A stable name, used for `$defs` in the exported schema.
    var name: String
    var doc: String
    var fields: [FieldSpec]
    var exclusive: [(String, String)]

    init(_ name: String, _ doc: String, _ fields: [FieldSpec], exclusive: [(String, String)] = []) {
        self.name = name
        self.doc = doc
        self.fields = fields
        self.exclusive = exclusive
    }

    func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
    var fieldNames: [String] { fields.map(\.name) }
}

extension StringFormat {
    /// The JSON Schema `pattern` equivalent of `matches`, if any.
    var pattern: String? {
        switch self {
        case .name, .reference: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
        case .environmentVariable: "^[A-Za-z_][A-Za-z0-9_]*$"
        case .apiURL: "^(https?://|local:).+$"
        case .headerName: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"
        case .any, .oneOf: nil
        }
    }

    var maxLength: Int? {
        switch self {
        case .name, .reference: 63
        default: nil
        }
    }

    func matches(_ text: String) -> Bool {
        switch self {
        case .any: return true
        case .oneOf(let values): return values.contains(text)
        case .name, .reference: return Names.isValid(text)
        case .environmentVariable:
            guard let first = text.utf8.first, first == UInt8(ascii: "_") || Names.isLetter(first) else { return false }
            return text.utf8.allSatisfy { $0 == UInt8(ascii: "_") || Names.isLetter($0) || Names.isDigit($0) }
        case .apiURL:
            for prefix in ["https://", "http://", "local:"] where text.hasPrefix(prefix) {
                return text.utf8.count > prefix.utf8.count && !text.contains("\n")
            }
            return false
        case .headerName:
            let extra = Set("!#$%&'*+.^_`|~-".utf8)
            return !text.isEmpty
                && text.utf8.allSatisfy { Names.isLetter($0) || Names.isDigit($0) || extra.contains($0) }
        }
    }
}

/// Resource-name rules.
enum Names {
    static func isLetter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
    static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 63 else { return false }
        func lowerAlnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || isDigit(c) }
        guard let first = bytes.first, let last = bytes.last, lowerAlnum(first), lowerAlnum(last) else { return false }
        return bytes.allSatisfy { lowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// A valid name close to `name`, to suggest.
    static func suggestion(for name: String) -> String? {
        var out = ""
        for c in name.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) {
                out.append(c)
            } else if !out.isEmpty && out.last != "-" {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        let trimmed = String(out.prefix(63))
        let clean = trimmed.hasSuffix("-") ? String(trimmed.dropLast()) : trimmed
        return isValid(clean) ? clean : nil
    }

    static let rule = "names are lower-case letters, digits and \"-\", start and end with a letter or digit, at most 63 characters"
}
