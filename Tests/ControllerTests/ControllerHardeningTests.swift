import Controller
import Foundation
import GitSource
import Logging
import Synchronization
import TestSupport
import Testing

/// A log handler that keeps every rendered line (message and metadata).
final class RecordingLog: Sendable {
    let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var logger: Logger {
        let recorder = self
        var logger = Logger(label: "test") { _ in Handler(recorder: recorder) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let recorder: RecordingLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.lines.withLock { $0.append("\(event.level) \(event.message) \(merged)") }
        }
    }
}

@Suite struct ControllerHardeningTests {
    /// Replayed push deliveries (new delivery ids, same signed body) and a burst of pushes do not
    /// drive syncs: a push of the commit already synced is acknowledged and ignored, and
    /// webhook-triggered syncs start at most once per `webhookMinInterval`.
    @Test func replayedWebhooksDoNotDriveSyncs() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        let first = try fixture.commit("one")
        let engine = FakeEngine()
        var configuration = testConfiguration(fixture, interval: .seconds(3600), drift: .seconds(3600))
        configuration.webhookMinInterval = .seconds(3600)
        let controller = try Controller(configuration: configuration, engine: engine, logger: .quiet)
        try await withRunningController(controller) { port in
            try await engine.waitForCall { $0.commit == first }
            func push(_ after: String) -> [UInt8] {
                Array(#"{"ref":"refs/heads/main","after":"\#(after)"}"#.utf8)
            }
            // Twenty replays of the push of the synced commit.
            let synced = push(first)
            for _ in 0..<20 {
                let response = try await http("POST", port: port, "/webhook/github", headers: webhookHeaders(synced), body: synced)
                #expect(response.status == 200)
            }
            #expect(engine.calls.count == 1)

            // A real push: one webhook sync.
            try fixture.write("stack/a.yaml", "b\n")
            let second = try fixture.commit("two")
            let announced = push(second)
            #expect(try await http("POST", port: port, "/webhook/github", headers: webhookHeaders(announced), body: announced).status == 202)
            try await engine.waitForCall { $0.commit == second }
            // Replays of it, and pushes of commits not seen yet, inside the interval: one
            // queued (coalesced) sync at most, none now.
            for index in 0..<20 {
                let body = index % 2 == 0 ? announced : push(String(repeating: String(index % 10), count: 40))
                let status = try await http("POST", port: port, "/webhook/github", headers: webhookHeaders(body), body: body).status
                #expect(status == 200 || status == 202)
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(engine.calls.count == 2, "syncs: \(engine.calls.map(\.commit))")
            // The same delivery id twice is still a duplicate.
            let headers = webhookHeaders(announced, delivery: "fixed-id")
            _ = try await http("POST", port: port, "/webhook/github", headers: headers, body: announced)
            #expect(try await http("POST", port: port, "/webhook/github", headers: headers, body: announced).status == 204)
        }
    }

    /// A commit over a read cap is invalid (not retried, not applied) and the last good commit
    /// stays enforced on drift checks.
    @Test func aCommitOverAReadCapIsInvalidAndTheLastGoodStaysEnforced() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/ngrokctl.yaml", "stack\n")
        try fixture.write("stack/a.yaml", "a\n")
        let good = try fixture.commit("good")
        let engine = FakeEngine()
        var configuration = testConfiguration(fixture, interval: .milliseconds(100), drift: .milliseconds(400))
        configuration.gitMaxFiles = 3
        let controller = try Controller(configuration: configuration, engine: engine, logger: .quiet)
        try await withRunningController(controller) { _ in
            try await engine.waitForCall { $0.commit == good }
            for index in 0..<5 { try fixture.write("stack/more\(index).yaml", "x\n") }
            let tooMany = try fixture.commit("too many files")
            try? await eventually("the commit to be invalid", timeout: .seconds(20)) { controller.status.invalidCommit == tooMany }
            let status = controller.status
            #expect(status.invalidCommit == tooMany)
            #expect(status.lastGoodCommit == good)
            #expect(status.lastError?.contains("more than 3 files") == true, "\(status.lastError ?? "")")
            // The engine never saw the commit; the drift check enforces the good one.
            let index = engine.calls.count
            let drift = try await engine.waitForCall(after: index) { _ in true }
            #expect(drift.commit == good)
            #expect(!engine.calls.contains { $0.commit == tooMany })
        }
    }

    /// A token in the repository URL never reaches the log, `/status` or `/metrics`.
    @Test func credentialsInTheGitURLAreNeverShown() async throws {
        let fixture = try GitFixture()
        let closed = try GitFixture.run(
            "/usr/bin/python3", ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"],
            in: fixture.root)
        var configuration = testConfiguration(fixture)
        configuration.gitURL = "https://x-access-token:ghp_urlcanary42@127.0.0.1:\(closed)/acme/config.git?access_token=querycanary"
        let log = RecordingLog()
        let controller = try Controller(configuration: configuration, engine: FakeEngine(), logger: log.logger)
        try await withRunningController(controller) { port in
            try? await eventually("an error", timeout: .seconds(20)) { controller.status.lastError != nil }
            let status = try await http("GET", port: port, "/status")
            let metrics = try await http("GET", port: port, "/metrics")
            #expect(status.body.contains("lastError"))
            for (name, text) in [("status", status.body), ("metrics", metrics.body), ("log", log.text)] {
                #expect(!text.contains("canary"), "\(name) shows the credential: \(text)")
            }
            #expect(log.text.contains("127.0.0.1:\(closed)/acme/config.git"))
        }
    }

    /// The failure backoff is jittered: controllers failing together do not retry in lock-step.
    @Test func failureBackoffIsJittered() {
        let t0 = ContinuousClock.now
        var delays: Set<Duration> = []
        for seed in UInt64(1)...8 {
            var machine = ControllerStateMachine(
                configuration: .init(interval: .seconds(60), jitter: 0.2, backoffBase: .seconds(5), backoffCap: .seconds(300)),
                now: t0, seed: seed)
            _ = machine.wake(now: t0)
            _ = machine.pollSucceeded(commit: "a", now: t0)
            guard case .sleep(let until) = machine.syncFinished(commit: "a", outcome: .failed, now: t0) else {
                Issue.record("a failed sync should sleep")
                continue
            }
            let delay = t0.duration(to: until)
            #expect(delay >= .seconds(4) && delay <= .seconds(6), "\(delay)")
            delays.insert(delay)
        }
        #expect(delays.count > 1, "every controller would retry after exactly the same delay")
    }
}
