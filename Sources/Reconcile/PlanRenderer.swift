import Foundation
import NgrokModel

/// Renders plans for people (text, Markdown) and machines (JSON). Secrets are never rendered:
/// every value goes through `WireValue.display` / `redacted`.
public enum PlanRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
        case markdown
    }

    public static let formatVersion = "1"

    public static func render(_ plan: Plan, format: Format, color: Bool = false) -> String {
        switch format {
        case .text: text(plan, color: color)
        case .json: json(plan)
        case .markdown: markdown(plan)
        }
    }

    public static func symbol(_ op: PlanOperation) -> String {
        if op.replacement { return op.action == .create ? "+" : "-" }
        switch op.action {
        case .create, .rotate: return "+"
        case .delete, .dedupe, .detach, .moduleDelete, .revoke: return "-"
        case .update, .modulePut, .attach, .adopt, .forget: return "~"
        }
    }

    public static func verb(_ op: PlanOperation) -> String {
        if op.replacement { return op.action == .create ? "replace (create new)" : "replace (delete old)" }
        return op.action.rawValue
    }

    static func changeLine(_ change: PlanOperation.FieldChange) -> String {
        switch (change.before, change.after) {
        case (nil, let after?): "\(change.path): \(after.display)"
        case (let before?, nil): "\(change.path): \(before.display) → (removed)"
        case (let before?, let after?):
            change.sensitive && before == after
                ? "\(change.path): (sensitive value changed)" : "\(change.path): \(before.display) → \(after.display)"
        case (nil, nil): change.path
        }
    }

    public static func summaryLine(_ plan: Plan) -> String {
        let s = plan.summary
        var line = "\(s.create) to create, \(s.update) to update, \(s.replace) to replace, \(s.delete) to delete"
        if s.rotate > 0 { line += ", \(s.rotate) to rotate" }
        if s.revoke > 0 { line += ", \(s.revoke) to revoke" }
        if s.other > 0 { line += ", \(s.other) other" }
        if s.ruleDelete > 0 { line += ", \(s.ruleDelete) IP policy rule\(s.ruleDelete == 1 ? "" : "s") to delete" }
        let disruptive = plan.operations.filter(\.disruptive).count
        if disruptive > 0 { line += ", \(disruptive) disruptive" }
        return line + " (\(plan.operations.count) API operations)."
    }

    // MARK: Text

    /// Every string that came from a manifest or the API goes through `e` (OutputEscaping): only
    /// the renderer's own color codes and line breaks reach the terminal raw.
    public static func text(_ plan: Plan, color: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let e = OutputEscaping.text
        var out = "Stack \(e(plan.stack))"
        if let commit = plan.sourceCommit { out += " at commit \(e(String(commit.prefix(12))))" }
        out += "\n"
        out += DiagnosticRenderer.text(plan.errors + plan.warnings, color: color)
        if plan.operations.isEmpty {
            out += "\nNo changes. The account matches the manifests.\n"
        } else {
            out += "\n"
            for op in plan.operations {
                let sym = symbol(op)
                let code = sym == "+" ? "32" : sym == "-" ? "31" : "33"
                var line = paint("\(sym) \(verb(op))", code) + "  " + paint(e(op.target), "1")
                if let id = op.request.objectID { line += " (\(e(id)))" }
                if op.destructive { line += paint("  [destructive]", "31;1") }
                if op.disruptive { line += paint("  [disruptive]", "31;1") }
                out += line + "\n"
                out += "      # \(e(op.reason))\n"
                for change in op.changes { out += "      \(e(changeLine(change)))\n" }
            }
        }
        out += mayChangeText(plan, color: color)
        for note in plan.notes { out += "note: \(e(note))\n" }
        out += "\nPlan: " + summaryLine(plan) + "\n"
        return out
    }

    // MARK: JSON

    public static func jsonValue(_ plan: Plan) -> WireValue {
        let s = plan.summary
        func diagnostics(_ list: [Diagnostic]) -> WireValue { .list(list.map(\.wireValue)) }
        let operations: [WireValue] = plan.operations.map { op in
            var o: [String: WireValue] = [
                "id": .int(op.id),
                "action": .string(op.action.rawValue),
                "address": .string(op.address.description),
                "target": .string(op.target),
                "reason": .string(op.reason),
                "depends_on": .list(op.dependsOn.map(WireValue.int)),
                "destructive": .bool(op.destructive),
                "disruptive": .bool(op.disruptive),
                "replacement": .bool(op.replacement),
                "changes": .list(op.changes.map { change in
                    .object([
                        "path": .string(change.path),
                        "api_path": .string(change.apiPath),
                        "before": change.before?.redacted ?? .null,
                        "after": change.after?.redacted ?? .null,
                        "sensitive": .bool(change.sensitive),
                    ])
                }),
                "request": .object([
                    "method": .string(op.request.method.rawValue),
                    "path": .string(path(of: op)),
                ]),
            ]
            switch op.subject {
            case .object: break
            case .rule(let cidr): o["rule"] = .string(cidr)
            case .module(let m): o["module"] = .string(m.rawValue)
            case .slot(let slot): o["slot"] = .string(slot)
            }
            if let id = op.request.objectID { o["object_id"] = .string(id) }
            return .object(o)
        }
        return .object([
            "format_version": .string(formatVersion),
            "stack": .string(plan.stack),
            "source_commit": plan.sourceCommit.map(WireValue.string) ?? .null,
            "live_fingerprint": .string(plan.liveFingerprint),
            "summary": .object([
                "create": .int(s.create), "update": .int(s.update), "replace": .int(s.replace),
                "delete": .int(s.delete), "other": .int(s.other), "rule_delete": .int(s.ruleDelete),
                "deletions": .int(plan.deletionCount), "operations": .int(plan.operations.count),
                "rotate": .int(s.rotate), "revoke": .int(s.revoke),
            ]),
            "operations": .list(operations),
            "errors": diagnostics(plan.errors),
            "warnings": diagnostics(plan.warnings),
            "notes": .strings(plan.notes),
            "may_change": mayChangeJSON(plan),
        ])
    }

    public static func json(_ plan: Plan) -> String { jsonValue(plan).serialized(pretty: true) + "\n" }

    /// The request path for display (`{new}` where the ID is known only after apply).
    public static func path(of op: PlanOperation) -> String {
        var path = "/\(op.request.collection)"
        if let id = op.request.objectID { path += "/\(id)" }
        return path + op.request.suffix
    }

    // MARK: Markdown

    /// Markdown for a pull request comment. Text from manifests and the API appears only inside
    /// code spans and a code fence longer than any backtick run in it, with controls escaped, so
    /// it cannot end the fence or render as Markdown or HTML.
    public static func markdown(_ plan: Plan) -> String {
        let s = plan.summary
        var out = "### ngrokctl plan: stack \(code(plan.stack))"
        if let commit = plan.sourceCommit { out += " at \(code(String(commit.prefix(12))))" }
        out += "\n\n"
        if !plan.errors.isEmpty {
            out += "**\(plan.errors.count) error(s): this plan cannot be applied.**\n\n"
            for d in plan.errors { out += "- :x: \(code(DiagnosticRenderer.text(d)))\n" }
            out += "\n"
        }
        for d in plan.warnings { out += "- :warning: \(code(DiagnosticRenderer.text(d)))\n" }
        if plan.operations.isEmpty {
            out += "No changes. The account matches the manifests.\n"
        } else {
            out += "| create | update | replace | delete | API operations |\n|---:|---:|---:|---:|---:|\n"
            out += "| \(s.create) | \(s.update) | \(s.replace) | \(s.delete) | \(plan.operations.count) |\n\n"
            if s.rotate + s.revoke > 0 {
                out += "Credential generations: \(s.rotate) to rotate, \(s.revoke) to revoke.\n\n"
            }
            out += GraphRenderer.markdownSection(plan) + "\n"
            if plan.operations.contains(where: \.destructive) {
                out += "> :warning: This plan contains destructive operations.\n\n"
            }
            let disruptive = plan.operations.filter(\.disruptive).count
            if disruptive > 0 {
                out += "> :warning: \(disruptive) disruptive change(s): tunnels using the configuration break until their agents restart.\n\n"
            }
            if s.ruleDelete > 0 { out += "IP policy rules to delete: \(s.ruleDelete).\n\n" }
            let e = OutputEscaping.text
            var body = ""
            for op in plan.operations {
                let sym = symbol(op) == "~" ? "!" : symbol(op)
                body += "\(sym) \(verb(op)) \(e(op.target))\(op.destructive ? "  [destructive]" : "")\(op.disruptive ? "  [disruptive]" : "")\n"
                body += "#   \(e(op.reason))\n"
                for change in op.changes { body += "    \(e(changeLine(change)))\n" }
            }
            let fence = OutputEscaping.fence(for: body)
            out += "<details><summary>Operations</summary>\n\n\(fence)diff\n\(body)\(fence)\n\n</details>\n"
        }
        out += mayChangeMarkdown(plan)
        for note in plan.notes { out += "\n- Note: \(code(note))\n" }
        return out
    }

    /// An inline code span holding `text` (controls escaped), delimited by more backticks than
    /// any run inside it, padded with spaces as CommonMark requires when the text touches a backtick.
    static func code(_ text: String) -> String {
        let inner = OutputEscaping.text(text)
        let ticks = String(repeating: "`", count: OutputEscaping.longestBacktickRun(in: inner) + 1)
        let pad = inner.hasPrefix("`") || inner.hasSuffix("`") || inner.hasPrefix(" ") || inner.hasSuffix(" ") ? " " : ""
        return ticks + pad + inner + pad + ticks
    }
}
