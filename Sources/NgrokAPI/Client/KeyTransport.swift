import Foundation

/// Where the API key may be sent: over https to any host, over plain http only to a loopback
/// address (the emulator on this machine). Checked before any connection is made.
public enum KeyTransport {
    /// Why the key must not be sent to `baseURL`; nil when it may.
    public static func problem(baseURL: String) -> String? {
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            return "the API base URL \(redacted(baseURL)) is not an http(s) URL with a host"
        }
        if components.user != nil || components.password != nil {
            return "the API base URL must not carry credentials (user-info)"
        }
        switch scheme {
        case "https": return nil
        case "http":
            if isLoopback(host) { return nil }
            return "refusing to send the API key over plain http to \(host): use https, or http only to a loopback address (127.0.0.1, ::1, localhost)"
        default:
            return "the API base URL's scheme \(scheme) is not supported (use https)"
        }
    }

    /// `localhost`, `127.0.0.0/8`, `::1` (bracketed or not).
    public static func isLoopback(_ host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            guard let value = Int(part), (0...255).contains(value), String(value) == part else { return false }
            return true
        }
    }

    /// A URL for messages: scheme, host and port only (never user-info, path or query).
    public static func redacted(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host
        else { return "(unparseable URL)" }
        return "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")"
    }
}
