import ArgumentParser
import Emulator
import Foundation
import Logging

struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "A local ngrok-compatible API (endpoint-configuration era) for trying and testing.",
        subcommands: [Serve.self], defaultSubcommand: Serve.self)

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the emulated API until SIGINT/SIGTERM.",
            discussion: "Prints its base URL. Point ngrokctl at it with --api-url URL and the same API key.")

        @Option(help: "Address to listen on, HOST:PORT (port 0 = any free port).") var listen = "127.0.0.1:8484"
        @Option(help: "SQLite database file (state survives restarts); in memory when omitted.") var db: String?
        @Option(name: .customLong("api-key"), help: "An accepted API key (repeatable; default: NGROK_API_KEY).")
        var apiKeys: [String] = []
        @Option(help: "Requests per rolling minute per API key; 0 turns the limit off.") var rateLimit = 120
        @Option(help: "Simultaneous requests per key (ERR_NGROK_225); 0 = no limit.") var concurrencyLimit = 0
        @Option(help: "Fraction of requests answered with a 5xx.") var failRate = 0.0
        @Option(help: "Fraction of requests answered with a 429.") var throttleRate = 0.0
        @Option(help: "Fraction of connections closed before the request is processed.") var dropRate = 0.0
        @Option(help: "Fraction of writes committed whose response is never sent.") var lostResponseRate = 0.0
        @Option(help: "Added latency: 50ms, or a range 20ms-200ms.") var latency: String?
        @Option(help: "Seed of the fault injection (same seed, same faults).") var seed: UInt64 = 1

        func run() async throws {
            let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let port = Int(parts[1]) else {
                throw ValidationError("--listen takes HOST:PORT, e.g. 127.0.0.1:8484")
            }
            var keys = apiKeys
            if keys.isEmpty, let env = ProcessInfo.processInfo.environment["NGROK_API_KEY"], !env.isEmpty { keys = [env] }
            guard !keys.isEmpty else { throw ValidationError("give at least one --api-key (or set NGROK_API_KEY)") }
            let configuration = EmulatorConfiguration(
                host: String(parts[0]), port: port, dbPath: db, apiKeys: keys,
                rateLimit: rateLimit > 0 ? RateLimit(requests: rateLimit, window: .seconds(60)) : nil,
                concurrencyLimit: concurrencyLimit > 0 ? concurrencyLimit : nil,
                faults: FaultConfiguration(
                    seed: seed, failRate: failRate, throttleRate: throttleRate, dropRate: dropRate,
                    lostResponseRate: lostResponseRate, latency: try latency.map(Self.parseLatency)))
            let server = try EmulatorServer(configuration: configuration)
            try await server.serve { url in
                Terminal.out("ngrokctl emulator listening on \(url)\n")
            }
        }

        static func parseLatency(_ text: String) throws -> FaultConfiguration.Latency {
            func duration(_ s: Substring) throws -> Duration {
                let t = s.trimmingCharacters(in: .whitespaces)
                if t.hasSuffix("ms"), let v = Int(t.dropLast(2)) { return .milliseconds(v) }
                if t.hasSuffix("s"), let v = Double(t.dropLast()) { return .milliseconds(Int(v * 1000)) }
                throw ValidationError("latency '\(text)': use e.g. 50ms, 1s or 20ms-200ms")
            }
            let bounds = text.split(separator: "-")
            if bounds.count == 2 { return .init(min: try duration(bounds[0]), max: try duration(bounds[1])) }
            return .fixed(try duration(Substring(text)))
        }
    }
}
