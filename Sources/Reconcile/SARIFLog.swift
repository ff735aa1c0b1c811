import NgrokModel

/// Diagnostics as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), the format
/// GitHub code scanning (`github/codeql-action/upload-sarif`) and other CI tools read.
/// One run; one rule per severity (`ngrokctl/error`, `ngrokctl/warning`); each result located at its
/// manifest file, line and column (relative to `%SRCROOT%`, the repository) and at its resource.
public enum SARIFLog {
    public static let version = "2.1.0"
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    static let rules: [(id: String, level: String, text: String)] = [
        ("ngrokctl/error", "error", "The manifests are invalid: a schema, reference or ngrok product rule is broken."),
        ("ngrokctl/warning", "warning", "A manifest is valid but probably not what was meant."),
    ]

    /// The log. `toolVersion` is ngrokctl's version; `paths.base` is the repository root (`%SRCROOT%`).
    public static func log(_ diagnostics: [Diagnostic], toolVersion: String, paths: DiagnosticRenderer.Paths)
        -> WireValue
    {
        let results: [WireValue] = diagnostics.map { d in
            let rule = d.severity == .error ? 0 : 1
            var message = d.message
            if let address = d.address { message = "\(address): " + message }
            if !d.hint.isEmpty { message += "; \(d.hint)" }
            var location: [String: WireValue] = [:]
            if let at = d.location {
                location["physicalLocation"] = .object([
                    "artifactLocation": artifact(at.file, paths),
                    "region": .object(["startLine": .int(max(1, at.line)), "startColumn": .int(max(1, at.column))]),
                ])
            }
            if let address = d.address {
                location["logicalLocations"] = .list([
                    .object([
                        "fullyQualifiedName": .string(address.description), "name": .string(address.name),
                        "kind": .string("resource"),
                    ])
                ])
            }
            var result: [String: WireValue] = [
                "ruleId": .string(rules[rule].id),
                "ruleIndex": .int(rule),
                "level": .string(rules[rule].level),
                "message": .object(["text": .string(message)]),
            ]
            if !location.isEmpty { result["locations"] = .list([.object(location)]) }
            return .object(result)
        }
        var run: [String: WireValue] = [
            "tool": .object([
                "driver": .object([
                    "name": .string("ngrokctl"),
                    "version": .string(toolVersion),
                    "informationUri": .string("https://ngrok.com/docs/api/"),
                    "rules": .list(
                        rules.map { rule in
                            .object([
                                "id": .string(rule.id),
                                "shortDescription": .object(["text": .string(rule.text)]),
                                "defaultConfiguration": .object(["level": .string(rule.level)]),
                            ])
                        }),
                ])
            ]),
            "results": .list(results),
            "columnKind": .string("unicodeCodePoints"),
        ]
        if let base = paths.base, base.hasPrefix("/") {
            let uri = "file://" + percentEncoded(base.hasSuffix("/") ? base : base + "/")
            run["originalUriBaseIds"] = .object(["%SRCROOT%": .object(["uri": .string(uri)])])
        }
        return .object([
            "$schema": .string(schemaURI),
            "version": .string(version),
            "runs": .list([.object(run)]),
        ])
    }

    public static func text(_ diagnostics: [Diagnostic], toolVersion: String, paths: DiagnosticRenderer.Paths) -> String {
        log(diagnostics, toolVersion: toolVersion, paths: paths).serialized(pretty: true) + "\n"
    }

    static func artifact(_ file: String, _ paths: DiagnosticRenderer.Paths) -> WireValue {
        let relative = paths.relative(file)
        if relative.hasPrefix("/") { return .object(["uri": .string("file://" + percentEncoded(relative))]) }
        return .object(["uri": .string(percentEncoded(relative)), "uriBaseId": .string("%SRCROOT%")])
    }

    /// A path as a URI reference: unreserved characters and `/` kept, everything else %-encoded.
    public static func percentEncoded(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}
