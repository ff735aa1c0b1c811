import Foundation

/// The controller's config file: JSON (a YAML file containing JSON also works).
///
/// ```json
/// {
///   "git": {"url": "https://github.com/acme/ngrok-config.git", "ref": "main", "path": "stacks/prod",
///           "tokenEnv": "NGROKCTL_GIT_TOKEN"},
///   "interval": "1m", "driftInterval": "10m", "jitter": 0.1, "fetchTimeout": "2m",
///   "listen": "127.0.0.1:9090", "dryRun": false, "stateDirectory": "/var/lib/ngrokctl",
///   "webhookSecret": {"env": "NGROKCTL_WEBHOOK_SECRET"}, "logFormat": "json",
///   "webhookMinInterval": "10s", "shutdownTimeout": "20s",
///   "stack": "prod", "maxDeletions": 10, "tokenDirectory": "/var/lib/ngrokctl/tokens",
///   "fileDirectories": ["/run/secrets"], "apiURL": "https://api.ngrok.com", "apiShare": 0.5,
///   "tokenCommand": "vault kv put secret/ngrok/$NGROKCTL_CREDENTIAL token=-"
/// }
/// ```
/// SSH remotes take `"git": {"url": "git@github.com:acme/ngrok-config.git", "sshKeyFile": PATH,
/// "knownHostsFile": PATH}`; `git.maxFileBytes`, `git.maxFiles` and `git.maxBytes` bound what one
/// commit can make the controller read.
/// Unknown keys are errors (a typo must not silently fall back to a default).
public enum ControllerConfigFile {
    public struct ParseError: Error, CustomStringConvertible, Equatable, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    public static func load(path: String) throws(ParseError) -> ControllerConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ParseError("\(path): cannot read the controller config: \(error.localizedDescription)")
        }
        do { return try parse(Array(data)) } catch { throw ParseError("\(path): \(error.message)") }
    }

    private struct RawFile: Decodable {
        struct Git: Decodable {
            var url: String?
            var ref: String?
            var path: String?
            var tokenEnv: String?
            var sshKeyFile: String?
            var knownHostsFile: String?
            var maxFileBytes: Int?
            var maxFiles: Int?
            var maxBytes: Int?
        }
        struct Secret: Decodable {
            var env: String?
            var file: String?
        }
        var git: Git?
        var interval: String?
        var driftInterval: String?
        var jitter: Double?
        var fetchTimeout: String?
        var listen: String?
        var dryRun: Bool?
        var stateDirectory: String?
        var webhookSecret: Secret?
        var logFormat: String?
        var webhookMinInterval: String?
        var shutdownTimeout: String?
        var backoff: String?
        var backoffCap: String?
        var stack: String?
        var maxDeletions: Int?
        var tokenDirectory: String?
        var fileDirectories: [String]?
        var apiURL: String?
        var apiShare: Double?
        var tokenCommand: String?
    }

    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> ControllerConfiguration {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
            throw ParseError("not valid JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any] else { throw ParseError("the top level must be an object") }
        try checkKeys(root, allowed: [
            "git", "interval", "driftInterval", "jitter", "fetchTimeout", "listen", "dryRun", "stateDirectory",
            "webhookSecret", "logFormat", "backoff", "backoffCap", "webhookMinInterval", "shutdownTimeout",
            "stack", "maxDeletions", "tokenDirectory", "fileDirectories", "apiURL", "apiShare", "tokenCommand",
        ], at: "")
        if let git = root["git"] as? [String: Any] {
            try checkKeys(
                git, allowed: ["url", "ref", "path", "tokenEnv", "sshKeyFile", "knownHostsFile", "maxFileBytes", "maxFiles", "maxBytes"],
                at: "git.")
        }
        if let secret = root["webhookSecret"] as? [String: Any] {
            try checkKeys(secret, allowed: ["env", "file"], at: "webhookSecret.")
        }
        let raw: RawFile
        do { raw = try JSONDecoder().decode(RawFile.self, from: Data(bytes)) } catch let error as DecodingError {
            throw ParseError(describe(error))
        } catch {
            throw ParseError("\(error)")
        }
        guard let url = raw.git?.url, !url.isEmpty else { throw ParseError("'git.url' is required") }
        guard let state = raw.stateDirectory, !state.isEmpty else { throw ParseError("'stateDirectory' is required") }
        var config = ControllerConfiguration(gitURL: url, stateDirectory: state)
        if let ref = raw.git?.ref { config.ref = ref }
        if let path = raw.git?.path { config.path = path }
        if let tokenEnv = raw.git?.tokenEnv { config.gitTokenEnvironmentVariable = tokenEnv }
        if let key = raw.git?.sshKeyFile, !key.isEmpty { config.gitSSHKeyFile = key }
        if let knownHosts = raw.git?.knownHostsFile, !knownHosts.isEmpty { config.gitKnownHostsFile = knownHosts }
        for (key, value) in [("maxFileBytes", raw.git?.maxFileBytes), ("maxFiles", raw.git?.maxFiles), ("maxBytes", raw.git?.maxBytes)] {
            if let value, value <= 0 { throw ParseError("'git.\(key)' must be greater than zero") }
        }
        if let value = raw.git?.maxFileBytes { config.gitMaxFileBytes = value }
        if let value = raw.git?.maxFiles { config.gitMaxFiles = value }
        if let value = raw.git?.maxBytes { config.gitMaxBytes = value }
        if let text = raw.webhookMinInterval { config.webhookMinInterval = try duration(text, "webhookMinInterval") }
        if let text = raw.shutdownTimeout { config.shutdownTimeout = try duration(text, "shutdownTimeout") }
        if let text = raw.interval { config.interval = try duration(text, "interval") }
        if let text = raw.driftInterval { config.driftInterval = try duration(text, "driftInterval") }
        if let text = raw.fetchTimeout { config.fetchTimeout = try duration(text, "fetchTimeout") }
        if let text = raw.backoff { config.backoffBase = try duration(text, "backoff") }
        if let text = raw.backoffCap { config.backoffCap = try duration(text, "backoffCap") }
        if let jitter = raw.jitter {
            guard jitter >= 0, jitter <= 0.5 else { throw ParseError("'jitter' must be a number between 0 and 0.5") }
            config.jitter = jitter
        }
        if let dryRun = raw.dryRun { config.dryRun = dryRun }
        if let stack = raw.stack {
            guard !stack.isEmpty else { throw ParseError("'stack' must name the stack this controller manages") }
            config.stack = stack
        }
        if let max = raw.maxDeletions {
            guard max >= 0 else { throw ParseError("'maxDeletions' must be 0 or more") }
            config.maxDeletions = max
        }
        if let directory = raw.tokenDirectory {
            guard directory.hasPrefix("/") else { throw ParseError("'tokenDirectory' must be an absolute path") }
            config.tokenDirectory = directory
        }
        if let directories = raw.fileDirectories {
            for directory in directories where !directory.hasPrefix("/") {
                throw ParseError("'fileDirectories' must hold absolute paths, not \"\(directory)\"")
            }
            config.fileDirectories = directories
        }
        if let url = raw.apiURL { config.apiURL = url }
        if let command = raw.tokenCommand {
            guard !command.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ParseError("'tokenCommand' must be a shell command, e.g. \"vault kv put secret/ngrok/$NGROKCTL_CREDENTIAL token=-\"")
            }
            config.tokenCommand = command
        }
        if let share = raw.apiShare {
            guard share > 0, share <= 1 else { throw ParseError("'apiShare' must be a number in (0, 1], e.g. 0.5") }
            config.apiShare = share
        }
        if let listen = raw.listen { (config.listenHost, config.listenPort) = try parseListen(listen) }
        if let format = raw.logFormat {
            guard let value = ControllerConfiguration.LogFormat(rawValue: format) else {
                throw ParseError("'logFormat' must be \"text\" or \"json\", not \"\(format)\"")
            }
            config.logFormat = value
        }
        if let secret = raw.webhookSecret {
            switch (secret.env, secret.file) {
            case (let name?, nil) where !name.isEmpty: config.webhookSecret = .env(name)
            case (nil, let path?) where !path.isEmpty: config.webhookSecret = .file(path)
            default: throw ParseError("'webhookSecret' must be {\"env\": NAME} or {\"file\": PATH} (never the secret itself)")
            }
        }
        guard config.interval > .zero, config.driftInterval > .zero, config.fetchTimeout > .zero else {
            throw ParseError("intervals and timeouts must be greater than zero")
        }
        return config
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context): return "'\(path(context))' must be \(type == Bool.self ? "true or false" : type == Double.self ? "a number" : type == String.self ? "a string" : "an object")"
        case .valueNotFound(_, let context): return "'\(path(context))' must not be null"
        case .keyNotFound(let key, _): return "'\(key.stringValue)' is required"
        case .dataCorrupted(let context): return "invalid value at '\(path(context))': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// `host:port`, `:port` (all interfaces: 0.0.0.0) or `[v6]:port`.
    public static func parseListen(_ text: String) throws(ParseError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":") else { throw ParseError("'listen' must be host:port, not \"\(text)\"") }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ParseError("'listen' has an invalid port: \"\(text)\"")
        }
        return (host, port)
    }

    /// `250ms`, `30s`, `5m`, `1h`, or combinations like `1m30s`.
    public static func parseDuration(_ text: String) -> Duration? {
        var total = Duration.zero
        var number = ""
        var unit = ""
        var parsedAny = false
        func flush() -> Bool {
            guard let value = Double(number), value >= 0 else { return false }
            let scale: Double
            switch unit {
            case "ms": scale = 0.001
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return false
            }
            total += .milliseconds(Int64((value * scale * 1000).rounded()))
            number = ""
            unit = ""
            parsedAny = true
            return true
        }
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character.isNumber || character == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(character)
            } else if character.isLetter {
                guard !number.isEmpty else { return nil }
                unit.append(character)
            } else {
                return nil
            }
        }
        guard !number.isEmpty, flush() else { return nil }
        return parsedAny ? total : nil
    }

    private static func duration(_ text: String, _ key: String) throws(ParseError) -> Duration {
        guard let value = parseDuration(text) else {
            throw ParseError("'\(key)' must be a duration like \"30s\", \"1m\" or \"250ms\", not \"\(text)\"")
        }
        return value
    }

    private static func checkKeys(_ object: [String: Any], allowed: Set<String>, at prefix: String) throws(ParseError) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw ParseError("unknown key '\(prefix)\(key)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}

