import Foundation
import NgrokAPI
import NgrokModel
import Reconcile
import Testing

/// Strings from the API (or a manifest) are inert in every output: no raw control characters or
/// bidirectional overrides in text, and Markdown keeps them inside a fence they cannot close.
@Suite struct OutputEscapingTests {
    /// ESC sequence that would erase the line, a bare CR, a C1 CSI, DEL, a right-to-left override,
    /// a first-strong isolate and a backtick run longer than the usual fence.
    static let hostile = "x\u{1B}[2K\u{1B}[1A\rhidden\u{9B}31m\u{7F}\u{202E}evil\u{2066}```````\n## not a heading"

    static func expectInert(_ output: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for scalar in output.unicodeScalars {
            let v = scalar.value
            let bad = (v < 0x20 && v != 0x0A) || v == 0x7F || (0x80...0x9F).contains(v)
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            #expect(!bad, "raw U+\(String(v, radix: 16)) in output", sourceLocation: sourceLocation)
        }
    }

    @Test func textAndMarkdownEscapeWhatTheAPIReturns() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try h.write("apiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: office}\nspec:\n  description: clean\n  rules: [{cidr: 10.0.0.0/8}]\n")
        try await h.converge()
        // Someone changes the description through the API: the plan shows the hostile value.
        let live = try #require(try await h.api.snapshot().all(.ipPolicy).first)
        let body = WireValue.object(["description": .string(Self.hostile)]).serialized()
        _ = try await h.client.execute(.patch, "/ip_policies/\(live.id)", body: Array(body.utf8))
        let plan = try await h.plan()
        #expect(!plan.isEmpty)

        let text = PlanRenderer.text(plan, color: false)
        Self.expectInert(text)
        #expect(text.contains("x\\u{1B}[2K\\u{1B}[1A\\rhidden\\u{9B}31m\\u{7F}\\u{202E}evil\\u{2066}```````\\n## not a heading"), "\(text)")
        // Colors are the renderer's own escapes, and the only ones.
        let colored = PlanRenderer.text(plan, color: true)
        #expect(!colored.contains("\u{1B}[2K") && !colored.contains("\u{1B}[1A"))

        let markdown = PlanRenderer.markdown(plan)
        Self.expectInert(markdown)
        let lines = markdown.components(separatedBy: "\n")
        let open = try #require(lines.firstIndex { $0.hasPrefix("```") && $0.hasSuffix("diff") })
        let fence = String(lines[open].prefix { $0 == "`" })
        #expect(fence.count == 8, "fence \(fence.count)")
        let close = try #require(lines[(open + 1)...].firstIndex { $0.hasPrefix("```") })
        #expect(lines[close] == fence, "the first fence line after the opening must be the closing one")
        #expect(lines[(open + 1)..<close].joined().contains("## not a heading"))
        #expect(!lines[(close + 1)...].contains { $0.contains("not a heading") })

        // JSON keeps JSON's own escaping: the value round-trips exactly, and no raw C0 control is in it.
        let json = PlanRenderer.json(plan)
        #expect(!json.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let decoded = try WireValue(jsonText: Array(json.utf8))
        #expect(decoded.serialized().contains(WireValue.string(Self.hostile).serialized()))
    }

    @Test func fenceAndEscapeRules() {
        #expect(OutputEscaping.fence(for: "no ticks") == "```")
        #expect(OutputEscaping.fence(for: "a ```` b ` c") == "`````")
        #expect(OutputEscaping.text("a\u{1B}b\rc\u{202A}d\u{85}e") == "a\\u{1B}b\\rc\\u{202A}d\\u{85}e")
        #expect(OutputEscaping.text("plain ünïcode ✓") == "plain ünïcode ✓")
    }
}
