import NgrokModel

/// Resources and who refers to whom, for pictures: the whole stack (`ngrokctl graph`) or the changed
/// resources of a plan with what depends on them (the Markdown plan's Mermaid graph).
public struct ResourceGraph: Sendable, Hashable {
    /// What a plan does to a resource (`unchanged`: shown because it depends on a changed one).
    public enum Action: String, Sendable, Hashable, CaseIterable, Comparable {
        case create
        case update
        case replace
        case delete
        case unchanged

        public static func < (lhs: Action, rhs: Action) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public struct Edge: Sendable, Hashable, Comparable {
        /// The resource holding the reference.
        public var from: ResourceAddress
        /// The resource referred to.
        public var to: ResourceAddress

        public init(from: ResourceAddress, to: ResourceAddress) {
            self.from = from
            self.to = to
        }

        public static func < (lhs: Edge, rhs: Edge) -> Bool { (lhs.from, lhs.to) < (rhs.from, rhs.to) }
    }

    /// Nodes in display order, with their action (nil: no plan, the whole stack).
    public var nodes: [ResourceAddress]
    public var actions: [ResourceAddress: Action]
    public var edges: [Edge]

    public init(nodes: [ResourceAddress], actions: [ResourceAddress: Action] = [:], edges: [Edge]) {
        self.nodes = nodes
        self.actions = actions
        self.edges = edges
    }

    /// The whole stack: every resource and every reference between them.
    public static func stack(_ stack: Stack) -> ResourceGraph {
        let nodes = stack.resources.map(\.address).sorted()
        let known = Set(nodes)
        var edges = Set<Edge>()
        for resource in stack.resources {
            for reference in resource.spec.references where known.contains(reference.target) {
                edges.insert(Edge(from: resource.address, to: reference.target))
            }
        }
        return ResourceGraph(nodes: nodes, edges: edges.sorted())
    }

    /// The resources a plan changes and, transitively, the resources that depend on them.
    public static func plan(_ plan: Plan) -> ResourceGraph {
        var actions: [ResourceAddress: Action] = [:]
        for op in plan.operations {
            let action: Action
            if op.replacement {
                action = .replace
            } else if op.subject == .object && op.action == .create {
                action = .create
            } else if op.subject == .object && op.action == .delete {
                action = .delete
            } else {
                action = .update
            }
            actions[op.address] = strongest(actions[op.address], action)
        }
        // Edges: the stack's references, and the plan's cross-resource dependencies (deletions).
        var edges = Set(plan.references.flatMap { from, targets in targets.map { Edge(from: from, to: $0) } })
        for op in plan.operations {
            for dependency in op.dependsOn where dependency < plan.operations.count {
                let other = plan.operations[dependency].address
                guard other != op.address else { continue }
                // A delete waits for its referrers to let go: the referrer points at the deleted one.
                edges.insert(op.action == .delete || op.action == .dedupe ? Edge(from: other, to: op.address) : Edge(from: op.address, to: other))
            }
        }
        var referrers: [ResourceAddress: [ResourceAddress]] = [:]
        for edge in edges { referrers[edge.to, default: []].append(edge.from) }
        var included = Set(actions.keys)
        var queue = Array(actions.keys)
        while let next = queue.popLast() {
            for referrer in referrers[next] ?? [] where included.insert(referrer).inserted {
                queue.append(referrer)
                actions[referrer] = actions[referrer] ?? .unchanged
            }
        }
        return ResourceGraph(
            nodes: included.sorted(), actions: actions,
            edges: edges.filter { included.contains($0.from) && included.contains($0.to) }.sorted())
    }

    /// A resource that is both created and updated shows the more telling action.
    private static func strongest(_ a: Action?, _ b: Action) -> Action {
        guard let a else { return b }
        let rank: [Action: Int] = [.unchanged: 0, .update: 1, .create: 2, .delete: 2, .replace: 3]
        return rank[a]! >= rank[b]! ? a : b
    }
}
