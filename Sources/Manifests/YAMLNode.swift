/// A 1-based position in a YAML text.
struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    var line: Int
    var column: Int
    var description: String { "\(line):\(column)" }
}

/// A composed YAML node: a scalar (with its style and tag), a sequence, or a mapping whose
/// keys keep their order (duplicates included: the loader reports them where they occur).
struct YAMLNode: Sendable {
    enum Style: Sendable, Hashable {
        case plain
        case quoted
        case literal
    }

    struct Pair: Sendable {
        var key: YAMLNode
        var value: YAMLNode
    }

    enum Content: Sendable {
        case scalar(String, Style)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    var content: Content
    /// An explicit tag (`!!str` is reported as `tag:yaml.org,2002:str`); nil when none.
    var tag: String?
    var mark: YAMLMark

    /// The scalar text when this is a scalar.
    var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// Plain empty, `~` and `null` (and `!!null`) are null, as in YAML 1.2's core schema.
    var isNull: Bool {
        guard case .scalar(let text, let style) = content else { return false }
        if tag == YAMLNode.nullTag { return true }
        guard style == .plain, tag == nil else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// A short human name of what this node is, for "expected X, got Y" messages.
    var kindName: String {
        switch content {
        case .scalar: isNull ? "null" : "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    static let strTag = "tag:yaml.org,2002:str"
    static let nullTag = "tag:yaml.org,2002:null"
    static let standardTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!",
    ]
}

/// One document of a YAML stream.
struct YAMLDocument: Sendable {
    var root: YAMLNode
    /// The document's start (its `---` when written, else its first node).
    var start: YAMLMark
}
