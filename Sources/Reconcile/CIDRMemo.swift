/// Canonical CIDRs of one planning run, each distinct text parsed once: the desired and the live
/// side name the same networks, so half the lookups are answered from here.
final class CIDRMemo {
    private var known: [String: String] = [:]
    private let canonical: (String) -> String

    init(_ canonical: @escaping (String) -> String) { self.canonical = canonical }

    func callAsFunction(_ text: String) -> String {
        if let hit = known[text] { return hit }
        let value = canonical(text)
        known[text] = value
        return value
    }
}
