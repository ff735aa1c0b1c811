import Foundation

/// Writes new credential tokens to the stack's token directory, mode 0600. Tokens are never
/// printed or logged.
///
/// Files: `NAME.token` always holds the newest token of `Credential/NAME`; under rotation,
/// `NAME.gen-N.token` holds generation N until it is revoked. A file is written to a fresh temp
/// file with a random name (`O_CREAT|O_EXCL|O_NOFOLLOW`, so nothing planted at that path receives
/// the token), fsynced, renamed into place, and the directory fsynced. The directory is created
/// 0700 and refused when another user owns it or it is group- or world-writable.
public struct TokenSink: Sendable {
    public var directory: String
    /// Run once per new token before its files are written (nil = none).
    public var command: TokenCommand?
    /// The temp file name for the next attempt (random; tests inject names to plant files).
    public var temporaryName: @Sendable () -> String = { TokenSink.randomTemporaryName() }

    public init(directory: String, command: TokenCommand? = nil) {
        self.directory = directory
        self.command = command
    }

    public static let fileSuffix = ".token"

    /// `NAME.token`, or `NAME.gen-N.token` for one generation.
    public static func fileName(credential: String, generation: Int? = nil) -> String {
        if let generation { return "\(credential).gen-\(generation)\(fileSuffix)" }
        return credential + fileSuffix
    }

    public func path(for credential: String) -> String { join(Self.fileName(credential: credential)) }

    public func path(for credential: String, generation: Int) -> String {
        join(Self.fileName(credential: credential, generation: generation))
    }

    func join(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Writes `NAME.token` (a credential without rotation).
    public func write(token: String, credential: String, id: String) throws {
        try write(token: token, credential: credential, generation: nil)
    }

    /// Writes `NAME.token`, then (under rotation) `NAME.gen-N.token`: the generation's file is
    /// written last, so its presence means the token was delivered everywhere.
    public func write(token: String, credential: String, generation: Int?) throws {
        try prepareDirectory()
        let contents = Array("\(token)\n".utf8)
        var names = [Self.fileName(credential: credential)]
        if let generation { names.append(Self.fileName(credential: credential, generation: generation)) }
        // Both files are staged before either replaces anything: a failure changes nothing.
        var staged: [(temporary: String, name: String)] = []
        do {
            for name in names { staged.append((try stage(name, contents), name)) }
        } catch {
            for file in staged { unlink(file.temporary) }
            throw error
        }
        // A hard link keeps the previous NAME.token, to put back if a later rename fails.
        let newest = join(names[0])
        let backup = join(".\(names[0]).old-\(temporaryName())")
        let hasBackup = link(newest, backup) == 0
        defer { if hasBackup { unlink(backup) } }
        for (index, file) in staged.enumerated() where rename(file.temporary, join(file.name)) != 0 {
            let error = TokenSinkError(path: join(file.name), errno: errno)
            for rest in staged[index...] { unlink(rest.temporary) }
            if index > 0 {
                if hasBackup { rename(backup, newest) } else { unlink(newest) }
            }
            throw error
        }
        try syncDirectory()
    }

    /// Removes a token file (absent is fine).
    public func remove(_ name: String) throws {
        let path = join(name)
        guard unlink(path) == 0 || errno == ENOENT else { throw TokenSinkError(path: path, errno: errno) }
    }

    /// Names of the token files present; empty when the directory does not exist yet.
    public func existingFiles() -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return Set(names.filter { $0.hasSuffix(Self.fileSuffix) && !$0.hasPrefix(".") })
    }

    /// Creates the directory (0700) or checks the existing one: a directory, owned by this user,
    /// not writable by group or others.
    public func prepareDirectory() throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: directory) {
            let parent = (directory as NSString).deletingLastPathComponent
            if !parent.isEmpty, !fm.fileExists(atPath: parent) {
                try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
            }
            guard mkdir(directory, 0o700) == 0 || errno == EEXIST else { throw TokenSinkError(path: directory, errno: errno) }
        }
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        let attributes: [FileAttributeKey: Any]
        do { attributes = try fm.attributesOfItem(atPath: real) } catch {
            throw TokenSinkError(path: directory, problem: "cannot be read (\(error.localizedDescription))", fix: "check the path")
        }
        guard attributes[.type] as? FileAttributeType == .typeDirectory else {
            throw TokenSinkError(path: directory, problem: "is not a directory", fix: "point tokenDirectory at a directory")
        }
        let owner = (attributes[.ownerAccountID] as? NSNumber)?.uint32Value ?? UInt32.max
        guard owner == geteuid() else {
            throw TokenSinkError(
                path: directory, problem: "is owned by user \(owner), not by this user (\(geteuid()))",
                fix: "use a directory this user owns (chown it, or choose another tokenDirectory)")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
        guard mode & 0o022 == 0 else {
            throw TokenSinkError(
                path: directory, problem: "is writable by group or others (mode \(String(mode, radix: 8)))",
                fix: "run chmod 700 on it")
        }
    }

    /// Writes a temp file for `name` (fsynced) and returns its path; removed again on any failure.
    func stage(_ name: String, _ contents: [UInt8]) throws -> String {
        var fd: Int32 = -1
        var temporary = ""
        // A name that exists already (planted, or a leftover) is never opened: try another one.
        for _ in 0..<8 {
            temporary = join(".\(name).tmp-\(temporaryName())")
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw TokenSinkError(path: temporary, errno: errno) }
        var failure: TokenSinkError?
        if fchmod(fd, 0o600) != 0 { failure = TokenSinkError(path: temporary, errno: errno) }
        var offset = 0
        while failure == nil, offset < contents.count {
            let n = contents.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = TokenSinkError(path: temporary, errno: errno)
            } else {
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = TokenSinkError(path: temporary, errno: errno) }
        if close(fd) != 0, failure == nil { failure = TokenSinkError(path: temporary, errno: errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        return temporary
    }

    func syncDirectory() throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw TokenSinkError(path: directory, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw TokenSinkError(path: directory, errno: errno) }
    }

    public static func randomTemporaryName() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(rng.next() as UInt32, radix: 16) }.joined()
    }
}

public struct TokenSinkError: Error, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var fix: String

    public init(path: String, errno: Int32) {
        self.path = path
        self.problem = String(cString: strerror(errno))
        self.fix = ""
    }

    public init(path: String, problem: String, fix: String) {
        self.path = path
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        "cannot write token file \(path): \(problem)" + (fix.isEmpty ? "" : " (\(fix))")
    }
}
