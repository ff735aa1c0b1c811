/// The systemd unit that runs `ngrokctl controller --config FILE`.
public struct SystemdUnit: Sendable, Equatable {
    public var name: String
    public var executablePath: String
    public var configPath: String
    /// Optional `KEY=value` file for secrets (tokens, webhook secret); `-` prefix: may be absent.
    public var environmentFile: String?
    public var user: String?
    public var description: String

    public init(
        name: String = "ngrokctl-controller", executablePath: String, configPath: String,
        environmentFile: String? = "/etc/ngrokctl/controller.env", user: String? = nil,
        description: String = "ngrokctl controller: keeps ngrok link resources equal to git"
    ) {
        self.name = name
        self.executablePath = executablePath
        self.configPath = configPath
        self.environmentFile = environmentFile
        self.user = user
        self.description = description
    }

    public var fileName: String { name.hasSuffix(".service") ? name : name + ".service" }

    /// The unit file's text.
    public func render() -> String {
        var lines = [
            "# Installed by `ngrokctl service install`. Remove with `ngrokctl service uninstall`.",
            "[Unit]",
            "Description=\(description)",
            "Documentation=https://github.com/ngrokctl/ngrokctl/blob/main/docs/controller.md",
            "Wants=network-online.target",
            "After=network-online.target",
            "",
            "[Service]",
            "Type=simple",
            "ExecStart=\(Self.quote(executablePath)) controller --config \(Self.quote(configPath))",
        ]
        if let environmentFile { lines.append("EnvironmentFile=-\(environmentFile)") }
        if let user { lines.append("User=\(user)") }
        lines += [
            "Restart=on-failure",
            "RestartSec=5s",
            // SIGTERM: the controller finishes the sync in flight, then exits 0.
            "KillSignal=SIGTERM",
            "TimeoutStopSec=5min",
            "NoNewPrivileges=yes",
            "PrivateTmp=yes",
            "ProtectSystem=full",
            "ProtectHome=read-only",
            "",
            "[Install]",
            "WantedBy=multi-user.target",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// systemd's quoting for one `ExecStart` argument: double quotes when needed; `\`, `"`
    /// escaped; `%` doubled (specifier) and `$` doubled (variable expansion).
    public static func quote(_ argument: String) -> String {
        var escaped = ""
        for character in argument {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "%": escaped += "%%"
            case "$": escaped += "$$"
            default: escaped.append(character)
            }
        }
        let needsQuotes = argument.isEmpty || argument.contains { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" || $0 == "\\" }
        return needsQuotes ? "\"\(escaped)\"" : escaped
    }
}
