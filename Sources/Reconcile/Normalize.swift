import Foundation
import NgrokModel

/// The normalisations that make an apply followed by a plan empty (docs/architecture.md, "Planning").
enum Normalize {
    /// PEM text compared without trailing whitespace and with `\n` line endings.
    static func pem(_ text: String) -> String {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingSuffixWhitespace() }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A reserved domain's hostname: a bare label is a subdomain of ngrok.io.
    static func domain(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.contains(".") ? lower : "\(lower).ngrok.io"
    }
}

extension Substring {
    func trimmingSuffixWhitespace() -> String {
        var end = endIndex
        while end > startIndex, let c = self[index(before: end)].unicodeScalars.first,
            c == " " || c == "\t" || c == "\r"
        {
            end = index(before: end)
        }
        return String(self[startIndex..<end])
    }
}
