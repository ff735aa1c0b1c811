import Foundation
import GitSource
import TestSupport
import Testing

/// An SSH remote through libgit2's SSH transport, against a real `sshd` on a loopback port with
/// its own host key, a deploy key in a temporary `authorized_keys`, and a bare repository.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd")))
struct SSHRemoteTests {
    final class SSHServer: @unchecked Sendable {
        let directory: String
        let port: Int
        var pid: pid_t = 0
        let repository: String
        let user = ProcessInfo.processInfo.userName
        var keyFile: String { directory + "/deploy" }
        var hostPublicKey: String

        init() throws {
            directory = NSTemporaryDirectory() + "ngrokctl-sshd-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for name in ["host", "deploy"] {
                _ = try GitFixture.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", directory + "/" + name], in: directory)
            }
            try FileManager.default.copyItem(atPath: directory + "/deploy.pub", toPath: directory + "/authorized_keys")
            hostPublicKey = try String(contentsOfFile: directory + "/host.pub", encoding: .utf8)
            port = try Self.freePort()
            let config = """
                Port \(port)
                ListenAddress 127.0.0.1
                HostKey \(directory)/host
                AuthorizedKeysFile \(directory)/authorized_keys
                StrictModes no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                PermitRootLogin prohibit-password
                PidFile \(directory)/sshd.pid
                LogLevel ERROR
                """
            try config.write(toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
            if getuid() == 0 { try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true) }
            // A bare repository with one commit.
            let work = directory + "/work"
            repository = directory + "/repo.git"
            try FileManager.default.createDirectory(atPath: work + "/stack", withIntermediateDirectories: true)
            try "kind: Stack\n".write(toFile: work + "/stack/ngrokctl.yaml", atomically: true, encoding: .utf8)
            _ = try GitFixture.run("/usr/bin/git", ["init", "-q", "-b", "main"], in: work)
            _ = try GitFixture.run("/usr/bin/git", ["add", "-A"], in: work)
            _ = try GitFixture.run("/usr/bin/git", ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "one"], in: work)
            _ = try GitFixture.run("/usr/bin/git", ["clone", "-q", "--bare", work, repository], in: directory)

            // Started through the shell and left to run detached (not a Foundation child: its
            // exit would otherwise be awaited by Foundation's process monitor); killed by pid.
            let launched = try GitFixture.run(
                "/bin/sh", ["-c", "/usr/sbin/sshd -D -e -f '\(directory)/sshd_config' </dev/null >/dev/null 2>&1 & echo $!"],
                in: directory)
            pid = pid_t(launched) ?? 0
            // Wait until it accepts connections.
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, !Self.accepts(port) { usleep(50_000) }
        }

        func stop() {
            if pid > 0 { kill(pid, SIGKILL) }
            try? FileManager.default.removeItem(atPath: directory)
        }

        var url: String { "ssh://\(user)@127.0.0.1:\(port)\(repository)" }

        /// A known_hosts file for this server holding `key` (`type base64`).
        func knownHosts(_ key: String, host: String? = nil) throws -> String {
            let path = directory + "/known_hosts-" + UUID().uuidString
            let fields = key.split(separator: " ")
            try "\(host ?? "[127.0.0.1]:\(port)") \(fields[0]) \(fields[1])\n".write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// `SHA256:…` as `ssh-keygen -l` prints it.
        var hostFingerprint: String {
            let output = (try? GitFixture.run("/usr/bin/ssh-keygen", ["-l", "-f", directory + "/host.pub"], in: directory)) ?? ""
            return output.split(separator: " ").first { $0.hasPrefix("SHA256:") }.map(String.init) ?? "?"
        }

        static func freePort() throws -> Int {
            Int(try GitFixture.run(
                "/usr/bin/python3", ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"],
                in: NSTemporaryDirectory())) ?? 0
        }

        static func accepts(_ port: Int) -> Bool {
            (try? GitFixture.run(
                "/usr/bin/python3", ["-c", "import socket; socket.create_connection(('127.0.0.1',\(port)),1)"],
                in: NSTemporaryDirectory())) != nil
        }
    }

    func source(_ server: SSHServer, knownHosts: String?, cache: String) throws -> GitRepositorySource {
        try GitRepositorySource(configuration: GitSourceConfiguration(
            url: server.url, ref: "main", path: "stack", cacheDirectory: cache, sshKeyFile: server.keyFile,
            knownHostsFile: knownHosts))
    }

    @Test func aPinnedHostAndADeployKeyFetch() async throws {
        let server = try SSHServer()
        defer { server.stop() }
        let cache = server.directory + "/cache"
        let source = try source(server, knownHosts: try server.knownHosts(server.hostPublicKey), cache: cache)
        let result = try await source.poll(deadline: .now + .seconds(30))
        let snapshot = try await source.snapshot(commit: result.commit)
        #expect(snapshot.files["ngrokctl.yaml"] == Array("kind: Stack\n".utf8))
    }

    @Test func anUnknownOrChangedHostKeyIsRefusedWithItsFingerprint() async throws {
        let server = try SSHServer()
        defer { server.stop() }
        let fingerprint = server.hostFingerprint
        #expect(fingerprint.hasPrefix("SHA256:"))
        // Another host's key pinned for this address: changed.
        _ = try GitFixture.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", server.directory + "/other"], in: server.directory)
        let otherKey = try String(contentsOfFile: server.directory + "/other.pub", encoding: .utf8)
        let changed = try source(server, knownHosts: try server.knownHosts(otherKey), cache: server.directory + "/c1")
        let changedError = await #expect(throws: GitSourceError.self) { try await changed.poll(deadline: .now + .seconds(30)) }
        #expect(changedError?.code == .authenticationFailed)
        #expect(changedError?.message.contains("CHANGED") == true)
        #expect(changedError?.message.contains(fingerprint) == true, "\(changedError?.message ?? "")")
        // Only another host listed: unknown.
        let unknown = try source(
            server, knownHosts: try server.knownHosts(server.hostPublicKey, host: "git.example.com"), cache: server.directory + "/c2")
        let unknownError = await #expect(throws: GitSourceError.self) { try await unknown.poll(deadline: .now + .seconds(30)) }
        #expect(unknownError?.message.contains("is not in") == true)
        #expect(unknownError?.message.contains(fingerprint) == true)
        // No known_hosts at all: refused before connecting.
        #expect(throws: GitSourceError.self) { try source(server, knownHosts: nil, cache: server.directory + "/c3") }
        // The private key never appears in an error.
        let key = try String(contentsOfFile: server.keyFile, encoding: .utf8)
        let body = key.split(separator: "\n").dropFirst().first.map(String.init) ?? "unlikely"
        #expect(changedError?.message.contains(body) == false)
    }

    @Test func aKeyTheServerDoesNotKnowIsRefused() async throws {
        let server = try SSHServer()
        defer { server.stop() }
        try "".write(toFile: server.directory + "/authorized_keys", atomically: true, encoding: .utf8)
        let source = try source(server, knownHosts: try server.knownHosts(server.hostPublicKey), cache: server.directory + "/cache")
        let error = await #expect(throws: GitSourceError.self) { try await source.poll(deadline: .now + .seconds(30)) }
        #expect(error?.code == .authenticationFailed || error?.code == .libgit2)
    }
}
