/// Makes text from a manifest or the API inert before it reaches a terminal, a log line or a
/// Markdown comment: control characters (C0, DEL, C1, ESC, CR) and bidirectional overrides
/// (U+202A–U+202E, U+2066–U+2069) are written as visible escapes (`\u{1B}`, `\r`).
/// JSON output keeps JSON's own escaping instead.
public enum OutputEscaping {
    /// Whether a scalar must not reach output raw.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F, 0x80...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        // Line and paragraph separators, zero-width and byte-order marks act like controls too.
        case 0x2028, 0x2029, 0x200E, 0x200F, 0x061C, 0xFEFF: true
        default: false
        }
    }

    /// `text` with every unsafe scalar escaped; unchanged (same string) when there is none.
    public static func text(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                switch scalar {
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A Markdown code fence (backticks) longer than any run of backticks in `content`, at least 3.
    public static func fence(for content: String) -> String {
        String(repeating: "`", count: max(3, longestBacktickRun(in: content) + 1))
    }

    /// The length of the longest run of backticks in `content` (what a fence or code span must exceed).
    public static func longestBacktickRun(in content: String) -> Int {
        var longest = 0
        var run = 0
        for scalar in content.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}
