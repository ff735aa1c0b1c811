import CYAML

/// Composes libyaml's events into `YAMLNode` trees, enforcing `ManifestLimits`: nesting depth,
/// documents per file, and a node budget that counts aliases expanded (billion laughs are
/// refused after a bounded amount of work, since an alias shares the anchored tree).
struct YAMLComposer {
    struct Problem: Error, Sendable, Hashable {
        var mark: YAMLMark
        var message: String
        var hint: String
    }

    struct Output: Sendable {
        var documents: [YAMLDocument]
        /// At most one: the composer stops at the first syntax error or limit.
        var problems: [Problem]
    }

    var limits: ManifestLimits

    init(limits: ManifestLimits = .standard) {
        self.limits = limits
    }

    private enum Frame {
        case sequence(mark: YAMLMark, tag: String?, anchor: String?, items: [YAMLNode], size: Int)
        case mapping(mark: YAMLMark, tag: String?, anchor: String?, pairs: [YAMLNode.Pair], key: YAMLNode?, size: Int)
    }

    func compose(_ bytes: [UInt8]) -> Output {
        if bytes.isEmpty { return Output(documents: [], problems: []) }
        if bytes.count > limits.maxFileBytes {
            return Output(
                documents: [],
                problems: [
                    Problem(
                        mark: YAMLMark(line: 1, column: 1),
                        message: "file is too large (\(bytes.count) bytes, limit \(limits.maxFileBytes))",
                        hint: "split it into smaller files")
                ])
        }
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) != 0 else {
            return Output(
                documents: [],
                problems: [Problem(mark: YAMLMark(line: 1, column: 1), message: "cannot start the YAML parser", hint: "")])
        }
        defer { yaml_parser_delete(parser) }
        return bytes.withUnsafeBufferPointer { buffer -> Output in
            guard let base = buffer.baseAddress else { return Output(documents: [], problems: []) }
            yaml_parser_set_input_string(parser, base, buffer.count)
            return run(parser)
        }
    }

    private func run(_ parser: UnsafeMutablePointer<yaml_parser_t>) -> Output {
        var documents: [YAMLDocument] = []
        var frames: [Frame] = []
        var anchors: [String: (node: YAMLNode, size: Int)] = [:]
        var nodes = 0
        var documentStart = YAMLMark(line: 1, column: 1)
        var root: YAMLNode?
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }

        func fail(_ mark: YAMLMark, _ message: String, _ hint: String) -> Output {
            Output(documents: documents, problems: [Problem(mark: mark, message: message, hint: hint)])
        }

        while true {
            guard yaml_parser_parse(parser, event) != 0 else {
                return fail(Self.problemMark(parser), Self.problemMessage(parser), "fix the YAML syntax")
            }
            defer { yaml_event_delete(event) }
            let mark = YAMLMark(
                line: Int(event.pointee.start_mark.line) + 1, column: Int(event.pointee.start_mark.column) + 1)
            var completed: (node: YAMLNode, anchor: String?, size: Int)?

            switch event.pointee.type {
            case YAML_STREAM_END_EVENT:
                return Output(documents: documents, problems: [])
            case YAML_DOCUMENT_START_EVENT:
                if documents.count >= limits.maxDocumentsPerFile {
                    return fail(
                        mark, "too many documents in one file (limit \(limits.maxDocumentsPerFile))",
                        "split the file")
                }
                documentStart = mark
                root = nil
                anchors = [:]
            case YAML_DOCUMENT_END_EVENT:
                if let root { documents.append(YAMLDocument(root: root, start: documentStart)) }
                root = nil
            case YAML_ALIAS_EVENT:
                let name = Self.string(event.pointee.data.alias.anchor) ?? ""
                guard limits.allowAliases else {
                    return fail(mark, "aliases (*\(name)) are not allowed in manifests", "write the value out")
                }
                guard let target = anchors[name] else {
                    return fail(mark, "unknown anchor \"\(name)\"", "define &\(name) before using *\(name)")
                }
                var aliased = target.node
                aliased.mark = mark
                completed = (aliased, nil, target.size)
            case YAML_SCALAR_EVENT:
                let scalar = event.pointee.data.scalar
                let text: String
                if let value = scalar.value {
                    text = String(decoding: UnsafeBufferPointer(start: value, count: Int(scalar.length)), as: UTF8.self)
                } else {
                    text = ""
                }
                let style: YAMLNode.Style
                switch scalar.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE, YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .quoted
                case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: style = .literal
                default: style = .plain
                }
                let node = YAMLNode(content: .scalar(text, style), tag: Self.string(scalar.tag), mark: mark)
                completed = (node, Self.string(scalar.anchor), 1)
            case YAML_SEQUENCE_START_EVENT:
                let start = event.pointee.data.sequence_start
                frames.append(
                    .sequence(mark: mark, tag: Self.string(start.tag), anchor: Self.string(start.anchor), items: [], size: 1))
                if frames.count > limits.maxDepth {
                    return fail(mark, "nesting is too deep (limit \(limits.maxDepth) levels)", "flatten the document")
                }
            case YAML_MAPPING_START_EVENT:
                let start = event.pointee.data.mapping_start
                frames.append(
                    .mapping(
                        mark: mark, tag: Self.string(start.tag), anchor: Self.string(start.anchor), pairs: [], key: nil,
                        size: 1))
                if frames.count > limits.maxDepth {
                    return fail(mark, "nesting is too deep (limit \(limits.maxDepth) levels)", "flatten the document")
                }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                switch frames.popLast() {
                case .sequence(let m, let tag, let anchor, let items, let size):
                    completed = (YAMLNode(content: .sequence(items), tag: tag, mark: m), anchor, size)
                case .mapping(let m, let tag, let anchor, let pairs, _, let size):
                    completed = (YAMLNode(content: .mapping(pairs), tag: tag, mark: m), anchor, size)
                case nil:
                    return fail(mark, "unbalanced YAML events", "fix the YAML syntax")
                }
                // Its children are already counted; only the collection itself is added below.
                nodes -= (completed?.size ?? 1) - 1
            default:
                break
            }

            guard let (node, anchor, size) = completed else { continue }
            nodes += size
            if nodes > limits.maxNodesPerFile {
                return fail(
                    mark, "document is too large once aliases are expanded (more than \(limits.maxNodesPerFile) nodes)",
                    "write fewer aliases or split the file")
            }
            if let anchor { anchors[anchor] = (node, size) }
            switch frames.popLast() {
            case nil:
                root = node
            case .sequence(let m, let tag, let a, var items, let total):
                items.append(node)
                frames.append(.sequence(mark: m, tag: tag, anchor: a, items: items, size: total + size))
            case .mapping(let m, let tag, let a, var pairs, let key, let total):
                if let key {
                    pairs.append(YAMLNode.Pair(key: key, value: node))
                    frames.append(.mapping(mark: m, tag: tag, anchor: a, pairs: pairs, key: nil, size: total + size))
                } else {
                    frames.append(.mapping(mark: m, tag: tag, anchor: a, pairs: pairs, key: node, size: total + size))
                }
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func problemMark(_ parser: UnsafeMutablePointer<yaml_parser_t>) -> YAMLMark {
        let mark = parser.pointee.problem_mark
        return YAMLMark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func problemMessage(_ parser: UnsafeMutablePointer<yaml_parser_t>) -> String {
        var text = "invalid YAML: "
        if let problem = parser.pointee.problem {
            text += String(cString: problem)
        } else {
            text += "syntax error"
        }
        if let context = parser.pointee.context {
            let mark = parser.pointee.context_mark
            text += " (\(String(cString: context)) at \(mark.line + 1):\(mark.column + 1))"
        }
        return text
    }
}
