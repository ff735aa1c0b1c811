import Foundation
import Logging
@testable import Emulator

/// A tiny HTTP client for the tests: one `/usr/bin/curl` process per request (keeps the test target
/// free of an HTTP stack; the project's libcurl client is tested against the emulator elsewhere).
struct TestClient: Sendable {
    var baseURL: String
    var apiKey: String? = "test-key"
    var version: String? = "2"

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var text: String
        /// curl's exit code: 0, or e.g. 52 (empty reply) when the server closed the connection.
        var curlExit: Int32
        var json: JSON { (try? JSON.parse(text)) ?? .null }
        var errorCode: String? { json["error_code"]?.stringValue }
        subscript(key: String) -> JSON? { json[key] }
    }

    func request(
        _ method: String, _ pathOrURL: String, body: String? = nil, contentType: String? = "application/json",
        extraHeaders: [String: String] = [:]
    ) async throws -> Reply {
        let url = pathOrURL.hasPrefix("http") ? pathOrURL : baseURL + pathOrURL
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let headerFile = dir.appendingPathComponent("h").path
        let bodyFile = dir.appendingPathComponent("b").path
        var args = ["-s", "-X", method, "-D", headerFile, "-o", bodyFile, "-w", "%{http_code}", "--max-time", "20"]
        if let apiKey { args += ["-H", "Authorization: Bearer \(apiKey)"] }
        if let version { args += ["-H", "Ngrok-Version: \(version)"] }
        for (name, value) in extraHeaders { args += ["-H", "\(name): \(value)"] }
        if let body {
            if let contentType { args += ["-H", "Content-Type: \(contentType)"] } else { args += ["-H", "Content-Type:"] }
            args += ["--data-binary", body]
        }
        args.append(url)
        let statusFile = dir.appendingPathComponent("s").path
        _ = FileManager.default.createFile(atPath: statusFile, contents: nil)
        let statusHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: statusFile))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = args
        process.standardOutput = statusHandle
        process.standardError = FileHandle.nullDevice
        // Never block the cooperative pool: the server under test runs on it too.
        let exitCode: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try? statusHandle.close()
        let statusText = (try? String(contentsOfFile: statusFile, encoding: .utf8)) ?? ""
        var headers: [String: String] = [:]
        if let raw = try? String(contentsOfFile: headerFile, encoding: .utf8) {
            for line in raw.split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        let text = (try? String(contentsOfFile: bodyFile, encoding: .utf8)) ?? ""
        return Reply(status: Int(statusText) ?? 0, headers: headers, text: text, curlExit: exitCode)
    }

    func get(_ path: String) async throws -> Reply { try await request("GET", path) }
    func delete(_ path: String) async throws -> Reply { try await request("DELETE", path) }
    func post(_ path: String, _ body: JSON) async throws -> Reply {
        try await request("POST", path, body: body.serialized())
    }
    func patch(_ path: String, _ body: JSON) async throws -> Reply {
        try await request("PATCH", path, body: body.serialized())
    }
    func put(_ path: String, _ body: JSON) async throws -> Reply { try await request("PUT", path, body: body.serialized()) }
}

/// Starts an in-memory emulator for one test and stops it afterwards.
func withEmulator<T>(
    _ configuration: EmulatorConfiguration = EmulatorConfiguration(apiKeys: ["test-key"], rateLimit: nil),
    _ body: (TestClient, EmulatorServer) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.logger.logLevel = .warning
    let server = try EmulatorServer(configuration: configuration)
    let url = try await server.start()
    do {
        let result = try await body(TestClient(baseURL: url), server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
