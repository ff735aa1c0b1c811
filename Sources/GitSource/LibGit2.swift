import CGit2

/// Process-wide libgit2 setup and the small helpers every libgit2 call goes through.
enum LibGit2 {
    /// `git_libgit2_init` runs exactly once per process (a Swift global is initialised lazily
    /// and thread-safely).
    private static let initialised: Int32 = git_libgit2_init()

    static func ensureInitialised() { _ = initialised }

    /// libgit2's last error message. `git_error_last` is thread-local: call this immediately
    /// after the failing call, on the same thread, with no suspension point in between.
    static func lastErrorMessage() -> String {
        guard let error = git_error_last(), let message = error.pointee.message else { return "unknown libgit2 error" }
        return String(cString: message)
    }

    /// Throws a `GitSourceError` carrying libgit2's message when `code` is negative.
    @discardableResult
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitSourceError) -> Int32 {
        if code >= 0 { return code }
        let message = lastErrorMessage()
        throw GitSourceError(.libgit2, "\(operation()): \(message)", libgit2Code: code)
    }

    static func hex(_ oid: git_oid) -> String {
        var oid = oid
        var buffer = [CChar](repeating: 0, count: 41)
        _ = buffer.withUnsafeMutableBufferPointer { git_oid_tostr($0.baseAddress, 41, &oid) }
        return String(decoding: buffer.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func oid(hex: String) -> git_oid? {
        guard hex.count == 40, hex.allSatisfy(\.isHexDigit) else { return nil }
        var oid = git_oid()
        let rc = hex.withCString { git_oid_fromstrn(&oid, $0, 40) }
        return rc == 0 ? oid : nil
    }

    static func equal(_ a: git_oid, _ b: git_oid) -> Bool {
        var a = a
        var b = b
        return git_oid_equal(&a, &b) != 0
    }
}
