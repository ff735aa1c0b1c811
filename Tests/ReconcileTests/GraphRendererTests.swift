import Foundation
import NgrokModel
import Reconcile
import Testing

/// Mermaid output parsed back: a strict reader of the flowchart subset GraphRenderer writes (Mermaid's
/// own parser is a JavaScript package this machine cannot install), checking every line is one of a
/// direction header, a node with a quoted label and a class, an edge between declared nodes, or a
/// classDef, and recovering the graph from it.
struct MermaidFlowchart {
    var direction: String
    /// Node id → label (entity codes decoded).
    var labels: [String: String] = [:]
    var classes: [String: String] = [:]
    var edges: Set<[String]> = []
    var classDefs: [String: String] = [:]

    struct ParseError: Error, CustomStringConvertible {
        var line: String
        var description: String { "not Mermaid flowchart syntax: \(line)" }
    }

    init(_ text: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first, let match = header.wholeMatch(of: /flowchart (LR|TD|TB|RL|BT)/) else {
            throw ParseError(line: lines.first ?? "")
        }
        direction = String(match.output.1)
        let node = #/  ([A-Za-z][A-Za-z0-9_]*)\["([^"]*)"\](?::::([A-Za-z][A-Za-z0-9_]*))?/#
        let edge = #/  ([A-Za-z][A-Za-z0-9_]*) --> ([A-Za-z][A-Za-z0-9_]*)/#
        let classDef = #/  classDef ([A-Za-z][A-Za-z0-9_]*) ((?:[a-z-]+:[^,\s]+,?)+)/#
        for line in lines.dropFirst() {
            if let m = line.wholeMatch(of: node) {
                let id = String(m.output.1)
                guard labels[id] == nil else { throw ParseError(line: line) }
                labels[id] = String(m.output.2).replacingOccurrences(of: "#quot;", with: "\"")
                    .replacingOccurrences(of: "#lt;", with: "<").replacingOccurrences(of: "#gt;", with: ">")
                    .replacingOccurrences(of: "#35;", with: "#")
                if let cls = m.output.3 { classes[id] = String(cls) }
            } else if let m = line.wholeMatch(of: edge) {
                let from = String(m.output.1), to = String(m.output.2)
                guard labels[from] != nil, labels[to] != nil else { throw ParseError(line: line) }
                edges.insert([from, to])
            } else if let m = line.wholeMatch(of: classDef) {
                classDefs[String(m.output.1)] = String(m.output.2)
            } else {
                throw ParseError(line: line)
            }
        }
        for cls in classes.values where classDefs[cls] == nil { throw ParseError(line: "class \(cls) has no classDef") }
    }

    /// Edges as label pairs.
    var labelledEdges: Set<[String]> { Set(edges.map { [labels[$0[0]]!, labels[$0[1]]!] }) }
}

@Suite struct GraphRendererTests {
    static func doc(_ kind: String, _ name: String, _ spec: String) -> String {
        "---\napiVersion: ngrokctl/v1\nkind: \(kind)\nmetadata: {name: \(name)}\nspec: \(spec)\n"
    }

    static let stack = doc("IPPolicy", "office", "{rules: [{cidr: 10.0.0.0/8}]}")
        + doc("IPPolicy", "vpn", "{rules: [{cidr: 192.0.2.0/24}]}")
        + doc("EndpointConfiguration", "app", "{type: https, modules: {ipPolicy: {ipPolicies: [office, vpn]}}}")
        + doc("ReservedDomain", "app", "{domain: app.example.com, httpsEndpointConfiguration: app}")
        + doc("Credential", "device", "{acl: [\"bind:d.example.com\"]}")

    @Test func theStackGraphParsesBackToItsReferences() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try h.write(Self.stack)
        let loaded = h.session.load(.directory(h.directory.path, commit: nil))
        let stack = try #require(loaded.stack)
        let graph = ResourceGraph.stack(stack)
        let parsed = try MermaidFlowchart(GraphRenderer.mermaid(graph))
        #expect(parsed.direction == "LR")
        #expect(Set(parsed.labels.values) == Set(stack.resources.map(\.address.description)))
        #expect(
            parsed.labelledEdges == [
                ["EndpointConfiguration/app", "IPPolicy/office"], ["EndpointConfiguration/app", "IPPolicy/vpn"],
                ["ReservedDomain/app", "EndpointConfiguration/app"],
            ])
        let dot = GraphRenderer.dot(graph, name: "acc")
        #expect(dot.split(separator: "\n").filter { $0.contains(" -> ") }.count == 3)
        await h.stop()
    }

    @Test func theMarkdownPlanDrawsChangesAndTheirDependents() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try h.write(Self.stack)
        try await h.converge()
        // Change one policy: the configuration and the domain depend on it; the other policy and the
        // credential do not appear.
        try h.write(Self.stack.replacingOccurrences(of: "10.0.0.0/8", with: "10.0.0.0/16"))
        let plan = try await h.plan()
        let markdown = PlanRenderer.markdown(plan)
        let block = try #require(markdown.firstMatch(of: /```mermaid\n([\s\S]*?)```/)?.output.1)
        let parsed = try MermaidFlowchart(String(block))
        let byLabel = Dictionary(uniqueKeysWithValues: parsed.labels.map { ($0.value, parsed.classes[$0.key]) })
        #expect(byLabel == ["IPPolicy/office": "update", "EndpointConfiguration/app": "unchanged", "ReservedDomain/app": "unchanged"])
        #expect(parsed.labelledEdges == [["EndpointConfiguration/app", "IPPolicy/office"], ["ReservedDomain/app", "EndpointConfiguration/app"]])
        #expect(parsed.classDefs["update"]?.contains("fill:") == true)

        // Pruning everything: deletions, with the references the deletes wait for.
        try h.write("")
        let prune = try await h.plan()
        let pruned = try MermaidFlowchart(GraphRenderer.mermaid(ResourceGraph.plan(prune)))
        #expect(Set(pruned.classes.values) == ["delete"])
        #expect(pruned.labelledEdges.contains(["ReservedDomain/app", "EndpointConfiguration/app"]))
        await h.stop()
    }

    @Test func largePlansAreCollapsedByKindAndAction() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        var manifests = Self.stack
        for i in 0..<60 { manifests += Self.doc("IPWhitelistEntry", "w\(i)", "{ipNet: 198.51.100.\(i)}") }
        try h.write(manifests)
        let plan = try await h.plan()
        let markdown = PlanRenderer.markdown(plan)
        let block = try #require(markdown.firstMatch(of: /```mermaid\n([\s\S]*?)```/)?.output.1)
        let parsed = try MermaidFlowchart(String(block))
        #expect(parsed.labels.count <= 10, "\(parsed.labels)")
        #expect(parsed.labels.values.contains("IPWhitelistEntry ×60 create"))
        #expect(parsed.labels.values.contains("IPPolicy ×2 create"))
        #expect(parsed.labelledEdges.contains(["EndpointConfiguration ×1 create", "IPPolicy ×2 create"]))
        #expect(markdown.contains("grouped by kind and action"))
        await h.stop()
    }

    @Test func labelsAreEscaped() throws {
        let graph = ResourceGraph(
            nodes: [ResourceAddress(.credential, "a\"b<c>#d")], actions: [ResourceAddress(.credential, "a\"b<c>#d"): .create],
            edges: [])
        let parsed = try MermaidFlowchart(GraphRenderer.mermaid(graph))
        #expect(parsed.labels.values.first == "Credential/a\"b<c>#d")
    }
}
