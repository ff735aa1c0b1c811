import Foundation

/// Writes new credential tokens to the stack's token directory: one file per credential, mode 0600,
/// written atomically. Tokens are never printed or logged.
public struct TokenSink: Sendable {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    public func path(for credential: String) -> String { (directory as NSString).appendingPathComponent("\(credential).token") }

    public func write(token: String, credential: String, id: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let final = path(for: credential)
        let temporary = final + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw TokenSinkError(path: temporary, errno: errno) }
        let text = Array("\(token)\n".utf8)
        let written = text.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard written == text.count else { throw TokenSinkError(path: temporary, errno: errno) }
        guard rename(temporary, final) == 0 else { throw TokenSinkError(path: final, errno: errno) }
    }
}

public struct TokenSinkError: Error, CustomStringConvertible {
    public var path: String
    public var errno: Int32
    public var description: String { "cannot write token file \(path): \(String(cString: strerror(errno)))" }
}
