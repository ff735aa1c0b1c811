/// Cycle detection over any reference graph (iterative, so deep chains cannot overflow).
enum ReferenceGraph {
    private enum Color { case onStack, done }

    /// Every elementary cycle found by a depth-first search, each as the nodes along it
    /// (first node not repeated), starting from its smallest node; sorted.
    static func cycles<Node: Hashable & Comparable>(_ edges: [Node: [Node]]) -> [[Node]] {
        var color: [Node: Color] = [:]
        var found: Set<[Node]> = []
        for start in edges.keys.sorted() where color[start] == nil {
            var path: [Node] = [start]
            var iterators: [[Node]] = [(edges[start] ?? []).sorted()]
            color[start] = .onStack
            while let node = path.last {
                if var next = iterators.last, !next.isEmpty {
                    let target = next.removeFirst()
                    iterators[iterators.count - 1] = next
                    switch color[target] {
                    case .onStack?:
                        if let index = path.firstIndex(of: target) {
                            found.insert(rotated(Array(path[index...])))
                        }
                    case .done?:
                        break
                    case nil:
                        color[target] = .onStack
                        path.append(target)
                        iterators.append((edges[target] ?? []).sorted())
                    }
                } else {
                    color[node] = .done
                    path.removeLast()
                    iterators.removeLast()
                }
            }
        }
        return found.sorted { $0.lexicographicallyPrecedes($1) }
    }

    private static func rotated<Node: Comparable>(_ cycle: [Node]) -> [Node] {
        guard let smallest = cycle.indices.min(by: { cycle[$0] < cycle[$1] }) else { return cycle }
        return Array(cycle[smallest...] + cycle[..<smallest])
    }
}
