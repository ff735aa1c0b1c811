import Foundation

/// Output helpers: color only on a terminal and when NO_COLOR is unset.
enum Terminal {
    static func useColor(_ handle: Int32 = STDOUT_FILENO, disabled: Bool = false) -> Bool {
        if disabled { return false }
        let env = ProcessInfo.processInfo.environment
        if let noColor = env["NO_COLOR"], !noColor.isEmpty { return false }
        if env["TERM"] == "dumb" { return false }
        return isatty(handle) == 1
    }

    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Exit codes CI can act on.
enum ExitCodes {
    static let ok: Int32 = 0
    static let failure: Int32 = 1
    /// `plan --detailed-exitcode`: the plan has changes.
    static let changes: Int32 = 2
}
