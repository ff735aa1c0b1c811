import Foundation

/// A repository URL taken apart: `scheme://[user[:password]@]host[:port]/path`, the scp-like
/// `[user@]host:path` (SSH), or a local path. Used to decide where a credential may be sent and
/// to show a URL without the credentials it may carry.
public struct GitRemoteURL: Sendable, Equatable {
    /// `https`, `http`, `ssh`, `git`, `file`, … lowercased; `ssh` for the scp-like form; `""` for a
    /// local path.
    public var scheme: String
    public var user: String?
    public var password: String?
    /// Lowercased; `""` for local paths and `file://`.
    public var host: String
    /// The explicit port, if any.
    public var port: Int?
    public var path: String

    /// Parses `text`; never fails (an unrecognised string is a local path).
    public init(parsing text: String) {
        if let range = text.range(of: "://") {
            scheme = text[..<range.lowerBound].lowercased()
            let rest = text[range.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            path = String(rest[authorityEnd...])
            if let at = authority.lastIndex(of: "@") {
                let info = authority[..<at]
                authority = authority[authority.index(after: at)...]
                if let colon = info.firstIndex(of: ":") {
                    user = String(info[..<colon])
                    password = String(info[info.index(after: colon)...])
                } else {
                    user = String(info)
                }
            }
            (host, port) = Self.splitHostPort(authority)
        } else if let colon = text.firstIndex(of: ":"), !text.hasPrefix("/"), !text.hasPrefix("."),
            !text[..<colon].contains("/"), text[..<colon].count > 1 || text.contains("@")
        {
            // scp-like: [user@]host:path (a one-letter "host" is a Windows drive, not a host).
            scheme = "ssh"
            var authority = text[..<colon]
            if let at = authority.lastIndex(of: "@") {
                user = String(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            host = authority.lowercased()
            path = String(text[text.index(after: colon)...])
        } else {
            scheme = ""
            host = ""
            path = text
        }
    }

    /// An SSH remote (`ssh://`, `ssh+git://`, `git+ssh://` or scp-like).
    public var isSSH: Bool { scheme == "ssh" || scheme == "ssh+git" || scheme == "git+ssh" }

    /// `localhost`, `127.0.0.0/8` or `::1`: traffic that never leaves the machine.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.") && host.split(separator: ".").count == 4
    }

    /// The port a connection uses: the explicit one or the scheme's default.
    public var effectivePort: Int? {
        if let port { return port }
        switch scheme {
        case "https": return 443
        case "http": return 80
        case "ssh", "ssh+git", "git+ssh": return 22
        case "git": return 9418
        default: return nil
        }
    }

    /// Same scheme, host and port: a credential meant for `self` may go to `other`.
    public func isSameServer(as other: GitRemoteURL) -> Bool {
        scheme == other.scheme && !host.isEmpty && host == other.host && effectivePort == other.effectivePort
    }

    private static func splitHostPort(_ authority: Substring) -> (String, Int?) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = authority[authority.index(after: authority.startIndex)..<close].lowercased()
            let rest = authority[authority.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        if let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) {
            return (authority[..<colon].lowercased(), port)
        }
        return (authority.lowercased(), nil)
    }
}

/// Removes credentials from URLs before they are shown anywhere (logs, `/status`, metrics,
/// errors, plan files): the user-info of http(s) and other URLs (a token is often passed as the
/// user name), the password of SSH URLs (the SSH user name is kept: it is not a secret), and the
/// values of query parameters that look like credentials.
public enum URLRedaction {
    /// Query parameter names whose values are hidden (matched case-insensitively, as substrings).
    static let sensitiveParameterFragments = ["token", "secret", "password", "passwd", "key", "sig", "auth", "credential"]

    /// The URL without credentials. A string with no `://` (a local path, scp-like SSH) is
    /// returned as is, except that a password in scp-like form cannot occur.
    public static func redact(_ url: String) -> String { scrub(url) }

    /// `text` with every URL in it stripped of credentials.
    public static func scrub(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            // The scheme: letters, digits, +, -, . immediately before "://".
            var schemeStart = range.lowerBound
            while schemeStart > rest.startIndex {
                let previous = rest.index(before: schemeStart)
                let character = rest[previous]
                guard character.isLetter || character.isNumber || character == "+" || character == "-" || character == "." else { break }
                schemeStart = previous
            }
            let scheme = rest[schemeStart..<range.lowerBound].lowercased()
            output += rest[..<range.upperBound]
            let afterScheme = rest[range.upperBound...]
            let end = afterScheme.firstIndex { Self.endsURL($0) } ?? afterScheme.endIndex
            let url = afterScheme[..<end]
            output += redactAfterScheme(url, keepUser: scheme == "ssh" || scheme == "ssh+git" || scheme == "git+ssh")
            rest = afterScheme[end...]
        }
        output += rest
        return output
    }

    private static func endsURL(_ character: Character) -> Bool {
        character.isWhitespace || character == "\"" || character == "'" || character == "<" || character == ">"
            || character == "`" || character == ")"
    }

    /// `[user[:password]@]host…/path?query#fragment` with credentials removed.
    private static func redactAfterScheme(_ url: Substring, keepUser: Bool) -> String {
        let authorityEnd = url.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        var authority = String(url[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") {
            let info = authority[..<at]
            let host = authority[authority.index(after: at)...]
            if keepUser {
                let user = info.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                authority = user.isEmpty ? String(host) : "\(user)@\(host)"
            } else {
                authority = String(host)
            }
        }
        var tail = String(url[authorityEnd...])
        if let question = tail.firstIndex(of: "?") {
            let pathPart = tail[..<question]
            let afterQuestion = tail[tail.index(after: question)...]
            let fragmentStart = afterQuestion.firstIndex(of: "#") ?? afterQuestion.endIndex
            let query = afterQuestion[..<fragmentStart]
            let fragment = afterQuestion[fragmentStart...]
            let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
                guard let equals = parameter.firstIndex(of: "=") else { return String(parameter) }
                let name = parameter[..<equals].lowercased()
                guard sensitiveParameterFragments.contains(where: { name.contains($0) }) else { return String(parameter) }
                return parameter[..<equals] + "=REDACTED"
            }
            tail = pathPart + "?" + parameters.joined(separator: "&") + fragment
        }
        return authority + tail
    }
}
