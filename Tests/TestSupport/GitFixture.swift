import Foundation

/// Repositories made with the git CLI in a temporary directory: a work repository and a bare
/// remote it pushes to.
public final class GitFixture: @unchecked Sendable {
    public let root: String
    public let work: String
    public let remote: String
    public let cache: String

    public init() throws {
        root = NSTemporaryDirectory() + "ngrokctl-git-" + UUID().uuidString
        work = root + "/work"
        remote = root + "/remote.git"
        cache = root + "/cache"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try git(["init", "-q", "--bare", "-b", "main", remote], in: root)
        try git(["init", "-q", "-b", "main"], in: work)
        try git(["remote", "add", "origin", remote])
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    @discardableResult
    public func git(_ arguments: [String], in directory: String? = nil) throws -> String {
        try Self.run("/usr/bin/git", ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"] + arguments, in: directory ?? work)
    }

    public static func run(_ executable: String, _ arguments: [String], in directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_AUTHOR_NAME"] = "Test"
        environment["GIT_AUTHOR_EMAIL"] = "test@example.com"
        environment["GIT_COMMITTER_NAME"] = "Test"
        environment["GIT_COMMITTER_EMAIL"] = "test@example.com"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["HOME"] = NSTemporaryDirectory()
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(message: "\(executable) \(arguments.joined(separator: " ")): \(String(decoding: errorData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func write(_ path: String, _ content: String) throws {
        let full = work + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try content.write(toFile: full, atomically: true, encoding: .utf8)
    }

    public func remove(_ path: String) throws {
        try git(["rm", "-q", path])
    }

    /// Commits everything in the work tree and pushes the branch; returns the commit id.
    @discardableResult
    public func commit(_ message: String, branch: String = "main") throws -> String {
        try git(["add", "-A"])
        try git(["commit", "-q", "--allow-empty", "-m", message])
        try git(["push", "-q", "origin", "HEAD:refs/heads/\(branch)"])
        return try git(["rev-parse", "HEAD"])
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// A tiny HTTP server in Python that either answers 401 to everything (counting requests) or
/// accepts connections and never answers.
public final class FakeHTTPServer: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    public let requestLog: String

    public init(mode: String) throws {
        requestLog = NSTemporaryDirectory() + "ngrokctl-http-" + UUID().uuidString
        let script = """
        import socket, sys, threading, time
        mode, log = sys.argv[1], sys.argv[2]
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0)); s.listen(16)
        print(s.getsockname()[1], flush=True)
        def handle(c):
            if mode == "stall":
                time.sleep(60); c.close(); return
            data = b""
            while b"\\r\\n\\r\\n" not in data:
                chunk = c.recv(4096)
                if not chunk: break
                data += chunk
            with open(log, "a") as f:
                f.write(data.split(b"\\r\\n")[0].decode() + (" auth" if b"Authorization:" in data else "") + "\\n")
            c.sendall(b"HTTP/1.1 401 Unauthorized\\r\\nWWW-Authenticate: Basic realm=\\"git\\"\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n")
            c.close()
        while True:
            c, _ = s.accept()
            threading.Thread(target=handle, args=(c,), daemon=True).start()
        """
        port = try Self.launch(process, script: script, arguments: [mode, requestLog])
    }

    /// Starts `python3 -c script arguments…` in `process` and returns the port the script prints
    /// on its first line once it listens.
    public static func launch(_ process: Process, script: String, arguments: [String]) throws -> Int {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw FixtureError(message: "fake server did not start")
        }
        return port
    }

    public var requests: [String] {
        ((try? String(contentsOfFile: requestLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    public func stop() {
        // SIGKILL: the child may inherit a mask blocking SIGTERM from the test process.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: requestLog)
    }
}
