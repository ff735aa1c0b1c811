/// `.ngrokctlignore`: gitignore syntax (comments, `!` negation, trailing `/` for directories,
/// anchoring by a slash, `*`, `?`, `[…]`, `**`, backslash escapes). The last matching
/// pattern wins, and a file inside an ignored directory stays ignored.
struct IgnoreRules: Sendable {
    struct Pattern: Sendable {
        var glob: [UInt8]
        var negated: Bool
        var directoryOnly: Bool
        var anchored: Bool
    }

    var patterns: [Pattern] = []

    init(text: String) {
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Array(rawLine.utf8)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            // Trailing spaces are ignored unless escaped.
            while line.last == UInt8(ascii: " ") && !(line.count >= 2 && line[line.count - 2] == UInt8(ascii: "\\")) {
                line.removeLast()
            }
            guard let first = line.first, first != UInt8(ascii: "#") else { continue }
            var negated = false
            if first == UInt8(ascii: "!") {
                negated = true
                line.removeFirst()
            }
            var directoryOnly = false
            if line.last == UInt8(ascii: "/") {
                directoryOnly = true
                line.removeLast()
            }
            guard !line.isEmpty else { continue }
            var anchored = line.contains(UInt8(ascii: "/"))
            if line.first == UInt8(ascii: "/") {
                line.removeFirst()
                anchored = true
            }
            if line.starts(with: Array("**/".utf8)) && !line.dropFirst(3).contains(UInt8(ascii: "/")) {
                line.removeFirst(3)
                anchored = false
            }
            patterns.append(Pattern(glob: line, negated: negated, directoryOnly: directoryOnly, anchored: anchored))
        }
    }

    /// Whether a file (path relative to the stack root) is ignored.
    func isIgnored(_ path: String) -> Bool {
        guard !patterns.isEmpty else { return false }
        let parts = path.split(separator: "/").map { Array($0.utf8) }
        var prefix: [UInt8] = []
        for (i, part) in parts.enumerated() {
            if i > 0 { prefix.append(UInt8(ascii: "/")) }
            prefix += part
            if verdict(prefix, name: part, isDirectory: i < parts.count - 1) { return true }
        }
        return false
    }

    private func verdict(_ path: [UInt8], name: [UInt8], isDirectory: Bool) -> Bool {
        var ignored = false
        for p in patterns {
            if p.directoryOnly && !isDirectory { continue }
            let subject = p.anchored ? path : name
            if Self.match(p.glob[...], subject[...]) { ignored = !p.negated }
        }
        return ignored
    }

    /// Glob match; `*` and `?` never match `/`, `**` does. Bounded backtracking.
    static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var budget = 100_000
        return match(pattern, text, &budget)
    }

    private static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>, _ budget: inout Int) -> Bool {
        budget -= 1
        guard budget > 0 else { return false }
        var p = pattern
        var t = text
        while let c = p.first {
            switch c {
            case UInt8(ascii: "*"):
                let doubleStar = p.dropFirst().first == UInt8(ascii: "*")
                var rest = p.drop(while: { $0 == UInt8(ascii: "*") })
                if doubleStar && rest.first == UInt8(ascii: "/") {
                    // `**/` matches zero or more directories.
                    rest = rest.dropFirst()
                    if match(rest, t, &budget) { return true }
                    var u = t
                    while let slash = u.firstIndex(of: UInt8(ascii: "/")) {
                        u = u[(slash + 1)...]
                        if match(rest, u, &budget) { return true }
                    }
                    return false
                }
                var u = t
                while true {
                    if match(rest, u, &budget) { return true }
                    guard let f = u.first, doubleStar || f != UInt8(ascii: "/") else { return false }
                    u = u.dropFirst()
                }
            case UInt8(ascii: "?"):
                guard let f = t.first, f != UInt8(ascii: "/") else { return false }
                p = p.dropFirst()
                t = t.dropFirst()
            case UInt8(ascii: "["):
                guard let f = t.first, f != UInt8(ascii: "/"), let (matched, after) = matchClass(p.dropFirst(), f) else {
                    return false
                }
                guard matched else { return false }
                p = after
                t = t.dropFirst()
            case UInt8(ascii: "\\"):
                let literal = p.dropFirst().first ?? c
                guard t.first == literal else { return false }
                p = p.dropFirst(2)
                t = t.dropFirst()
            default:
                guard t.first == c else { return false }
                p = p.dropFirst()
                t = t.dropFirst()
            }
        }
        return t.isEmpty
    }

    /// Matches one byte against a `[…]` class (the slice starts after `[`); nil if unterminated.
    private static func matchClass(_ p: ArraySlice<UInt8>, _ c: UInt8) -> (Bool, ArraySlice<UInt8>)? {
        var rest = p
        var negate = false
        if let f = rest.first, f == UInt8(ascii: "!") || f == UInt8(ascii: "^") {
            negate = true
            rest = rest.dropFirst()
        }
        var matched = false
        var first = true
        while let f = rest.first {
            if f == UInt8(ascii: "]") && !first { return (matched != negate, rest.dropFirst()) }
            first = false
            var low = f
            rest = rest.dropFirst()
            if low == UInt8(ascii: "\\"), let e = rest.first {
                low = e
                rest = rest.dropFirst()
            }
            if rest.first == UInt8(ascii: "-"), let high = rest.dropFirst().first, high != UInt8(ascii: "]") {
                if c >= low && c <= high { matched = true }
                rest = rest.dropFirst(2)
            } else if c == low {
                matched = true
            }
        }
        return nil
    }
}
