#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An exclusive lock on the state directory (`controller.lock`, `flock`), so that two
/// controllers never reconcile the same stack from the same state. Released when the process
/// exits, even on a crash.
public final class StateDirectoryLock: Sendable {
    public struct LockedError: Error, CustomStringConvertible, Equatable, Sendable {
        public var path: String
        public var holderPID: Int32?
        public var description: String {
            "another controller is running on this state directory (\(path) is locked"
                + (holderPID.map { " by pid \($0)" } ?? "") + ")"
        }
    }

    public let path: String
    private let descriptor: Int32

    public static func acquire(directory: String) throws -> StateDirectoryLock {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/controller.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ControllerError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &buffer, 32, 0)
            close(fd)
            if code == EWOULDBLOCK {
                let text = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw LockedError(path: path, holderPID: Int32(text))
            }
            throw ControllerError("cannot lock \(path): \(String(cString: strerror(code)))")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        return StateDirectoryLock(path: path, descriptor: fd)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        close(descriptor)  // releases the flock
    }
}

/// A controller error with a message for the operator.
public struct ControllerError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
