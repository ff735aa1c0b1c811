/// Canonical CIDRs of one planning run, each distinct text parsed once: the desired and the live
/// side name the same networks, so half the lookups are answered from here. A canonical form is
/// its own canonical form, so it is remembered too: the live side mostly holds canonical text
/// (`203.0.113.7/32`) where manifests may write it short (`203.0.113.7`).
final class CIDRMemo {
    private var known: [String: String] = [:]
    private let canonical: (String) -> String

    init(_ canonical: @escaping (String) -> String) { self.canonical = canonical }

    func callAsFunction(_ text: String) -> String {
        if let hit = known[text] { return hit }
        let value = canonical(text)
        known[text] = value
        if value != text, known[value] == nil { known[value] = value }
        return value
    }
}
