import Emulator
import Foundation
import Logging
import NgrokModel
import Reconcile
import Synchronization
import Testing

/// A clock tests move by hand: the emulator's `created_at` and the planner's "now" both read it.
final class TestClock: Sendable {
    private let value = Mutex(Date())
    var now: Date { value.withLock { $0 } }
    func advance(days: Double) { value.withLock { $0 = $0.addingTimeInterval(days * 86_400) } }
    var closure: @Sendable () -> Date { { self.now } }
}

/// Credential rotation against the real emulator, with an injected clock (no sleeping).
@Suite(.serialized) struct RotationTests {
    static let address = ResourceAddress(.credential, "dev")

    static func credential(_ rotation: String?) -> String {
        AcceptanceTests.doc(
            "Credential", "dev", "acl: [\"*\"]" + (rotation.map { "\nrotation: \($0)" } ?? ""))
    }

    /// Live generations of Credential/dev, oldest first: (generation, id, created_at).
    static func generations(_ h: Harness) async throws -> [(gen: Int, id: String)] {
        let live = try await h.api.snapshot()
        return (live.owned(by: "acc")[address] ?? []).map { ($0.marker?.generation ?? 1, $0.id) }.sorted { $0.gen < $1.gen }
    }

    static func token(_ h: Harness, _ name: String) -> String? {
        (try? String(contentsOf: h.directory.appendingPathComponent("tokens/\(name)"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The emulator's tokens start with the KSUID of their credential's ID.
    static func tokenBelongs(_ token: String?, to id: String) -> Bool {
        guard let token else { return false }
        return token.hasPrefix(String(id.dropFirst(3)) + "_")
    }

    static func files(_ h: Harness) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: h.directory.appendingPathComponent("tokens").path)) ?? [])
    }

    func makePlan(_ h: Harness, _ clock: TestClock, rotateNow: Bool = false, revokeNow: Bool = false) async throws -> Plan {
        var options = PlanOptions()
        options.now = clock.now
        if rotateNow {
            options.targets = [Self.address]
            options.rotateNow = [Self.address]
            options.revokeNow = revokeNow
        }
        return try await h.plan(options: options)
    }

    @Test func threePeriodsKeepOneOrTwoGenerationsWithMatchingTokenFiles() async throws {
        let clock = TestClock()
        let h = try await Harness.start(clock: clock.closure)
        try h.write(Self.credential("{every: 10d, overlap: 3d}"))
        var rotations = 0
        var revocations = 0
        /// When each generation's successor was created (by the injected clock).
        var successorCreated: [Int: Date] = [:]
        for day in 0...33 {
            if day > 0 { clock.advance(days: 1) }
            let before = try await Self.generations(h)
            let plan = try await makePlan(h, clock)
            #expect(plan.errors.isEmpty, "day \(day): \(plan.errors)")
            #expect(plan.deletionCount == 0, "day \(day): revocations are not counted as deletions")
            rotations += plan.operations.filter { $0.action == .rotate }.count
            revocations += plan.operations.filter { $0.action == .revoke }.count
            if !plan.isEmpty {
                let result = await h.apply(plan)
                #expect(result.ok, "day \(day): \(result.outcomes)")
            }
            #expect(try await makePlan(h, clock).isEmpty, "day \(day): plan not empty after apply")
            let after = try await Self.generations(h)
            for g in after where !before.contains(where: { $0.gen == g.gen }) && g.gen > 1 {
                successorCreated[g.gen - 1] = clock.now
            }
            #expect((1...2).contains(after.count), "day \(day): \(after.count) live generations")
            // The token files match the live generations exactly.
            let expected = Set(after.map { TokenSink.fileName(credential: "dev", generation: $0.gen) } + ["dev.token"])
            #expect(Self.files(h) == expected, "day \(day): files \(Self.files(h)) for \(after.map(\.gen))")
            for g in after {
                #expect(Self.tokenBelongs(Self.token(h, "dev.gen-\(g.gen).token"), to: g.id), "day \(day): gen \(g.gen) file")
            }
            #expect(Self.tokenBelongs(Self.token(h, "dev.token"), to: after.last!.id), "day \(day): dev.token is not the newest")
            // An older generation stays valid until its successor has existed for the overlap.
            for old in before where !after.contains(where: { $0.gen == old.gen }) {
                let since = successorCreated[old.gen].map { clock.now.timeIntervalSince($0) } ?? 0
                #expect(since >= 3 * 86_400, "day \(day): generation \(old.gen) revoked \(since / 86_400) days after its successor")
            }
            for old in after.dropLast() {
                let since = successorCreated[old.gen].map { clock.now.timeIntervalSince($0) } ?? 0
                #expect(since < 3 * 86_400, "day \(day): generation \(old.gen) outlived its overlap")
            }
        }
        #expect(rotations == 3)
        #expect(revocations == 3)
        #expect(try await Self.generations(h).map(\.gen) == [4])
        await h.stop()
    }

    @Test func rotatePlanTextAndACLChangesReachEveryGeneration() async throws {
        let clock = TestClock()
        let h = try await Harness.start(clock: clock.closure)
        try h.write(Self.credential("{every: 10d, overlap: 3d}"))
        try await h.converge()
        clock.advance(days: 10)
        let plan = try await makePlan(h, clock)
        let text = PlanRenderer.text(plan, color: false)
        #expect(text.contains("+ rotate  Credential/dev"), "\(text)")
        #expect(text.contains("generation 2; generation 1 revoked after overlap, at "), "\(text)")
        #expect(text.contains("1 to rotate"), "\(text)")
        #expect(await h.apply(plan).ok)
        // Both live generations get the new ACL.
        try h.write(AcceptanceTests.doc("Credential", "dev", "acl: [\"bind:x.example.com\"]\nrotation: {every: 10d, overlap: 3d}"))
        let change = try await makePlan(h, clock)
        #expect(change.operations.map(\.action) == [.update, .update], "\(PlanRenderer.text(change, color: false))")
        #expect(await h.apply(change).ok)
        #expect(try await makePlan(h, clock).isEmpty)
        // Removing the credential deletes every generation, and those deletions count.
        try h.write("")
        let prune = try await makePlan(h, clock)
        #expect(prune.deletionCount == 2)
        #expect(await h.apply(prune).ok)
        #expect(Self.files(h).isEmpty, "token files of a removed credential stay: \(Self.files(h))")
        await h.stop()
    }

    @Test func revokeNowLeavesExactlyOneGeneration() async throws {
        let clock = TestClock()
        let h = try await Harness.start(clock: clock.closure)
        try h.write(Self.credential("{every: 90d, overlap: 7d}"))
        try await h.converge()
        let forced = try await makePlan(h, clock, rotateNow: true)
        #expect(forced.operations.map(\.action) == [.rotate])
        #expect(await h.apply(forced).ok)
        #expect(try await Self.generations(h).map(\.gen) == [1, 2])
        let emergency = try await makePlan(h, clock, rotateNow: true, revokeNow: true)
        #expect(Set(emergency.operations.map(\.action)) == [.rotate, .revoke])
        #expect(emergency.operations.filter { $0.action == .revoke }.allSatisfy { !$0.dependsOn.isEmpty })
        #expect(await h.apply(emergency).ok)
        let left = try await Self.generations(h)
        #expect(left.map(\.gen) == [3])
        #expect(Self.files(h) == ["dev.token", "dev.gen-3.token"])
        #expect(Self.tokenBelongs(Self.token(h, "dev.token"), to: left[0].id))
        #expect(try await makePlan(h, clock).isEmpty)
        await h.stop()
    }

    @Test func failingTokenCommandLeavesThePreviousGenerationUntouched() async throws {
        let clock = TestClock()
        let h = try await Harness.start(clock: clock.closure)
        try h.write(Self.credential("{every: 10d, overlap: 3d}"))
        try await h.converge()
        let before = try await Self.generations(h)
        let tokenBefore = Self.token(h, "dev.token")
        clock.advance(days: 11)
        let plan = try await makePlan(h, clock)
        #expect(plan.operations.map(\.action) == [.rotate])
        var sink = TokenSink(directory: h.directory.appendingPathComponent("tokens").path)
        // Echoes the token back: the error must not.
        sink.command = TokenCommand(command: "cat; echo 'vault: permission denied' >&2; exit 3")
        let executor = Executor(
            api: h.api, concurrency: 2, tokens: sink, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let result = await executor.execute(plan)
        #expect(result.failed == 1)
        guard case .failed(let why)? = result.outcomes.values.first else { Issue.record("no failure"); return }
        #expect(why.contains("tokenCommand failed for Credential/dev (exit status 3)"), "\(why)")
        #expect(why.contains("permission denied") && why.contains("(token)"), "\(why)")
        #expect(!why.contains(try Regex("[0-9A-Za-z]{27}_[0-9A-Za-z]{21}")), "the error shows a token")
        #expect(try await Self.generations(h).map(\.id) == before.map(\.id), "a new generation stayed, or the old one went")
        #expect(Self.token(h, "dev.token") == tokenBefore)
        #expect(Self.files(h) == ["dev.token", "dev.gen-1.token"])

        // A working command gets the token on stdin and the credential in its environment.
        let out = h.directory.appendingPathComponent("pushed")
        sink.command = TokenCommand(
            command: "cat > '\(out.path)'; printf '%s %s %s' \"$NGROKCTL_CREDENTIAL\" \"$NGROKCTL_GENERATION\" \"$NGROKCTL_CREDENTIAL_ID\" > '\(out.path).env'; "
                + "test -z \"$NGROK_API_KEY\"")
        let retry = try await makePlan(h, clock)
        let ok = await Executor(
            api: h.api, concurrency: 2, tokens: sink, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ).execute(retry)
        #expect(ok.ok, "\(ok.outcomes)")
        let now = try await Self.generations(h)
        #expect(now.map(\.gen) == [1, 2])
        let pushed = try String(contentsOf: out, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(pushed == Self.token(h, "dev.gen-2.token"))
        #expect(try String(contentsOf: URL(fileURLWithPath: out.path + ".env"), encoding: .utf8) == "dev 2 \(now[1].id)")
        await h.stop()
    }

    @Test func importRecognisesGenerationsOfOneCredential() async throws {
        let clock = TestClock()
        let h = try await Harness.start(clock: clock.closure)
        try h.write(Self.credential("{every: 10d, overlap: 3d}"))
        try await h.converge()
        clock.advance(days: 10)
        #expect(await h.apply(try await makePlan(h, clock)).ok)
        #expect(try await Self.generations(h).count == 2)
        let result = StackImporter(live: try await h.api.snapshot(), options: .init(stack: "acc")).run()
        #expect(result.imported == [Self.address], "\(result.imported)")
        #expect(LiveNames(try await h.api.snapshot()).addressOfID.values.filter { $0.kind == .credential }.allSatisfy { $0 == Self.address })
        await h.stop()
    }

    /// A credential adopted from the account has a token ngrokctl never saw: no token file is
    /// expected for it, and it is not replaced.
    @Test func adoptedCredentialIsNotReplacedForLackOfATokenFile() async throws {
        let h = try await Harness.start()
        _ = try await h.api.send(
            method: .post, path: "/credentials",
            body: Array(#"{"acl":["*"],"description":"made by hand"}"#.utf8))
        try h.write(AcceptanceTests.doc("Credential", "dev", "acl: [\"*\"]\ndescription: made by hand\nadopt: true"))
        let adopt = try await h.plan()
        #expect(adopt.operations.map(\.action) == [.adopt], "\(PlanRenderer.text(adopt, color: false))")
        try await h.converge()
        try await h.expectEmptyPlan()
        #expect(!FileManager.default.fileExists(atPath: h.directory.appendingPathComponent("tokens/dev.token").path))
        await h.stop()
    }

    @Test func rotationIsValidatedInTheManifest() async throws {
        let h = try await Harness.start()
        try h.write(Self.credential("{every: 7d, overlap: 7d}"))
        let loaded = h.session.load(.directory(h.directory.path, commit: nil))
        #expect(loaded.diagnostics.errors.contains { $0.message.contains("overlap (604800s) must be less than every") }, "\(loaded.diagnostics)")
        try h.write(Self.credential("{every: 90d}"))
        let missing = h.session.load(.directory(h.directory.path, commit: nil))
        #expect(missing.diagnostics.errors.contains { $0.description.contains("overlap") }, "\(missing.diagnostics)")
        await h.stop()
    }
}
