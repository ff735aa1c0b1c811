import Controller
import GitSource
import Foundation
import Testing

@Suite struct ControllerConfigFileTests {
    func parse(_ text: String) throws -> ControllerConfiguration { try ControllerConfigFile.parse(Array(text.utf8)) }

    @Test func parsesAFullFile() throws {
        let config = try parse("""
            {
              "git": {"url": "https://github.com/acme/ngrok-config.git", "ref": "release", "path": "stacks/prod",
                      "tokenEnv": "GH_TOKEN"},
              "interval": "30s", "driftInterval": "1h30m", "jitter": 0.2, "fetchTimeout": "45s",
              "listen": "0.0.0.0:9191", "dryRun": true, "stateDirectory": "/var/lib/ngrokctl",
              "webhookSecret": {"file": "/etc/ngrokctl/webhook-secret"}, "logFormat": "json",
              "backoff": "2s", "backoffCap": "2m"
            }
            """)
        #expect(config.gitURL == "https://github.com/acme/ngrok-config.git")
        #expect(config.ref == "release")
        #expect(config.path == "stacks/prod")
        #expect(config.gitTokenEnvironmentVariable == "GH_TOKEN")
        #expect(config.interval == .seconds(30))
        #expect(config.driftInterval == .seconds(5400))
        #expect(config.jitter == 0.2)
        #expect(config.fetchTimeout == .seconds(45))
        #expect(config.listenHost == "0.0.0.0")
        #expect(config.listenPort == 9191)
        #expect(config.dryRun)
        #expect(config.webhookSecret == .file("/etc/ngrokctl/webhook-secret"))
        #expect(config.logFormat == .json)
        #expect(config.backoffBase == .seconds(2))
        #expect(config.backoffCap == .seconds(120))
        #expect(config.gitCacheDirectory == "/var/lib/ngrokctl/git")
    }

    @Test func parsesTheHardeningKeys() throws {
        let config = try parse("""
            {
              "git": {"url": "git@github.com:acme/ngrok-config.git", "sshKeyFile": "/etc/ngrokctl/deploy_key",
                      "knownHostsFile": "/etc/ngrokctl/known_hosts", "maxFiles": 500, "maxFileBytes": 65536, "maxBytes": 1048576},
              "stateDirectory": "/var/lib/ngrokctl", "webhookMinInterval": "30s", "shutdownTimeout": "15s"
            }
            """)
        #expect(config.gitSSHKeyFile == "/etc/ngrokctl/deploy_key")
        #expect(config.gitKnownHostsFile == "/etc/ngrokctl/known_hosts")
        #expect(config.webhookMinInterval == .seconds(30))
        #expect(config.shutdownTimeout == .seconds(15))
        let git = config.gitSourceConfiguration
        #expect(git.maxFiles == 500 && git.maxFileBytes == 65536 && git.maxSnapshotBytes == 1_048_576)
        #expect(git.sshKeyFile == "/etc/ngrokctl/deploy_key" && git.knownHostsFile == "/etc/ngrokctl/known_hosts")
        let defaults = try parse(#"{"git": {"url": "/srv/config.git"}, "stateDirectory": "/tmp/s"}"#)
        #expect(defaults.webhookMinInterval == .seconds(10) && defaults.shutdownTimeout == .seconds(20))
        #expect(defaults.gitMaxFiles == 20_000 && defaults.gitMaxFileBytes == 4 << 20)
        #expect(throws: ControllerConfigFile.ParseError.self) {
            try parse(#"{"git": {"url": "/srv/c.git", "maxFiles": 0}, "stateDirectory": "/tmp/s"}"#)
        }
    }

    @Test func theOperatorsTokenCommand() throws {
        let config = try parse(
            #"{"git": {"url": "/srv/c.git"}, "stateDirectory": "/tmp/s", "tokenCommand": "cat > /run/t"}"#)
        #expect(config.tokenCommand == "cat > /run/t")
        #expect(try parse(#"{"git": {"url": "/srv/c.git"}, "stateDirectory": "/tmp/s"}"#).tokenCommand == nil)
        #expect(throws: ControllerConfigFile.ParseError.self) {
            try parse(#"{"git": {"url": "/srv/c.git"}, "stateDirectory": "/tmp/s", "tokenCommand": " "}"#)
        }
    }

    @Test func defaults() throws {
        let config = try parse(#"{"git": {"url": "/srv/config.git"}, "stateDirectory": "/tmp/s"}"#)
        #expect(config.ref == "main")
        #expect(config.interval == .seconds(60))
        #expect(config.driftInterval == .seconds(600))
        #expect(config.listenAddress == "127.0.0.1:9090")
        #expect(!config.dryRun)
        #expect(config.webhookSecret == nil)
        #expect(config.logFormat == .text)
    }

    @Test func errorsNameTheProblem() {
        func message(_ text: String) -> String {
            do {
                _ = try parse(text)
                return "no error"
            } catch let error as ControllerConfigFile.ParseError { return error.message } catch { return "\(error)" }
        }
        #expect(message(#"{"git": {"url": "x"}, "stateDirectory": "/s", "intervall": "1m"}"#).contains("unknown key 'intervall'"))
        #expect(message(#"{"git": {"url": "x", "branch": "main"}, "stateDirectory": "/s"}"#).contains("unknown key 'git.branch'"))
        #expect(message(#"{"stateDirectory": "/s"}"#) == "'git.url' is required")
        #expect(message(#"{"git": {"url": "x"}}"#) == "'stateDirectory' is required")
        #expect(message(#"{"git": {"url": "x"}, "stateDirectory": "/s", "interval": "soon"}"#).contains("'interval' must be a duration"))
        #expect(message(#"{"git": {"url": "x"}, "stateDirectory": "/s", "dryRun": "yes"}"#).contains("'dryRun' must be true or false"))
        #expect(message(#"{"git": {"url": "x"}, "stateDirectory": "/s", "listen": "9090"}"#).contains("'listen'"))
        #expect(message(#"{"git": {"url": "x"}, "stateDirectory": "/s", "webhookSecret": "hunter2"}"#).contains("webhookSecret"))
        #expect(message(#"{"git": {"url": "x"}, "stateDirectory": "/s", "webhookSecret": {"env": "A", "file": "B"}}"#)
            .contains("webhookSecret"))
        #expect(message("{not json").contains("not valid JSON"))
    }

    @Test func durations() {
        #expect(ControllerConfigFile.parseDuration("250ms") == .milliseconds(250))
        #expect(ControllerConfigFile.parseDuration("1m30s") == .seconds(90))
        #expect(ControllerConfigFile.parseDuration("2h") == .seconds(7200))
        #expect(ControllerConfigFile.parseDuration("1.5s") == .milliseconds(1500))
        #expect(ControllerConfigFile.parseDuration("10") == nil)
        #expect(ControllerConfigFile.parseDuration("10x") == nil)
        #expect(ControllerConfigFile.parseDuration("") == nil)
    }

    @Test func listenAddresses() throws {
        #expect(try ControllerConfigFile.parseListen(":9090") == ("0.0.0.0", 9090))
        #expect(try ControllerConfigFile.parseListen("[::1]:80") == ("::1", 80))
        #expect(throws: ControllerConfigFile.ParseError.self) { try ControllerConfigFile.parseListen("host:99999") }
    }
}
