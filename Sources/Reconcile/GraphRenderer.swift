import Foundation
import NgrokModel

/// Draws a `ResourceGraph` as Mermaid (rendered by GitHub in Markdown) or Graphviz DOT. Arrows point
/// from a resource to what it refers to. Nodes are colored by the plan's action; a graph with more
/// than `collapseAbove` nodes is collapsed to one node per kind and action (`IPPolicy ×120 create`).
public enum GraphRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case mermaid
        case dot
    }

    public static let collapseAbove = 40

    /// Fill and stroke per action (GitHub's diff palette).
    static let colors: [ResourceGraph.Action: (fill: String, stroke: String)] = [
        .create: ("#dafbe1", "#1a7f37"),
        .update: ("#fff8c5", "#9a6700"),
        .replace: ("#fbefff", "#8250df"),
        .delete: ("#ffebe9", "#cf222e"),
        .unchanged: ("#f6f8fa", "#8c959f"),
    ]

    /// A node of the drawing: a resource, or a group of resources of one kind and action.
    struct Node: Hashable {
        var id: String
        var label: String
        var action: ResourceGraph.Action?
    }

    /// Nodes and edges to draw, collapsed when the graph is large.
    static func layout(_ graph: ResourceGraph, collapseAbove limit: Int) -> (nodes: [Node], edges: [(String, String)], collapsed: Bool) {
        if graph.nodes.count <= limit {
            var ids: [ResourceAddress: String] = [:]
            let nodes = graph.nodes.enumerated().map { index, address -> Node in
                ids[address] = "n\(index)"
                return Node(id: "n\(index)", label: address.description, action: graph.actions[address])
            }
            let edges = graph.edges.compactMap { edge -> (String, String)? in
                guard let from = ids[edge.from], let to = ids[edge.to] else { return nil }
                return (from, to)
            }
            return (nodes, edges, false)
        }
        struct Group: Hashable, Comparable {
            var kind: Kind
            var action: ResourceGraph.Action?
            static func < (a: Group, b: Group) -> Bool {
                (a.kind, a.action?.rawValue ?? "") < (b.kind, b.action?.rawValue ?? "")
            }
        }
        var members: [Group: Int] = [:]
        var groupOf: [ResourceAddress: Group] = [:]
        for address in graph.nodes {
            let group = Group(kind: address.kind, action: graph.actions[address])
            members[group, default: 0] += 1
            groupOf[address] = group
        }
        var ids: [Group: String] = [:]
        let nodes = members.keys.sorted().enumerated().map { index, group -> Node in
            ids[group] = "g\(index)"
            let count = members[group]!
            let label = "\(group.kind.rawValue) ×\(count)" + (group.action.map { " \($0.rawValue)" } ?? "")
            return Node(id: "g\(index)", label: label, action: group.action)
        }
        var edgeSet = Set<[String]>()
        for edge in graph.edges {
            guard let from = groupOf[edge.from].flatMap({ ids[$0] }), let to = groupOf[edge.to].flatMap({ ids[$0] }),
                from != to
            else { continue }
            edgeSet.insert([from, to])
        }
        let edges = edgeSet.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0[0], $0[1]) }
        return (nodes, edges, true)
    }

    // MARK: Mermaid

    /// A Mermaid flowchart (without the Markdown fence).
    public static func mermaid(_ graph: ResourceGraph, collapseAbove limit: Int = collapseAbove) -> String {
        let (nodes, edges, _) = layout(graph, collapseAbove: limit)
        var out = "flowchart LR\n"
        for node in nodes {
            out += "  \(node.id)[\"\(mermaidLabel(node.label))\"]"
            if let action = node.action { out += ":::\(action.rawValue)" }
            out += "\n"
        }
        for (from, to) in edges { out += "  \(from) --> \(to)\n" }
        let used = Set(nodes.compactMap(\.action))
        for action in ResourceGraph.Action.allCases where used.contains(action) {
            let color = colors[action]!
            out += "  classDef \(action.rawValue) fill:\(color.fill),stroke:\(color.stroke),color:#1f2328\n"
        }
        return out
    }

    /// A label inside `["…"]`: quotes and markup characters as Mermaid entity codes.
    static func mermaidLabel(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "#": out += "#35;"
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// The Markdown plan's section: a fenced Mermaid graph of the changed resources and what depends on
    /// them, collapsed by kind for large plans; empty when nothing changes.
    public static func markdownSection(_ plan: Plan) -> String {
        let graph = ResourceGraph.plan(plan)
        guard !graph.nodes.isEmpty else { return "" }
        let collapsed = graph.nodes.count > collapseAbove
        var out = "<details\(collapsed ? "" : " open")><summary>Graph: \(graph.nodes.count) resources"
        out += collapsed ? " (grouped by kind and action)" : ""
        out += "</summary>\n\n```mermaid\n" + mermaid(graph) + "```\n\n</details>\n"
        return out
    }

    // MARK: DOT

    /// A Graphviz digraph.
    public static func dot(_ graph: ResourceGraph, name: String, collapseAbove limit: Int = .max) -> String {
        let (nodes, edges, _) = layout(graph, collapseAbove: limit)
        var out = "digraph \(dotString(name)) {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n"
        for node in nodes {
            out += "  \(node.id) [label=\(dotString(node.label))"
            if let action = node.action, let color = colors[action] {
                out += ", fillcolor=\(dotString(color.fill)), color=\(dotString(color.stroke))"
            }
            out += "];\n"
        }
        for (from, to) in edges { out += "  \(from) -> \(to);\n" }
        return out + "}\n"
    }

    static func dotString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    public static func render(_ graph: ResourceGraph, format: Format, name: String) -> String {
        switch format {
        case .mermaid: mermaid(graph, collapseAbove: .max)
        case .dot: dot(graph, name: name)
        }
    }
}
