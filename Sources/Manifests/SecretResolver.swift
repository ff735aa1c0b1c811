import Foundation
import NgrokModel

/// Why a secret could not be resolved. Names the variable or path, never a value.
public struct SecretResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reference: SecretReference
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String

    public var description: String { hint.isEmpty ? message : "\(message); \(hint)" }
}

/// Resolves secret references (`{env: NAME}`, `{file: PATH}`) to values, for the planner.
/// The environment is injectable; files are read through a `ManifestFileSystem`.
/// A trailing newline in a secret file is dropped (as `echo value > file` writes one).
public struct SecretResolver: Sendable {
    public var environment: [String: String]
    public var fileSystem: any ManifestFileSystem
    public var maxFileBytes: Int

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        fileSystem: any ManifestFileSystem = DirectoryFileSystem(), maxFileBytes: Int = ManifestLimits.standard.maxFileBytes
    ) {
        self.environment = environment
        self.fileSystem = fileSystem
        self.maxFileBytes = maxFileBytes
    }

    public func resolve(_ reference: SecretReference) throws(SecretResolutionError) -> SecretValue {
        switch reference {
        case .env(let name):
            guard let value = environment[name] else {
                throw SecretResolutionError(
                    reference: reference, message: "environment variable \(name) is not set",
                    hint: "export \(name) before running ngrokctl")
            }
            guard !value.isEmpty else {
                throw SecretResolutionError(
                    reference: reference, message: "environment variable \(name) is empty", hint: "give \(name) a value")
            }
            return SecretValue(value)
        case .file(let path):
            let bytes: [UInt8]
            do {
                bytes = try fileSystem.readFile(at: path, limit: maxFileBytes)
            } catch {
                throw SecretResolutionError(
                    reference: reference, message: "cannot read secret file \(path): \(error)",
                    hint: "create the file or fix the path")
            }
            guard var text = String(validating: bytes, as: UTF8.self) else {
                throw SecretResolutionError(
                    reference: reference, message: "secret file \(path) is not UTF-8 text", hint: "store the value as text")
            }
            while text.hasSuffix("\n") || text.hasSuffix("\r") || text.hasSuffix("\r\n") { text.removeLast() }
            guard !text.isEmpty else {
                throw SecretResolutionError(
                    reference: reference, message: "secret file \(path) is empty", hint: "write the value into it")
            }
            return SecretValue(text)
        }
    }

}

extension SecretResolutionError {
    /// This error as a diagnostic at the secret field's location (the value is never included).
    public func diagnostic(at location: SourceLocation?, _ address: ResourceAddress?) -> Diagnostic {
        .error(at: location, address, message, hint: hint)
    }
}
