import Foundation
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
    /// A small run always; the full-size one with `EMULATOR_BENCH=1`.
    @Test func loopbackThroughput() async throws {
        let full = ProcessInfo.processInfo.environment["EMULATOR_BENCH"] == "1"
        let report = try await full
            ? EmulatorBenchmark.run()
            : EmulatorBenchmark.run(creates: 200, lists: 40, gets: 200, connections: 2)
        print(report)
        #expect(report.createsPerSecond > 0 && report.listsPerSecond > 0 && report.getsPerSecond > 0)
    }
}
