/// "Did you mean" suggestions by edit distance.
enum EditDistance {
    /// Edit distance counting a swap of two neighbours as one edit (optimal string
    /// alignment), case-insensitive.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased().unicodeScalars)
        let y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var before = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[y.count]
    }

    /// The closest candidate, when it is close enough to be a likely typo.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        guard word.count <= 200 else { return nil }
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(word, candidate)
            // A short candidate (a version, a region) is only suggested for a difference of case
            // or a prefix (`acls` → `acl`), not for any one-character edit (`1.4` → `1.0`).
            if candidate.count <= 3 && d > 0 {
                let w = word.lowercased()
                let c = candidate.lowercased()
                guard w.hasPrefix(c) || c.hasPrefix(w) else { continue }
            }
            let limit = max(1, min(3, max(word.count, candidate.count) / 3))
            guard d <= limit else { continue }
            if best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
        }
        return best?.0
    }
}
