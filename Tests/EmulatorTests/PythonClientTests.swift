import Foundation
import Logging
import NgrokAPI
import NgrokModel
import TestSupport
import Testing
@testable import Emulator

/// The official Python client `ngrok-api==0.4.0`, unchanged, against the emulator.
@Suite struct PythonClientTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("python/official_client.py").path

    static var clientInstalled: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import ngrok, requests"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(.enabled(if: clientInstalled, "python3 -m pip install ngrok-api==0.4.0"))
    func officialClientDrivesEveryService() async throws {
        try await withEmulator { client, server in
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("py-\(UUID().uuidString).txt")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: output) }
            let handle = try FileHandle(forWritingTo: output)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", Self.script, client.baseURL, "test-key"]
            process.standardOutput = handle
            process.standardError = handle
            let status: Int32 = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do { try process.run() } catch { continuation.resume(throwing: error) }
            }
            try? handle.close()
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            #expect(status == 0, "\(text)")
            #expect(text.hasPrefix("OK "), "\(text)")
            let stats = server.statistics()
            #expect(stats.count("PUT /endpoint_configurations/{id}/oidc") == 1)
            #expect(stats.count("DELETE /reserved_domains/{id}/certificate_management_policy") == 1)
            print("python client: \(text.trimmingCharacters(in: .whitespacesAndNewlines)) checks, \(stats.total) requests")
        }
    }
}

@Suite struct BenchmarkTests {
    /// Keep-alive traffic as `ngrokctl-bench emulator` drives it (creates, full-page lists, gets), here
    /// through libcurl over two connections: every request is answered. Speed figures are `make bench`'s.
    @Test func loopbackThroughput() async throws {
        let emulator = try await EmulatorFixture.start(apiKey: "bench")
        let server = emulator.server
        let transport = CurlTransport()
        let client = emulator.client(budget: .unlimited(concurrency: 2), transport: transport)
        let ids = try await withThrowingTaskGroup(of: String?.self) { group in
            for i in 0..<200 {
                group.addTask {
                    try await client.send(.post, path: "/credentials", body: Array(#"{"description":"bench \#(i)"}"#.utf8))?[
                        "id"]?.stringValue
                }
            }
            return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 { group.addTask { _ = try await client.send(.get, path: "/credentials?limit=100") } }
            for id in ids { group.addTask { _ = try await client.send(.get, path: "/credentials/\(id)") } }
            try await group.waitForAll()
        }
        let stats = server.statistics()
        await server.stop()
        #expect(ids.count == 200)
        #expect(stats.count("POST /credentials") == 200)
        #expect(stats.count("GET /credentials") == 40)
        #expect(stats.count("GET /credentials/{id}") == 200)
        #expect(client.statistics.count(status: 200) + client.statistics.count(status: 201) == 440)
        withExtendedLifetime(transport) {}
    }
}
