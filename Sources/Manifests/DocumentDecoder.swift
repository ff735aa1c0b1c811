import NgrokModel

/// Types one YAML document by the field table, recording every value's location by dotted
/// path and a diagnostic for every problem (it never stops at the first).
struct DocumentDecoder {
    /// The file as shown to users (relative to the stack root).
    let file: String
    /// The manifest's directory in the file system's namespace (for `{file: PATH}`).
    let directory: String
    let fileSystem: any ManifestFileSystem
    let limits: ManifestLimits
    let checksSecretFiles: Bool

    var address: ResourceAddress?
    var diagnostics: [Diagnostic] = []
    var fields: [String: SourceLocation] = [:]

    init(
        file: String, directory: String, fileSystem: any ManifestFileSystem, limits: ManifestLimits,
        checksSecretFiles: Bool
    ) {
        self.file = file
        self.directory = directory
        self.fileSystem = fileSystem
        self.limits = limits
        self.checksSecretFiles = checksSecretFiles
    }

    func location(_ mark: YAMLMark) -> SourceLocation {
        SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    mutating func error(_ mark: YAMLMark, _ message: String, hint: String = "") {
        diagnostics.append(.error(at: location(mark), address, message, hint: hint))
    }

    // MARK: Values

    /// Decodes `node` as `type`; nil (with a diagnostic) when it does not fit.
    /// A mapping's pairs with their key text, in order, leaving out keys that are not text and keys
    /// that repeat an earlier one (each reported); `seen` is where each key first stands.
    mutating func distinctPairs(_ pairs: [YAMLNode.Pair], path: String)
        -> (pairs: [(key: String, pair: YAMLNode.Pair)], seen: [String: YAMLMark], ok: Bool)
    {
        var distinct: [(key: String, pair: YAMLNode.Pair)] = []
        var seen: [String: YAMLMark] = [:]
        var ok = true
        for pair in pairs {
            guard let key = keyText(pair.key, path: path) else {
                ok = false
                continue
            }
            if let first = seen[key] {
                error(pair.key.mark, "duplicate key \"\(key)\" (first at \(first))", hint: "remove one of them")
                ok = false
                continue
            }
            seen[key] = pair.key.mark
            distinct.append((key, pair))
        }
        return (distinct, seen, ok)
    }

    /// A number field's value: `parsed` when the scalar parsed and lies within the field's bounds;
    /// otherwise nil, with the error reported at `node` (`expected` names the type, `hint` how to write it).
    mutating func bounded<T: Comparable>(
        _ parsed: T?, _ minimum: T?, _ maximum: T?, _ node: YAMLNode, _ path: String, expected: String, hint: String
    ) -> T? {
        guard let value = parsed else {
            error(node.mark, "\(path): expected \(expected), got \(describe(node))", hint: quotedHint(node, hint))
            return nil
        }
        return inRange(value, minimum, maximum, node, path) ? value : nil
    }

    /// Whether `value` lies within the field's bounds; reports the error at `node` when not.
    mutating func inRange<T: Comparable>(_ value: T, _ minimum: T?, _ maximum: T?, _ node: YAMLNode, _ path: String) -> Bool {
        if let minimum, value < minimum {
            error(
                node.mark, "\(path): \(value) is less than the minimum \(minimum)",
                hint: "use a value of at least \(minimum)")
            return false
        }
        if let maximum, value > maximum {
            error(
                node.mark, "\(path): \(value) is more than the maximum \(maximum)",
                hint: "use a value of at most \(maximum)")
            return false
        }
        return true
    }

    mutating func decode(_ node: YAMLNode, _ type: FieldType, path: String, keyMark: YAMLMark? = nil) -> DecodedValue? {
        fields[path] = location(node.mark)
        if let tag = node.tag, !YAMLNode.standardTags.contains(tag) {
            error(node.mark, "\(path): unsupported tag \(tag)", hint: "remove the tag")
            return nil
        }
        switch type {
        case .constant(let expected):
            guard let text = string(node), text == expected else {
                error(
                    node.mark, "\(path) must be \"\(expected)\", got \(describe(node))",
                    hint: "write \(path): \(expected)")
                return nil
            }
            return .string(text)
        case .string(let format):
            return decodeString(node, format, path: path)
        case .boolean:
            guard case .scalar(let text, .plain) = node.content,
                node.tag == nil || node.tag == "tag:yaml.org,2002:bool",
                text == "true" || text == "false"
            else {
                error(node.mark, "\(path): expected true or false, got \(describe(node))", hint: "write true or false")
                return nil
            }
            return .bool(text == "true")
        case .integer(let minimum, let maximum):
            return bounded(integer(node), minimum, maximum, node, path, expected: "an integer", hint: "write a decimal integer")
                .map(DecodedValue.int)
        case .number(let minimum, let maximum):
            return bounded(number(node), minimum, maximum, node, path, expected: "a number", hint: "write a number such as 0.5")
                .map(DecodedValue.double)
        case .duration:
            guard let seconds = DurationField.seconds(node) else {
                error(
                    node.mark, "\(path): expected a duration, got \(describe(node))",
                    hint: "write 30s, 5m, 2h, 7d or a whole number of seconds")
                return nil
            }
            return .int(seconds)
        case .list(let element, let minItems):
            guard case .sequence(let items) = node.content else {
                error(node.mark, "\(path): expected a list, got \(describe(node))", hint: listHint(node, element))
                return nil
            }
            if items.count < minItems {
                error(
                    node.mark, "\(path): needs at least \(minItems) item\(minItems == 1 ? "" : "s")",
                    hint: "add one or remove the field")
            }
            var values: [DecodedValue] = []
            values.reserveCapacity(items.count)
            var ok = true
            for (i, item) in items.enumerated() {
                if let v = decode(item, element, path: "\(path)[\(i)]") { values.append(v) } else { ok = false }
            }
            return ok ? .list(values) : nil
        case .stringMap(let keys):
            guard case .mapping(let pairs) = node.content else {
                error(
                    node.mark, "\(path): expected a mapping of strings, got \(describe(node))",
                    hint: "write \(path.split(separator: ".").last ?? ""): {key: value}")
                return nil
            }
            var result: [(key: String, value: String)] = []
            let distinct = distinctPairs(pairs, path: path)
            var ok = distinct.ok
            for (key, pair) in distinct.pairs {
                if !keys.matches(key) {
                    error(pair.key.mark, "\(path): invalid key \"\(Self.clip(key))\"", hint: formatHint(keys))
                    ok = false
                }
                let childPath = path + "." + key
                if let v = decodeString(pair.value, .any, path: childPath) {
                    if let s = v.string { result.append((key, s)) }
                } else {
                    ok = false
                }
            }
            return ok ? .pairs(result) : nil
        case .object(let shape):
            return decodeObject(node, shape, path: path, keyMark: keyMark).map { .object($0) }
        case .secret:
            return decodeSecret(node, path: path).map { .secret($0) }
        case .textOrFile:
            return decodeTextOrFile(node, path: path, keyMark: keyMark).map { .string($0) }
        }
    }

    mutating func decodeObject(_ node: YAMLNode, _ shape: ObjectShape, path: String, keyMark: YAMLMark? = nil)
        -> DecodedObject?
    {
        if node.isNull && shape.acceptsNull { return DecodedObject() }
        guard case .mapping(let pairs) = node.content else {
            error(
                node.mark, "\(path.isEmpty ? "the document" : path): expected a mapping, got \(describe(node))",
                hint: "write \(path.isEmpty ? "key: value lines" : "its fields indented below it")")
            return nil
        }
        let prefix = path.isEmpty ? "" : path + "."
        var object = DecodedObject()
        let distinct = distinctPairs(pairs, path: path)
        let seen = distinct.seen
        var ok = distinct.ok
        for (key, pair) in distinct.pairs {
            guard let field = shape.field(key) else {
                error(pair.key.mark, "unknown field \"\(Self.clip(key))\"", hint: unknownFieldHint(key, shape))
                ok = false
                continue
            }
            if let value = decode(pair.value, field.type, path: prefix + key, keyMark: pair.key.mark) {
                object.values[key] = value
            } else {
                ok = false
            }
        }
        // A missing field is reported at its parent's key (`spec:`), else at the object.
        let anchor = keyMark ?? node.mark
        for field in shape.fields where field.required && seen[field.name] == nil {
            error(
                anchor, "missing required field \"\(prefix + field.name)\"",
                hint: field.missingHint.isEmpty ? "add \(field.name)" : field.missingHint)
            ok = false
        }
        for (a, b) in shape.requiresEither where seen[a] == nil && seen[b] == nil {
            error(anchor, "\(path.isEmpty ? "the document" : path) needs \(a) or \(b)", hint: "add one of them")
            ok = false
        }
        for (a, b) in shape.exclusive {
            if let markB = seen[b], seen[a] != nil {
                error(markB, "\(prefix + a) and \(prefix + b) cannot both be set", hint: "remove one of them")
                ok = false
            }
        }
        return ok ? object : nil
    }

    // MARK: Strings, secrets, files

    mutating func decodeString(_ node: YAMLNode, _ format: StringFormat, path: String) -> DecodedValue? {
        guard let text = string(node) else {
            error(
                node.mark, "\(path): expected a string, got \(describe(node))",
                hint: node.isNull ? "write a value, or remove the field" : "write a single value")
            return nil
        }
        guard format.matches(text) else {
            switch format {
            case .name, .reference:
                let suggestion = Names.suggestion(for: text).map { " (e.g. \"\($0)\")" } ?? ""
                error(
                    node.mark, "\(path): invalid name \"\(Self.clip(text))\": \(Names.rule)",
                    hint: "rename it\(suggestion)")
            case .oneOf(let values):
                let close = EditDistance.suggestion(for: text, among: values)
                let hint = close.map { "did you mean \"\($0)\"?" } ?? "use one of: \(values.joined(separator: ", "))"
                error(node.mark, "\(path): invalid value \"\(Self.clip(text))\"", hint: hint)
            default:
                error(node.mark, "\(path): invalid value \"\(Self.clip(text))\"", hint: formatHint(format))
            }
            return nil
        }
        return .string(text)
    }

    mutating func decodeSecret(_ node: YAMLNode, path: String) -> SecretReference? {
        guard case .mapping(let pairs) = node.content else {
            if case .scalar = node.content, !node.isNull {
                // Never echo the value: it may be a real secret.
                error(
                    node.mark, "\(path): a secret cannot be written literally in a manifest",
                    hint: "use {env: NAME} or {file: PATH}, and keep the value out of git")
            } else {
                error(
                    node.mark, "\(path): expected {env: NAME} or {file: PATH}, got \(describe(node))",
                    hint: "write {env: NAME} or {file: PATH}")
            }
            return nil
        }
        var env: (String, YAMLMark)?
        var fileRef: (String, YAMLMark)?
        var ok = true
        for pair in pairs {
            guard let key = keyText(pair.key, path: path) else {
                ok = false
                continue
            }
            switch key {
            case "env", "file":
                if (key == "env" ? env?.1 : fileRef?.1) != nil {
                    error(pair.key.mark, "duplicate key \"\(key)\"", hint: "remove one of them")
                    ok = false
                    continue
                }
                fields[path + "." + key] = location(pair.value.mark)
                guard let text = string(pair.value), !text.isEmpty else {
                    error(
                        pair.value.mark,
                        "\(path).\(key): expected a \(key == "env" ? "variable name" : "path"), got \(describe(pair.value))",
                        hint: "write {\(key): \(key == "env" ? "NAME" : "PATH")}")
                    ok = false
                    continue
                }
                if key == "env" {
                    guard StringFormat.environmentVariable.matches(text) else {
                        error(
                            pair.value.mark, "\(path).env: invalid environment variable name",
                            hint: "use letters, digits and _ (not starting with a digit)")
                        ok = false
                        continue
                    }
                    env = (text, pair.value.mark)
                } else {
                    fileRef = (text, pair.value.mark)
                }
            default:
                let close = EditDistance.suggestion(for: key, among: ["env", "file"])
                error(
                    pair.key.mark, "unknown field \"\(Self.clip(key))\"",
                    hint: close.map { "did you mean \"\($0)\"?" } ?? "a secret takes {env: NAME} or {file: PATH}")
                ok = false
            }
        }
        guard ok else { return nil }
        switch (env, fileRef) {
        case ((let name, _)?, nil):
            return .env(name)
        case (nil, (let relative, let mark)?):
            let resolved = ManifestPath.join(directory, relative)
            if checksSecretFiles {
                do {
                    _ = try fileSystem.readFile(at: resolved, limit: limits.maxFileBytes)
                } catch {
                    self.error(
                        mark, "\(path).file: cannot read \"\(Self.pathText(relative))\": \(error)",
                        hint: "create the file or fix the path (relative to \(file))")
                    return nil
                }
            }
            return .file(resolved)
        case (_?, _?):
            error(node.mark, "\(path): use either env or file, not both", hint: "remove one of them")
            return nil
        case (nil, nil):
            error(node.mark, "\(path): expected {env: NAME} or {file: PATH}", hint: "write {env: NAME} or {file: PATH}")
            return nil
        }
    }

    mutating func decodeTextOrFile(_ node: YAMLNode, path: String, keyMark: YAMLMark?) -> String? {
        if case .mapping = node.content {
            guard let ref = decodeObject(node, ManifestSchema.fileReference, path: path, keyMark: keyMark),
                let relative = ref.string("file")
            else {
                return nil
            }
            let markNode = fileValueMark(node) ?? node.mark
            let resolved = ManifestPath.join(directory, relative)
            do {
                let bytes = try fileSystem.readFile(at: resolved, limit: limits.maxFileBytes)
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    error(
                        markNode, "\(path).file: \"\(Self.pathText(relative))\" is not UTF-8 text",
                        hint: "use a PEM (text) file")
                    return nil
                }
                return text
            } catch {
                self.error(
                    markNode, "\(path).file: cannot read \"\(Self.pathText(relative))\": \(error)",
                    hint: "create the file or fix the path (relative to \(file))")
                return nil
            }
        }
        guard let text = string(node) else {
            error(
                node.mark, "\(path): expected a string or {file: PATH}, got \(describe(node))",
                hint: "write the text with `|` or {file: PATH}")
            return nil
        }
        return text
    }

    private func fileValueMark(_ node: YAMLNode) -> YAMLMark? {
        guard case .mapping(let pairs) = node.content else { return nil }
        return pairs.first { $0.key.scalar == "file" }?.value.mark
    }

    // MARK: Scalars

    /// The text of a non-null scalar (a string wherever a string is expected: no YAML 1.1 coercion).
    func string(_ node: YAMLNode) -> String? {
        guard case .scalar(let text, _) = node.content, !node.isNull else { return nil }
        return text
    }

    mutating func keyText(_ node: YAMLNode, path: String) -> String? {
        guard case .scalar(let text, _) = node.content else {
            error(
                node.mark,
                "\(path.isEmpty ? "document" : path): mapping keys must be plain strings, got \(node.kindName)",
                hint: "use a plain key")
            return nil
        }
        return text
    }

    func integer(_ node: YAMLNode) -> Int? {
        guard case .scalar(let text, .plain) = node.content, node.tag == nil || node.tag == "tag:yaml.org,2002:int"
        else { return nil }
        return Self.decimalInteger(text)
    }

    static func decimalInteger(_ text: String) -> Int? {
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ Names.isDigit($0) }) else { return nil }
        return Int(text.first == "+" ? String(text.dropFirst()) : text)
    }

    func number(_ node: YAMLNode) -> Double? {
        guard case .scalar(let text, .plain) = node.content, node.tag == nil || node.tag == "tag:yaml.org,2002:float"
        else { return nil }
        guard Self.isCoreFloat(text), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (YAML 1.2 core, finite).
    static func isCoreFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let f = bytes.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var intDigits = 0
        while let c = bytes.first, Names.isDigit(c) {
            intDigits += 1
            bytes = bytes.dropFirst()
        }
        var fracDigits = 0
        var hasDot = false
        if bytes.first == UInt8(ascii: ".") {
            hasDot = true
            bytes = bytes.dropFirst()
            while let c = bytes.first, Names.isDigit(c) {
                fracDigits += 1
                bytes = bytes.dropFirst()
            }
        }
        if intDigits == 0 && (!hasDot || fracDigits == 0) { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let s = bytes.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard let c = bytes.first, Names.isDigit(c) else { return false }
            while let c = bytes.first, Names.isDigit(c) { bytes = bytes.dropFirst() }
        }
        return bytes.isEmpty
    }

    // MARK: Messages

    /// A path from a manifest as shown in a diagnostic: whole (up to 200 characters), controls escaped.
    static func pathText(_ path: String) -> String {
        let shown = OutputEscaping.text(path)
        return shown.count > 200 ? String(shown.prefix(200)) + "…" : shown
    }

    static func clip(_ text: String) -> String {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }
        if firstLine.count > 40 || firstLine.count < text.count { return String(firstLine.prefix(40)) + "…" }
        return text
    }

    func describe(_ node: YAMLNode, secret: Bool = false) -> String {
        switch node.content {
        case .scalar(let text, let style):
            if node.isNull { return "nothing (null)" }
            if secret { return "a string" }
            return style == .quoted ? "the string \"\(Self.clip(text))\"" : "\"\(Self.clip(text))\""
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    func quotedHint(_ node: YAMLNode, _ fallback: String) -> String {
        if case .scalar(_, .quoted) = node.content { return "remove the quotes" }
        return fallback
    }

    func listHint(_ node: YAMLNode, _ element: FieldType) -> String {
        if case .scalar = node.content, !node.isNull { return "write a list, e.g. [\(Self.clip(node.scalar ?? ""))]" }
        return "write a list, e.g. [a, b]"
    }

    func formatHint(_ format: StringFormat) -> String {
        switch format {
        case .environmentVariable: "use letters, digits and _ (not starting with a digit)"
        case .apiURL: "use https://…, http://… or local:PATH"
        case .headerName: "use a valid HTTP header name (letters, digits and -)"
        case .name, .reference: Names.rule
        case .oneOf(let values): "use one of: \(values.joined(separator: ", "))"
        case .any: ""
        }
    }

    func unknownFieldHint(_ key: String, _ shape: ObjectShape) -> String {
        if let close = EditDistance.suggestion(for: key, among: shape.fieldNames) {
            return "did you mean \"\(close)\"?"
        }
        if shape.name == "EndpointConfigurationSpec", ManifestSchema.modules.field(key) != nil {
            return "modules go under spec.modules"
        }
        if shape.name.hasSuffix("Document"), let kind = shape.fields.first(where: { $0.name == "spec" }),
            case .object(let spec) = kind.type, spec.field(key) != nil
        {
            return "\"\(key)\" belongs under spec"
        }
        return "allowed fields: \(shape.fieldNames.joined(separator: ", "))"
    }
}

/// Durations: `30s`, `5m`, `2h`, `7d` or an integer number of seconds.
enum DurationField {
    static let maxDigits = 9

    static func seconds(_ node: YAMLNode) -> Int? {
        guard case .scalar(let text, let style) = node.content, !node.isNull else { return nil }
        if style == .plain, node.tag == nil, let value = DocumentDecoder.decimalInteger(text) {
            return value >= 0 && value <= 999_999_999 ? value : nil
        }
        return parse(text)
    }

    static func parse(_ text: String) -> Int? {
        guard let unit = text.last, text.count >= 2, text.count <= maxDigits + 1 else { return nil }
        let digits = text.dropLast()
        guard digits.utf8.allSatisfy({ Names.isDigit($0) }), let n = Int(digits) else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3600
        case "d": return n * 86400
        default: return nil
        }
    }

    static let pattern = "^[0-9]{1,9}[smhd]$"
    static let maxSeconds = 999_999_999
}
