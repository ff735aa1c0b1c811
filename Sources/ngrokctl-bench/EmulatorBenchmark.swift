import Emulator
import Foundation
import Logging
import NgrokModel
import Synchronization

/// Loopback throughput of the emulator (`make bench`): creates, full-page lists and gets per second
/// over keep-alive HTTP/1.1 connections driven from dedicated threads.
public enum EmulatorBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public var connections: Int
        public var creates: Int
        public var createsPerSecond: Double
        /// Lists of a full page (`limit=100`, 100 objects per response).
        public var lists: Int
        public var listsPerSecond: Double
        public var gets: Int
        public var getsPerSecond: Double
        public var persistent: Bool

        public var description: String {
            func f(_ v: Double) -> String { String(format: "%.0f", v) }
            return """
                emulator loopback benchmark (\(connections) keep-alive connections, \(persistent ? "SQLite file" : "in-memory SQLite"))
                  create (POST /credentials):         \(f(createsPerSecond)) req/s  (\(creates) requests)
                  list   (GET /credentials?limit=100): \(f(listsPerSecond)) req/s  (\(lists) requests, 100 objects each)
                  get    (GET /credentials/{id}):      \(f(getsPerSecond)) req/s  (\(gets) requests)
                """
        }
    }

    /// Starts an in-process emulator (no rate limit, no faults), measures, stops it.
    public static func run(
        creates: Int = 2000, lists: Int = 500, gets: Int = 2000, connections: Int = 4, dbPath: String? = nil
    ) async throws -> Report {
        var configuration = EmulatorConfiguration(dbPath: dbPath, apiKeys: ["bench"], rateLimit: nil)
        configuration.logger.logLevel = .warning
        let server = try EmulatorServer(configuration: configuration)
        let base = try await server.start()
        let port = Int(base.split(separator: ":").last ?? "0") ?? 0
        let host = configuration.host
        let headers = ["Authorization": "Bearer bench", "Ngrok-Version": "2"]
        let ids = Locked<[String]>([])

        let createTime: Double
        let listTime: Double
        let getTime: Double
        do {
            createTime = try await onThreads(connections) { index in
                let client = LoopbackHTTPClient(host: host, port: port)
                for i in stride(from: index, to: creates, by: connections) {
                    let reply = try client.send("POST", "/credentials", headers: headers, body: "{\"description\":\"bench \(i)\"}")
                    guard reply.status == 201 else { throw LoopbackHTTPClient.Failure(description: "create: \(reply.status)") }
                    if let id = try WireValue(jsonText: reply.body)["id"]?.stringValue {
                        ids.withLock { $0.append(id) }
                    }
                }
            }
            listTime = try await onThreads(connections) { index in
                let client = LoopbackHTTPClient(host: host, port: port)
                for _ in stride(from: index, to: lists, by: connections) {
                    let reply = try client.send("GET", "/credentials?limit=100", headers: headers)
                    guard reply.status == 200 else { throw LoopbackHTTPClient.Failure(description: "list: \(reply.status)") }
                }
            }
            let known = ids.withLock { $0 }
            getTime = try await onThreads(connections) { index in
                let client = LoopbackHTTPClient(host: host, port: port)
                for i in stride(from: index, to: gets, by: connections) {
                    let reply = try client.send("GET", "/credentials/\(known[i % max(1, known.count)])", headers: headers)
                    guard reply.status == 200 else { throw LoopbackHTTPClient.Failure(description: "get: \(reply.status)") }
                }
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        return Report(
            connections: connections, creates: creates, createsPerSecond: Double(creates) / createTime, lists: lists,
            listsPerSecond: Double(lists) / listTime, gets: gets, getsPerSecond: Double(gets) / getTime,
            persistent: dbPath != nil)
    }

    /// Runs `body(i)` on `count` dedicated threads and returns the elapsed seconds.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) async throws -> Double {
        let start = Date()
        let failure = Locked<(any Error)?>(nil)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let remaining = Locked(count)
            for index in 0..<count {
                let thread = Thread {
                    do { try body(index) } catch { failure.withLock { $0 = error } }
                    if remaining.withLock({ value -> Int in
                        value -= 1
                        return value
                    }) == 0 {
                        continuation.resume()
                    }
                }
                thread.start()
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return Date().timeIntervalSince(start)
    }
}

/// A mutex-protected value that closures can capture (a `Mutex` is not copyable).
private final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try mutex.withLock { try body(&$0) }
    }
}
