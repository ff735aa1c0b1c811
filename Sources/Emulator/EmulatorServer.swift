import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A local ngrok API v2 server (endpoint-configuration era) over loopback HTTP, persisted in SQLite.
///
/// ```swift
/// let server = try EmulatorServer(configuration: EmulatorConfiguration(apiKeys: ["key"]))
/// let baseURL = try await server.start()   // e.g. "http://127.0.0.1:54321"
/// …
/// await server.stop()
/// ```
/// `serve(onStarted:)` runs in the foreground until SIGTERM or SIGINT (`ngrokctl emulator serve`).
public final class EmulatorServer: Sendable {
    public let configuration: EmulatorConfiguration
    let api: EmulatorAPI
    let stats = StatsRecorder()
    private let state = Locked<State>(State())

    private struct State: Sendable {
        var task: Task<Void, Never>?
        var group: ServiceGroup?
        var baseURL: String?
    }

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens (or creates) the database; nothing listens until `start()` or `serve`.
    public init(configuration: EmulatorConfiguration = EmulatorConfiguration()) throws {
        self.configuration = configuration
        let store = try Store(path: configuration.dbPath)
        api = try EmulatorAPI(store: store, ids: IDGenerator(clock: configuration.clock), clock: configuration.clock)
    }

    /// The base URL while running (`uri` fields use it unless `publicBaseURL` is set).
    public var baseURL: String? { state.withLock { $0.baseURL } }

    /// Request counters since start (or the last reset).
    public func statistics() -> EmulatorStats { stats.snapshot() }

    public func resetStatistics() { stats.reset() }

    /// Number of stored objects (all collections).
    public func objectCount() throws -> Int { try api.store.count() }

    private func makeApplication(onRunning: @escaping @Sendable (String) -> Void) -> some ApplicationProtocol {
        let responder = EmulatorResponder(
            api: api, apiKeys: Set(configuration.apiKeys),
            rateLimiter: configuration.rateLimit.map { RateLimiter(limit: $0) },
            concurrency: configuration.concurrencyLimit.map { ConcurrencyGate(maximum: $0) },
            faults: FaultInjector(configuration: configuration.faults), stats: stats,
            baseURL: { [state, configuration] in
                configuration.publicBaseURL ?? state.withLock { $0.baseURL } ?? "http://\(configuration.host)"
            })
        let host = configuration.host
        return Application(
            responder: responder,
            server: .http1(configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [ExpectContinueHandler()])),
            configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port), serverName: nil),
            onServerRunning: { [state] channel in
                let port = channel.localAddress?.port ?? 0
                let urlHost = host.contains(":") ? "[\(host)]" : host
                let url = "http://\(urlHost):\(port)"
                state.withLock { $0.baseURL = url }
                onRunning(url)
            },
            logger: configuration.logger)
    }

    /// Starts listening in the background and returns the base URL, e.g. `http://127.0.0.1:54321`.
    public func start() async throws -> String {
        let (stream, continuation) = AsyncStream<Result<String, any Error>>.makeStream()
        let app = makeApplication { url in continuation.yield(.success(url)) }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [app], logger: configuration.logger))
        let task = Task {
            do {
                try await group.run()
            } catch {
                continuation.yield(.failure(error))
            }
            continuation.finish()
        }
        state.withLock {
            $0.task = task
            $0.group = group
        }
        for await result in stream {
            switch result {
            case .success(let url): return url
            case .failure(let error): throw error
            }
        }
        throw StartError(description: "the emulator stopped before it started listening")
    }

    /// Stops a server started with `start()` and waits until it has closed.
    public func stop() async {
        let (task, group) = state.withLock { state -> (Task<Void, Never>?, ServiceGroup?) in
            defer {
                state.task = nil
                state.group = nil
                state.baseURL = nil
            }
            return (state.task, state.group)
        }
        await group?.triggerGracefulShutdown()
        await task?.value
    }

    /// Runs in the foreground until SIGTERM or SIGINT; `onStarted` receives the base URL.
    public func serve(onStarted: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let app = makeApplication(onRunning: onStarted)
        try await app.runService()
        state.withLock { $0.baseURL = nil }
    }
}
