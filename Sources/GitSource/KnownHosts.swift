import CGit2
import Foundation

/// Pinned SSH host keys in OpenSSH `known_hosts` format: `host[,host…] keytype base64-key`,
/// with `[host]:port` for a port other than 22. Hashed host names (`|1|…`), `@revoked` and
/// `@cert-authority` lines are not supported (hashed names never match: list hosts in clear).
struct KnownHosts {
    struct Entry {
        var patterns: [String]
        var keyType: String
        var key: [UInt8]
    }

    enum Verdict { case match, unknown, changed }

    var entries: [Entry]

    init(path: String) throws(GitSourceError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GitSourceError(.invalidConfiguration, "cannot read the known hosts file \(path)")
        }
        self.init(text: String(decoding: data, as: UTF8.self))
    }

    init(text: String) {
        entries = text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 3, !fields[0].hasPrefix("#"), !fields[0].hasPrefix("@") else { return nil }
            guard let key = Data(base64Encoded: String(fields[2])) else { return nil }
            return Entry(
                patterns: fields[0].split(separator: ",").map { $0.lowercased() }, keyType: String(fields[1]), key: Array(key))
        }
    }

    /// `match` when a line for this host has exactly this key; `changed` when lines for the
    /// host exist but none has it; `unknown` when the host is not listed.
    func check(host: String, port: Int, key: [UInt8]) -> Verdict {
        let names = port == 22 ? [host.lowercased(), "[\(host.lowercased())]:22"] : ["[\(host.lowercased())]:\(port)"]
        let forHost = entries.filter { entry in entry.patterns.contains { names.contains($0) } }
        if forHost.isEmpty { return .unknown }
        return forHost.contains { $0.key == key } ? .match : .changed
    }
}

enum SSHHostKey {
    /// `SHA256:<base64, unpadded>` as `ssh-keygen -l` prints it, from libgit2's hash of the key.
    static func fingerprint(_ hostkey: git_cert_hostkey) -> String {
        guard hostkey.type.rawValue & GIT_CERT_SSH_SHA256.rawValue != 0 else {
            return "fingerprint unavailable"
        }
        let bytes = withUnsafeBytes(of: hostkey.hash_sha256) { Array($0) }
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }
}
