import Controller
import Foundation
import GitSource
import ServiceLifecycle
import TestSupport
import Testing

@Suite struct ControllerLoopTests {
    @Test func picksUpCommitsThatAddChangeRenameAndRemoveFiles() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/ngrokctl.yaml", "stack\n")
        try fixture.write("stack/a.yaml", "one\n")
        try fixture.write("elsewhere.txt", "not in the stack\n")
        let first = try fixture.commit("add")
        let engine = FakeEngine()
        let controller = try Controller(configuration: testConfiguration(fixture), engine: engine, logger: .quiet)
        try await withRunningController(controller) { _ in
            let initial = try await engine.waitForCall { $0.commit == first }
            #expect(initial.files == ["ngrokctl.yaml": "stack\n", "a.yaml": "one\n"])

            try fixture.write("stack/a.yaml", "two\n")
            let changed = try fixture.commit("change")
            #expect(try await engine.waitForCall { $0.commit == changed }.files["a.yaml"] == "two\n")

            try FileManager.default.createDirectory(atPath: fixture.work + "/stack/policies", withIntermediateDirectories: true)
            try fixture.git(["mv", "stack/a.yaml", "stack/policies/b.yaml"])
            let renamed = try fixture.commit("rename")
            let afterRename = try await engine.waitForCall { $0.commit == renamed }
            #expect(Set(afterRename.files.keys) == ["ngrokctl.yaml", "policies/b.yaml"])

            try fixture.remove("stack/policies/b.yaml")
            let removed = try fixture.commit("remove")
            #expect(try await engine.waitForCall { $0.commit == removed }.files == ["ngrokctl.yaml": "stack\n"])

            // Each commit was synced once (the interval is 200 ms, the drift interval 60 s).
            #expect(engine.calls.map(\.commit) == [first, changed, renamed, removed])
            try await eventually("the last good commit to be \(removed)") { controller.status.lastGoodCommit == removed }
        }
    }

    @Test func invalidCommitIsNeverRecordedAsGoodAndDriftEnforcesTheLastGood() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "good\n")
        let good = try fixture.commit("good")
        let engine = FakeEngine { snapshot in
            snapshot.files.values.contains(Array("broken\n".utf8))
                ? SyncReport(result: .invalid, errorText: "a.yaml:1:1: error: broken")
                : SyncReport(result: .noChange, driftObjects: 0)
        }
        let config = testConfiguration(fixture, interval: .milliseconds(100), drift: .milliseconds(400))
        let controller = try Controller(configuration: config, engine: engine, logger: .quiet)
        try await withRunningController(controller) { port in
            try await engine.waitForCall { $0.commit == good }
            try fixture.write("stack/a.yaml", "broken\n")
            let bad = try fixture.commit("bad")
            try await engine.waitForCall { $0.commit == bad }
            let index = engine.calls.count
            // The next drift check reconciles with the last good snapshot, not the invalid one.
            let drift = try await engine.waitForCall(after: index) { _ in true }
            #expect(drift.commit == good)
            #expect(drift.files["a.yaml"] == "good\n")
            #expect(engine.calls.filter { $0.commit == bad }.count == 1)
            let status = controller.status
            #expect(status.lastGoodCommit == good)
            #expect(status.commit == bad)
            #expect(status.invalidCommit == bad)
            #expect(try await http("GET", port: port, "/readyz").status == 200)
            let json = try await http("GET", port: port, "/status").body
            #expect(json.contains(#""invalidCommit" : "\#(bad)""#))
        }
    }

    @Test func driftCheckRunsAfterTheDriftInterval() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        let head = try fixture.commit("one")
        let engine = FakeEngine { _ in SyncReport(result: .applied, changes: ["update": 1], driftObjects: 1) }
        let config = testConfiguration(fixture, interval: .milliseconds(50), drift: .milliseconds(200))
        let controller = try Controller(configuration: config, engine: engine, logger: .quiet)
        let start = ContinuousClock.now
        try await withRunningController(controller) { _ in
            try await engine.waitForCall { $0.commit == head }
            try await engine.waitForCall(after: 1) { $0.commit == head }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(200))
            try await eventually("the drift check to be recorded") {
                controller.status.lastReason == .drift && controller.status.driftCount >= 1
            }
        }
    }

    @Test func gracefulShutdownFinishesTheSyncInFlight() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        try fixture.commit("one")
        let engine = FakeEngine(delay: .milliseconds(800))
        let controller = try Controller(configuration: testConfiguration(fixture), engine: engine, logger: .quiet)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [controller], logger: .quiet))
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await engine.waitForCall()
            #expect(engine.finished == 0)
            await group.triggerGracefulShutdown()  // SIGTERM does this
            try await tasks.waitForAll()  // run() returned without error
        }
        #expect(engine.finished == 1)
        #expect(engine.calls.count == 1)
        #expect(controller.status.lastResult == .applied)
        #expect(controller.status.phase == "stopped")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func secondControllerOnTheSameStateDirectoryRefuses() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        try fixture.commit("one")
        let engine = FakeEngine()
        let first = try Controller(configuration: testConfiguration(fixture), engine: engine, logger: .quiet)
        try await withRunningController(first) { _ in
            let second = try Controller(configuration: testConfiguration(fixture), engine: engine, logger: .quiet)
            let error = await #expect(throws: StateDirectoryLock.LockedError.self) { try await second.run() }
            #expect(error?.holderPID == getpid())
            #expect(error?.description.contains("pid \(getpid())") == true)
        }
        // Released on stop: a new controller can start.
        let third = try Controller(configuration: testConfiguration(fixture), engine: engine, logger: .quiet)
        try await withRunningController(third) { _ in }
    }

    @Test func restartRestoresTheLastGoodCommit() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "good\n")
        let good = try fixture.commit("good")
        let engine = FakeEngine { snapshot in
            snapshot.files["a.yaml"] == Array("broken\n".utf8) ? SyncReport(result: .invalid) : SyncReport(result: .noChange)
        }
        let config = testConfiguration(fixture, interval: .milliseconds(100), drift: .milliseconds(300))
        try await withRunningController(try Controller(configuration: config, engine: engine, logger: .quiet)) { _ in
            try await engine.waitForCall { $0.commit == good }
        }
        try fixture.write("stack/a.yaml", "broken\n")
        let bad = try fixture.commit("bad")
        let restarted = try Controller(configuration: config, engine: engine, logger: .quiet)
        let index = engine.calls.count
        try await withRunningController(restarted) { _ in
            try await engine.waitForCall(after: index) { $0.commit == bad }
            // Drift after restart: the persisted last good commit, read from the git cache.
            let drift = try await engine.waitForCall(after: index + 1) { _ in true }
            #expect(drift.commit == good)
        }
    }

    @Test func dryRunIsPassedToTheEngine() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        try fixture.commit("one")
        let engine = FakeEngine { _ in SyncReport(result: .planned, changes: ["create": 3]) }
        var config = testConfiguration(fixture)
        config.dryRun = true
        let controller = try Controller(configuration: config, engine: engine, logger: .quiet)
        try await withRunningController(controller) { port in
            let call = try await engine.waitForCall()
            #expect(call.dryRun)
            let status = try await http("GET", port: port, "/status")
            #expect(status.body.contains(#""dryRun" : true"#))
        }
    }
}
