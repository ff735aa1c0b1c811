import Emulator
import Foundation
import Logging
import NgrokAPI

/// The tests' emulator launcher: an in-process emulator on a loopback port (its log silenced), and
/// libcurl clients for it.
public struct EmulatorFixture: Sendable {
    public let server: EmulatorServer
    public let baseURL: String
    public let apiKey: String
    public static let key = "emulator-test-key-SECRET"

    /// An emulator accepting `apiKey` (no rate limit unless given).
    public static func start(
        apiKey: String = key, dbPath: String? = nil, rateLimit: RateLimit? = nil, concurrencyLimit: Int? = nil,
        faults: FaultConfiguration = .none, publicBaseURL: String? = nil, clock: (@Sendable () -> Date)? = nil
    ) async throws -> EmulatorFixture {
        var configuration = EmulatorConfiguration(
            dbPath: dbPath, apiKeys: [apiKey], rateLimit: rateLimit, concurrencyLimit: concurrencyLimit, faults: faults,
            publicBaseURL: publicBaseURL, logger: Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() }))
        if let clock { configuration.clock = clock }
        let server = try EmulatorServer(configuration: configuration)
        return EmulatorFixture(server: server, baseURL: try await server.start(), apiKey: apiKey)
    }

    /// A client with the fixture's key (`transport`: e.g. a `CurlTransport` of its own, to hold connections).
    public func client(
        budget: APIBudget = .unlimited(concurrency: 8), retry: RetryPolicy = RetryPolicy(),
        transport: any HTTPTransport = CurlTransport.shared
    ) -> NgrokClient {
        NgrokClient(
            configuration: NgrokClientConfiguration(baseURL: baseURL, apiKey: APIKey(apiKey), retry: retry),
            budget: budget, transport: transport)
    }

    public func stop() async { await server.stop() }
}

/// A path for an emulator database in the temporary directory (not created).
public func temporaryDatabase() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("emulator-\(UUID().uuidString).sqlite").path
}
