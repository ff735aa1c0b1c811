import Foundation
import NgrokModel

/// The one renderer of diagnostics, for every command and format: text for people
/// (`file:line:col: error: Kind/name: what; how`), JSON for tooling, GitHub workflow annotations
/// (`::error file=…,line=…,col=…::…`) and SARIF 2.1.0 for code scanning (`SARIFLog`).
public enum DiagnosticRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
        case github
        case sarif
    }

    /// Paths in annotations and SARIF are relative to `base` (the repository checkout). Diagnostics
    /// name files relative to the stack root; `stackRoot` places them (absolute for a directory, or
    /// already relative to the repository for a stack read from git). Paths outside `base` stay absolute.
    public struct Paths: Sendable, Hashable {
        public var base: String?
        public var stackRoot: String

        public init(base: String?, stackRoot: String = "") {
            self.base = base
            self.stackRoot = stackRoot
        }

        public func relative(_ file: String) -> String {
            var path = file
            if !path.hasPrefix("/"), !stackRoot.isEmpty, stackRoot != "." {
                path = stackRoot.hasSuffix("/") ? stackRoot + path : stackRoot + "/" + path
            }
            guard path.hasPrefix("/"), var base, !base.isEmpty else { return path }
            if !base.hasSuffix("/") { base += "/" }
            return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
        }
    }

    // MARK: Text

    /// One line (no newline): `file:line:col: error: Kind/name: what is wrong; how to fix it`.
    /// The severity is written once; with `color`, it is painted.
    public static func text(_ d: Diagnostic, color: Bool = false) -> String {
        let severity = d.severity == .error
            ? paint("error:", "31;1", color) : paint("warning:", "33", color)
        var text = ""
        // Messages quote manifest and API text: escaped so that it cannot act on a terminal.
        if let location = d.location { text += OutputEscaping.text("\(location)") + ": " }
        text += severity + " "
        if let address = d.address { text += "\(address): " }
        text += OutputEscaping.text(d.message)
        if !d.hint.isEmpty { text += "; " + OutputEscaping.text(d.hint) }
        return text
    }

    /// Every diagnostic, one per line.
    public static func text(_ diagnostics: [Diagnostic], color: Bool = false) -> String {
        diagnostics.map { text($0, color: color) + "\n" }.joined()
    }

    static func paint(_ text: String, _ code: String, _ color: Bool) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    // MARK: JSON

    /// The machine-readable form (`validate --format json`, `plan --format json`).
    public static func json(_ d: Diagnostic) -> WireValue {
        var o: [String: WireValue] = [
            "severity": .string(d.severity.rawValue), "message": .string(d.message), "text": .string(text(d)),
        ]
        if !d.hint.isEmpty { o["hint"] = .string(d.hint) }
        if let location = d.location {
            o["file"] = .string(location.file)
            o["line"] = .int(location.line)
            o["column"] = .int(location.column)
        }
        if let address = d.address { o["address"] = .string(address.description) }
        return .object(o)
    }

    // MARK: GitHub Actions

    /// A workflow command that GitHub shows as an annotation on the pull request's diff:
    /// `::error file=stack/app.yaml,line=3,col=7,title=EndpointConfiguration/app::message; hint`.
    public static func githubAnnotation(_ d: Diagnostic, paths: Paths = Paths(base: nil)) -> String {
        var properties: [String] = []
        if let location = d.location {
            properties.append("file=" + escapeProperty(paths.relative(location.file)))
            properties.append("line=\(location.line)")
            properties.append("col=\(location.column)")
        }
        properties.append("title=" + escapeProperty(d.address.map { "ngrokctl: \($0)" } ?? "ngrokctl"))
        var message = d.message
        if !d.hint.isEmpty { message += "; \(d.hint)" }
        let command = d.severity == .error ? "error" : "warning"
        return "::\(command) \(properties.joined(separator: ","))::\(escapeData(message))"
    }

    public static func githubAnnotations(_ diagnostics: [Diagnostic], paths: Paths = Paths(base: nil)) -> String {
        diagnostics.map { githubAnnotation($0, paths: paths) + "\n" }.joined()
    }

    /// Escaping of a workflow command's message (GitHub's `escapeData`).
    static func escapeData(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escaping of a workflow command's property value (GitHub's `escapeProperty`).
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

extension Diagnostic {
    /// For machine-readable output (`validate --format json`, `plan --format json`).
    public var wireValue: WireValue { DiagnosticRenderer.json(self) }
}
