import Controller
import Foundation
import GitSource
import Logging
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

/// A sync engine that records every snapshot it gets and answers what the test says.
final class FakeEngine: SyncEngine, Sendable {
    struct Call: Sendable {
        var commit: String
        var files: [String: String]
        var dryRun: Bool
    }

    private let state = Mutex<(calls: [Call], finished: Int)>(([], 0))
    private let answer: @Sendable (SourceSnapshot) -> SyncReport
    private let delay: Duration
    private let held: Mutex<Bool>

    /// `hold`: every sync waits until `release()`.
    init(delay: Duration = .zero, hold: Bool = false, answer: @escaping @Sendable (SourceSnapshot) -> SyncReport = { _ in SyncReport(result: .applied) }) {
        self.delay = delay
        self.answer = answer
        self.held = Mutex(hold)
    }

    func release() { held.withLock { $0 = false } }

    var calls: [Call] { state.withLock { $0.calls } }
    var finished: Int { state.withLock { $0.finished } }

    func sync(_ snapshot: SourceSnapshot, dryRun: Bool) async throws -> SyncReport {
        let files = snapshot.files.mapValues { String(decoding: $0, as: UTF8.self) }
        state.withLock { $0.calls.append(Call(commit: snapshot.commit, files: files, dryRun: dryRun)) }
        while held.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
        if delay > .zero {
            // Graceful shutdown does not cancel the sync: this sleep runs to its end.
            try? await Task.sleep(for: delay)
        }
        state.withLock { $0.finished += 1 }
        return answer(snapshot)
    }

    /// Waits until a call satisfies `predicate`; returns it.
    @discardableResult
    func waitForCall(
        timeout: Duration = .seconds(10), after index: Int = 0, _ predicate: @escaping (Call) -> Bool = { _ in true }
    ) async throws -> Call {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let call = calls.dropFirst(index).first(where: predicate) { return call }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw FixtureError(message: "no matching sync within \(timeout); calls: \(calls.map(\.commit))")
    }
}

extension Logger {
    static var quiet: Logger {
        var logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        return logger
    }
}

func testConfiguration(
    _ fixture: GitFixture, interval: Duration = .milliseconds(200), drift: Duration = .seconds(60),
    secret: String? = "s3cret", state: String? = nil
) -> ControllerConfiguration {
    ControllerConfiguration(
        gitURL: fixture.remote, ref: "main", path: "stack", interval: interval, driftInterval: drift,
        listenHost: "127.0.0.1", listenPort: 0, stateDirectory: state ?? fixture.root + "/state",
        webhookSecret: secret.map { .value($0) }, jitter: 0, fetchTimeout: .seconds(10),
        backoffBase: .milliseconds(100), backoffCap: .seconds(1))
}

/// Runs the controller in a service group for the duration of `body`, then shuts it down
/// gracefully (what SIGTERM does) and waits for it to stop.
func withRunningController(
    _ controller: Controller, _ body: (Int) async throws -> Void
) async throws {
    let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [controller], logger: .quiet))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let port = try await controller.waitUntilListening()
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// A small HTTP client: /usr/bin/curl through Process.
struct HTTPResult {
    var status: Int
    var body: String
}

/// Runs curl on a dispatch thread: blocking the cooperative pool while the server (which needs
/// that pool) answers would starve both on a 2-core machine.
func http(
    _ method: String, port: Int, _ path: String, headers: [String: String] = [:], body: [UInt8]? = nil
) async throws -> HTTPResult {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try blockingHTTP(method, port: port, path, headers: headers, body: body) })
        }
    }
}

func blockingHTTP(
    _ method: String, port: Int, _ path: String, headers: [String: String] = [:], body: [UInt8]? = nil
) throws -> HTTPResult {
    var arguments = ["-s", "-S", "--max-time", "10", "-X", method, "-o", "-", "-w", "\n%{http_code}"]
    for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
    var bodyFile: String?
    if let body {
        let path = NSTemporaryDirectory() + "ngrokctl-body-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: path, contents: Data(body))
        bodyFile = path
        arguments += ["-H", "Content-Type: application/json", "--data-binary", "@" + path]
    }
    defer { if let bodyFile { try? FileManager.default.removeItem(atPath: bodyFile) } }
    arguments.append("http://127.0.0.1:\(port)\(path)")
    let output = try GitFixture.run("/usr/bin/curl", arguments, in: NSTemporaryDirectory())
    guard let newline = output.lastIndex(of: "\n") else {
        return HTTPResult(status: Int(output) ?? 0, body: "")
    }
    return HTTPResult(status: Int(output[output.index(after: newline)...]) ?? 0, body: String(output[..<newline]))
}

func pushEvent(ref: String = "refs/heads/main") -> [UInt8] {
    Array(#"{"ref":"\#(ref)","after":"0000000000000000000000000000000000000000","repository":{"full_name":"acme/config"}}"#.utf8)
}

func webhookHeaders(_ body: [UInt8], secret: String = "s3cret", event: String = "push", delivery: String = UUID().uuidString)
    -> [String: String]
{
    [
        "X-GitHub-Event": event, "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": GitHubWebhook.signature(for: body, secret: Array(secret.utf8)),
    ]
}
