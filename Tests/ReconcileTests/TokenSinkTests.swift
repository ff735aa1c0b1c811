import Foundation
import Logging
import NgrokModel
import Reconcile
import Synchronization
import Testing

/// The token writer: nothing planted can receive a token, the directory must be private, a
/// failure leaves no temp file, and a token that cannot be delivered takes its credential with it.
@Suite(.serialized) struct TokenSinkTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ngrokctl-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    @Test func plantedSymlinkAtTheTempPathReceivesNothing() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let tokens = root.appendingPathComponent("tokens")
        let outside = root.appendingPathComponent("outside")
        var sink = TokenSink(directory: tokens.path)
        try sink.prepareDirectory()
        let names = NameSequence(["planted", "fresh1", "fresh2", "fresh3", "fresh4"])
        sink.temporaryName = { names.next() }
        try FileManager.default.createSymbolicLink(
            atPath: tokens.appendingPathComponent(".dev.token.tmp-planted").path, withDestinationPath: outside.path)
        try sink.write(token: "tok-secret-1", credential: "dev", id: "cr_1")
        #expect(!FileManager.default.fileExists(atPath: outside.path), "the token followed a planted symlink")
        #expect(try String(contentsOfFile: sink.path(for: "dev"), encoding: .utf8) == "tok-secret-1\n")
        #expect(Self.mode(sink.path(for: "dev")) == 0o600)
        #expect(Self.mode(tokens.path) == 0o700)
        // Only the planted link (left alone) and the token file: no temp file.
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: tokens.path)) == [".dev.token.tmp-planted", "dev.token"])
    }

    @Test func directoryMustBePrivateAndOwned() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let tokens = root.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: tokens, withIntermediateDirectories: true)
        chmod(tokens.path, 0o777)
        let sink = TokenSink(directory: tokens.path)
        #expect(throws: TokenSinkError.self) { try sink.write(token: "tok-secret-2", credential: "dev", id: "cr_1") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: tokens.path).isEmpty)
        do {
            try sink.write(token: "tok-secret-2", credential: "dev", id: "cr_1")
        } catch {
            #expect("\(error)".contains("chmod 700"), "\(error)")
            #expect(!"\(error)".contains("tok-secret-2"))
        }
        chmod(tokens.path, 0o700)
        if geteuid() == 0 {
            chown(tokens.path, 65534, 65534)
            #expect(throws: TokenSinkError.self) { try sink.write(token: "tok-secret-2", credential: "dev", id: "cr_1") }
            chown(tokens.path, 0, 0)
        }
        try sink.write(token: "tok-secret-2", credential: "dev", id: "cr_1")
        #expect(FileManager.default.fileExists(atPath: sink.path(for: "dev")))
    }

    @Test func failedWriteLeavesNoTempFileAndChangesNothing() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let sink = TokenSink(directory: root.appendingPathComponent("tokens").path)
        try sink.write(token: "tok-old", credential: "dev", generation: 1)
        // The generation file's place is taken by a directory: its rename fails.
        try FileManager.default.createDirectory(atPath: sink.path(for: "dev", generation: 2), withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: sink.path(for: "dev", generation: 2) + "/keep", contents: Data()))
        #expect(throws: TokenSinkError.self) { try sink.write(token: "tok-new", credential: "dev", generation: 2) }
        let names = try FileManager.default.contentsOfDirectory(atPath: sink.directory)
        #expect(!names.contains { $0.contains(".tmp-") || $0.contains(".old-") }, "temp files left: \(names)")
        #expect(try String(contentsOfFile: sink.path(for: "dev"), encoding: .utf8) == "tok-old\n")
    }

    @Test func undeliverableTokenDeletesTheNewCredential() async throws {
        let h = try await Harness.start()
        try h.write(AcceptanceTests.doc("Credential", "dev", "acl: [\"*\"]"))
        let plan = try await h.plan()
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        // An unusable directory fails the create before it is sent.
        let blocked = h.directory.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        chmod(blocked.path, 0o777)
        let early = await Executor(api: h.api, concurrency: 2, tokens: TokenSink(directory: blocked.path), logger: quiet).execute(plan)
        #expect(early.failed == 1)
        #expect(try await h.api.snapshot().all(.credential).isEmpty)
        // A write that fails after the create (the file's place is taken): the credential is deleted.
        let tokens = h.directory.appendingPathComponent("tokens")
        try FileManager.default.createDirectory(at: tokens.appendingPathComponent("dev.token"), withIntermediateDirectories: true)
        let result = await Executor(api: h.api, concurrency: 2, tokens: TokenSink(directory: tokens.path), logger: quiet).execute(plan)
        #expect(result.failed == 1)
        guard case .failed(let why)? = result.outcomes.values.first else { Issue.record("no failure"); return }
        #expect(why.contains("could not be delivered") && why.contains("was deleted"), "\(why)")
        let live = try await h.api.snapshot()
        #expect(live.all(.credential).isEmpty, "a credential whose token nobody has stayed")
        await h.stop()
    }

    @Test func credentialWithoutItsTokenFileIsReplaced() async throws {
        let h = try await Harness.start()
        try h.write(AcceptanceTests.doc("Credential", "dev", "acl: [\"*\"]"))
        try await h.converge()
        let first = try await h.api.snapshot().all(.credential).map(\.id)
        try FileManager.default.removeItem(at: h.directory.appendingPathComponent("tokens/dev.token"))
        let plan = try await h.plan()
        let text = PlanRenderer.text(plan, color: false)
        #expect(text.contains("replace (delete first): token never delivered"), "\(text)")
        #expect(plan.operations.map(\.action) == [.delete, .create])
        try await h.converge()
        let after = try await h.api.snapshot().all(.credential).map(\.id)
        #expect(after.count == 1 && after != first)
        let token = try String(contentsOf: h.directory.appendingPathComponent("tokens/dev.token"), encoding: .utf8)
        #expect(token.hasPrefix(String(after[0].dropFirst(3)) + "_"))
        try await h.expectEmptyPlan()
        await h.stop()
    }
}

final class NameSequence: Sendable {
    private let names: Mutex<[String]>
    init(_ names: [String]) { self.names = Mutex(names) }
    func next() -> String { names.withLock { $0.isEmpty ? UUID().uuidString : $0.removeFirst() } }
}
