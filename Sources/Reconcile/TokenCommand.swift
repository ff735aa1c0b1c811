import Foundation

/// `tokenCommand`: a shell command run once per new credential token, e.g. to push it into a
/// secret store. The token is given only on standard input (never in arguments or the
/// environment); `NGROKCTL_CREDENTIAL`, `NGROKCTL_GENERATION` and `NGROKCTL_CREDENTIAL_ID` say
/// which credential it is. `NGROK_API_KEY` is removed from its environment. Its output is not
/// shown, except the end of it when it fails, with the token masked.
public struct TokenCommand: Sendable, Hashable {
    public var command: String
    /// The working directory (the stack root when known).
    public var directory: String?
    public var environment: [String: String]

    public init(
        command: String, directory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.command = command
        self.directory = directory
        self.environment = environment
    }

    public struct Failure: Error, CustomStringConvertible {
        public var credential: String
        public var status: Int32
        public var output: String
        public var description: String {
            "tokenCommand failed for Credential/\(credential) (exit status \(status))"
                + (output.isEmpty ? "" : ": \(output)")
        }
    }

    /// Runs the command for one token and waits for it; throws `Failure` unless it exits 0.
    public func run(token: String, credential: String, generation: Int, credentialID: String) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = environment
        env["NGROK_API_KEY"] = nil
        env["NGROKCTL_CREDENTIAL"] = credential
        env["NGROKCTL_GENERATION"] = String(generation)
        env["NGROKCTL_CREDENTIAL_ID"] = credentialID
        process.environment = env
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        // The token fits in the pipe's buffer: written before the command starts, so a command
        // that never reads it cannot block us.
        let bytes = Array("\(token)\n".utf8)
        let written = bytes.withUnsafeBytes { write(input.fileHandleForWriting.fileDescriptor, $0.baseAddress, $0.count) }
        try? input.fileHandleForWriting.close()
        guard written == bytes.count else {
            throw Failure(credential: credential, status: -1, output: "could not pass the token on standard input")
        }
        let collected = OutputCollector(handle: output.fileHandleForReading)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: Failure(credential: credential, status: -1, output: "cannot start /bin/sh: \(error)"))
            }
        }
        try? output.fileHandleForWriting.close()
        guard status == 0 else {
            var text = String(decoding: collected.finish(), as: UTF8.self).replacingOccurrences(of: token, with: "(token)")
            text = String(text.trimmingCharacters(in: .whitespacesAndNewlines).suffix(400))
            text = String(text.unicodeScalars.map { (scalar: Unicode.Scalar) -> Character in
                (scalar.value < 0x20 && scalar != "\n") || scalar.value == 0x7F ? " " : Character(scalar)
            })
            throw Failure(credential: credential, status: status, output: text)
        }
    }
}

/// Drains a pipe on a background thread so that a chatty command never blocks on a full pipe.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    init(handle: FileHandle) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock { if data.count < 65_536 { data += chunk } }
            }
            done.signal()
        }
        thread.start()
    }

    func finish() -> [UInt8] {
        _ = done.wait(timeout: .now() + 2)
        return lock.withLock { data }
    }
}
