import Foundation
import GitSource
import TestSupport
import Testing

/// The git token goes only to the configured host over https (or plain http to a loopback
/// address), and credentials in a URL never appear in errors.
@Suite struct CredentialScopeTests {
    /// A Python server on `host`: mode `401` answers 401 (Basic) and logs whether a request
    /// carried `Authorization`; `redirect:URL` answers 302 to URL + the request path.
    final class Server: @unchecked Sendable {
        let process = Process()
        let port: Int
        let log: String

        init(mode: String, host: String = "127.0.0.1") throws {
            log = NSTemporaryDirectory() + "ngrokctl-cred-" + UUID().uuidString
            let script = """
                import socket, sys, threading
                mode, log, host = sys.argv[1], sys.argv[2], sys.argv[3]
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((host, 0)); s.listen(16)
                print(s.getsockname()[1], flush=True)
                def handle(c):
                    data = b""
                    while b"\\r\\n\\r\\n" not in data:
                        chunk = c.recv(4096)
                        if not chunk: break
                        data += chunk
                    line = data.split(b"\\r\\n")[0].decode()
                    with open(log, "a") as f:
                        f.write(line + (" auth" if b"authorization:" in data.lower() else "") + "\\n")
                    if mode.startswith("redirect:"):
                        path = line.split(" ")[1]
                        c.sendall(("HTTP/1.1 302 Found\\r\\nLocation: " + mode[9:] + path + "\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n").encode())
                    else:
                        c.sendall(b"HTTP/1.1 401 Unauthorized\\r\\nWWW-Authenticate: Basic realm=\\"git\\"\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n")
                    c.close()
                while True:
                    c, _ = s.accept()
                    threading.Thread(target=handle, args=(c,), daemon=True).start()
                """
            port = try FakeHTTPServer.launch(process, script: script, arguments: [mode, log, host])
        }

        var requests: [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        func stop() {
            // SIGKILL: the child may inherit a mask blocking SIGTERM from the test process.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: log)
        }
    }

    /// The configured server redirects to another host, which asks for credentials: the token
    /// is not sent there.
    @Test func theTokenIsNotSentToAnotherHost() async throws {
        let other = try Server(mode: "401", host: "127.0.0.2")
        defer { other.stop() }
        let configured = try Server(mode: "redirect:http://127.0.0.2:\(other.port)")
        defer { configured.stop() }
        let fixture = try GitFixture()
        let source = try GitRepositorySource(
            configuration: GitSourceConfiguration(
                url: "http://127.0.0.1:\(configured.port)/private.git", ref: "main", cacheDirectory: fixture.cache),
            environment: ["NGROKCTL_GIT_TOKEN": "token-canary-7d1f"])
        let error = await #expect(throws: GitSourceError.self) { try await source.poll(deadline: .now + .seconds(20)) }
        #expect(error?.code == .authenticationFailed)
        #expect(other.requests.count >= 1, "the redirect was not followed: \(configured.requests)")
        #expect(other.requests.allSatisfy { !$0.hasSuffix(" auth") }, "\(other.requests)")
        #expect(error?.message.contains("token-canary") == false)
    }

    /// Plain http to a host that is not loopback never gets the token (nothing is listening
    /// there: the refusal happens before any request, or the connection fails — either way the
    /// token is not in the error).
    @Test func credentialsInTheURLNeverAppearInErrors() async throws {
        let server = try Server(mode: "401")
        defer { server.stop() }
        let fixture = try GitFixture()
        let source = try GitRepositorySource(
            configuration: GitSourceConfiguration(
                url: "http://x-access-token:url-canary-93ab@127.0.0.1:\(server.port)/private.git?access_token=query-canary-11",
                ref: "main", cacheDirectory: fixture.cache),
            environment: [:])
        #expect(!source.displayURL.contains("canary"))
        #expect(source.displayURL == "http://127.0.0.1:\(server.port)/private.git?access_token=REDACTED")
        let error = await #expect(throws: GitSourceError.self) { try await source.poll(deadline: .now + .seconds(20)) }
        let message = error.map { "\($0)" } ?? ""
        #expect(!message.contains("canary"), "\(message)")
        // The URL's own credential is offered through the callback (loopback http), once.
        #expect(server.requests.filter { $0.hasSuffix(" auth") }.count == 1)
    }

    @Test func redactionOfURLsInText() {
        let text = "fetch https://x-access-token:ghp_secret@github.com/acme/repo.git failed; "
            + "retry ssh://git:pw@host:2222/r.git and https://TOKEN123@gitlab.com/a/b?private_token=abc&ref=main#frag"
        let scrubbed = URLRedaction.scrub(text)
        #expect(
            scrubbed == "fetch https://github.com/acme/repo.git failed; "
                + "retry ssh://git@host:2222/r.git and https://gitlab.com/a/b?private_token=REDACTED&ref=main#frag")
        #expect(URLRedaction.redact("git@github.com:acme/repo.git") == "git@github.com:acme/repo.git")
        #expect(URLRedaction.redact("/srv/git/repo.git") == "/srv/git/repo.git")
    }

    @Test func remoteURLForms() {
        let scp = GitRemoteURL(parsing: "git@github.com:acme/repo.git")
        #expect(scp.isSSH && scp.host == "github.com" && scp.user == "git" && scp.path == "acme/repo.git")
        let ssh = GitRemoteURL(parsing: "ssh://git@[::1]:2222/srv/repo.git")
        #expect(ssh.isSSH && ssh.host == "::1" && ssh.port == 2222 && ssh.path == "/srv/repo.git")
        let https = GitRemoteURL(parsing: "https://GitHub.com/acme/repo.git")
        #expect(https.isSameServer(as: GitRemoteURL(parsing: "https://github.com:443/other.git")))
        #expect(!https.isSameServer(as: GitRemoteURL(parsing: "http://github.com/acme/repo.git")))
        #expect(!https.isSameServer(as: GitRemoteURL(parsing: "https://evil.example/acme/repo.git")))
        #expect(GitRemoteURL(parsing: "/srv/repo.git").scheme == "")
        #expect(GitRemoteURL(parsing: "relative/repo").scheme == "")
    }
}
