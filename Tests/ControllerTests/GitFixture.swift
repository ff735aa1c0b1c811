import Foundation

/// Repositories made with the git CLI in a temporary directory: a work repository and a bare
/// remote it pushes to.
final class GitFixture: @unchecked Sendable {
    let root: String
    let work: String
    let remote: String
    let cache: String

    init() throws {
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
    func git(_ arguments: [String], in directory: String? = nil) throws -> String {
        try Self.run("/usr/bin/git", ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"] + arguments, in: directory ?? work)
    }

    static func run(_ executable: String, _ arguments: [String], in directory: String) throws -> String {
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

    func write(_ path: String, _ content: String) throws {
        let full = work + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try content.write(toFile: full, atomically: true, encoding: .utf8)
    }

    func remove(_ path: String) throws {
        try git(["rm", "-q", path])
    }

    /// Commits everything in the work tree and pushes the branch; returns the commit id.
    @discardableResult
    func commit(_ message: String, branch: String = "main") throws -> String {
        try git(["add", "-A"])
        try git(["commit", "-q", "--allow-empty", "-m", message])
        try git(["push", "-q", "origin", "HEAD:refs/heads/\(branch)"])
        return try git(["rev-parse", "HEAD"])
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
