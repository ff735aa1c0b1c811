/// A small YAML emitter for generated manifests. Every string is double-quoted with escapes, so
/// hostile text (quotes, newlines, control characters, unicode line separators, `#`, `: `,
/// YAML 1.1 booleans such as `no`) always loads back as the same string.
public enum YAMLOut: Sendable, Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([YAMLOut])
    /// Keys in the order given.
    case map([(String, YAMLOut)])

    public static func == (lhs: YAMLOut, rhs: YAMLOut) -> Bool { ManifestWriter.render(lhs) == ManifestWriter.render(rhs) }
    public func hash(into hasher: inout Hasher) { hasher.combine(ManifestWriter.render(self)) }
}

public enum ManifestWriter {
    /// One manifest document (`apiVersion`, `kind`, `metadata.name`, `spec`).
    public static func document(kind: String, name: String, spec: [(String, YAMLOut)]) -> String {
        render(.map([
            ("apiVersion", .string("ngrokctl/v1")), ("kind", .string(kind)), ("metadata", .map([("name", .string(name))])),
            ("spec", .map(spec)),
        ]))
    }

    /// Documents joined with `---`, with an optional leading comment.
    public static func file(_ documents: [String], comment: String? = nil) -> String {
        var out = comment.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n") + "\n" } ?? ""
        out += documents.joined(separator: "---\n")
        return out
    }

    public static func render(_ value: YAMLOut) -> String {
        var out = ""
        switch value {
        case .map(let entries) where !entries.isEmpty:
            write(entries, indent: 0, into: &out)
        case .list(let items) where !items.isEmpty:
            write(items, indent: 0, into: &out)
        default:
            out = inline(value) + "\n"
        }
        return out
    }

    private static func write(_ entries: [(String, YAMLOut)], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in entries {
            out += pad + self.key(key) + ":"
            switch value {
            case .map(let inner) where !inner.isEmpty:
                out += "\n"
                write(inner, indent: indent + 2, into: &out)
            case .list(let items) where !items.isEmpty:
                out += "\n"
                write(items, indent: indent + 2, into: &out)
            default:
                out += " " + inline(value) + "\n"
            }
        }
    }

    private static func write(_ items: [YAMLOut], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            switch item {
            case .map(let inner) where !inner.isEmpty:
                // `- first: …` then the other keys aligned under it.
                var nested = ""
                write(inner, indent: indent + 2, into: &nested)
                out += pad + "- " + nested.dropFirst(indent + 2)
            case .list(let inner) where !inner.isEmpty:
                out += pad + "-\n"
                write(inner, indent: indent + 2, into: &out)
            default:
                out += pad + "- " + inline(item) + "\n"
            }
        }
    }

    private static func inline(_ value: YAMLOut) -> String {
        switch value {
        case .string(let s): quote(s)
        case .int(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : String(d)
        case .bool(let b): b ? "true" : "false"
        case .list(let l): "[" + l.map(inline).joined(separator: ", ") + "]"
        case .map(let m): "{" + m.map { key($0.0) + ": " + inline($0.1) }.joined(separator: ", ") + "}"
        }
    }

    /// Keys are plain when they are simple identifiers, quoted otherwise.
    static func key(_ k: String) -> String {
        let simple = !k.isEmpty && k.unicodeScalars.allSatisfy {
            ($0.value >= 97 && $0.value <= 122) || ($0.value >= 65 && $0.value <= 90) || ($0.value >= 48 && $0.value <= 57)
        } && !(k.unicodeScalars.first!.value >= 48 && k.unicodeScalars.first!.value <= 57)
        let reserved: Set<String> = ["y", "Y", "n", "N", "yes", "no", "on", "off", "true", "false", "null", "Yes", "No", "On", "Off", "True", "False", "Null", "YES", "NO", "ON", "OFF", "TRUE", "FALSE", "NULL"]
        return simple && !reserved.contains(k) ? k : quote(k)
    }

    /// A YAML double-quoted scalar: `"`, `\` and every character YAML does not print are escaped.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x2028, 0x2029:
                out += "\\u" + hex4(scalar.value)
            case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF:
                out.unicodeScalars.append(scalar)
            default:
                // C0/C1 controls, DEL, NEL, the BOM, non-characters.
                out += "\\u" + hex4(scalar.value)
            }
        }
        return out + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
