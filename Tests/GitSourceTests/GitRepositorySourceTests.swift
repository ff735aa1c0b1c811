import Foundation
import GitSource
import TestSupport
import Testing

@Suite struct GitRepositorySourceTests {
    func source(_ fixture: GitFixture, ref: String = "main", path: String = "", url: String? = nil) throws -> GitRepositorySource {
        try GitRepositorySource(configuration: GitSourceConfiguration(
            url: url ?? fixture.remote, ref: ref, path: path, cacheDirectory: fixture.cache))
    }

    func text(_ snapshot: SourceSnapshot, _ path: String) -> String? {
        snapshot.files[path].map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func clonesAndReadsTheWholeTree() async throws {
        let fixture = try GitFixture()
        try fixture.write("ngrokctl.yaml", "kind: Stack\n")
        try fixture.write("policies/office.yaml", "kind: IPPolicy\n")
        try fixture.write("empty.txt", "")
        let head = try fixture.commit("first")

        let source = try source(fixture)
        let result = try await source.poll(deadline: .now + .seconds(30))
        #expect(result.commit == head)
        #expect(result.fetched)
        #expect(result.resolvedRef == "refs/heads/main")
        let snapshot = try await source.snapshot(commit: result.commit)
        // Manifests are read; other files are listed and read on demand.
        #expect(Set(snapshot.files.keys) == ["ngrokctl.yaml", "policies/office.yaml"])
        #expect(snapshot.allPaths == ["empty.txt", "ngrokctl.yaml", "policies/office.yaml"])
        #expect(text(snapshot, "policies/office.yaml") == "kind: IPPolicy\n")
        #expect(snapshot.unreadFiles == ["empty.txt": 0])
        #expect(try snapshot.read("empty.txt", limit: 10) == [])
        #expect(snapshot.url == fixture.remote)
        #expect(snapshot.ref == "main")
        #expect(FileManager.default.fileExists(atPath: source.cachePath + "/HEAD"))
    }

    @Test func unchangedRemoteIsNotFetchedAndNewCommitsAre() async throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", "1\n")
        let first = try fixture.commit("first")
        let source = try source(fixture)
        #expect(try await source.poll(deadline: .now + .seconds(30)).fetched)

        let again = try await source.poll(deadline: .now + .seconds(30))
        #expect(again.commit == first)
        #expect(!again.fetched)

        try fixture.write("a.yaml", "2\n")
        let second = try fixture.commit("second")
        let moved = try await source.poll(deadline: .now + .seconds(30))
        #expect(moved.commit == second)
        #expect(moved.fetched)
        #expect(text(try await source.snapshot(commit: second), "a.yaml") == "2\n")
        // The old commit is still readable from the cache.
        #expect(text(try await source.snapshot(commit: first), "a.yaml") == "1\n")

        // A second source on the same cache starts from what is there: no fetch.
        let other = try self.source(fixture)
        #expect(try await other.poll(deadline: .now + .seconds(30)).fetched == false)
    }

    @Test func readsUnderASubdirectory() async throws {
        let fixture = try GitFixture()
        try fixture.write("README.md", "hi\n")
        try fixture.write("stacks/prod/ngrokctl.yaml", "prod\n")
        try fixture.write("stacks/prod/policies/a.yaml", "a\n")
        try fixture.write("stacks/dev/ngrokctl.yaml", "dev\n")
        let head = try fixture.commit("layout")
        let source = try source(fixture, path: "./stacks/prod/")
        let snapshot = try await source.fetchSnapshot()
        #expect(snapshot.commit == head)
        #expect(snapshot.path == "stacks/prod")
        #expect(Set(snapshot.files.keys) == ["ngrokctl.yaml", "policies/a.yaml"])

        let missing = try self.source(fixture, path: "stacks/staging")
        let error = await #expect(throws: GitSourceError.self) { try await missing.fetchSnapshot() }
        #expect(error?.code == .pathNotFound)
        #expect(error?.message.contains("stacks/staging") == true)

        let file = try self.source(fixture, path: "README.md")
        let notDirectory = await #expect(throws: GitSourceError.self) { try await file.fetchSnapshot() }
        #expect(notDirectory?.message.contains("not a directory") == true)

        #expect(throws: GitSourceError.self) { try self.source(fixture, path: "../etc") }
    }

    @Test func skipsSymbolicLinks() async throws {
        let fixture = try GitFixture()
        try fixture.write("real.yaml", "x\n")
        try FileManager.default.createSymbolicLink(atPath: fixture.work + "/link.yaml", withDestinationPath: "/etc/passwd")
        try fixture.commit("link")
        let snapshot = try await source(fixture).fetchSnapshot()
        #expect(Set(snapshot.files.keys) == ["real.yaml"])
    }

    @Test func resolvesBranchesTagsAndCommits() async throws {
        let fixture = try GitFixture()
        try fixture.write("v.txt", "one\n")
        let one = try fixture.commit("one")
        try fixture.git(["tag", "v1"])
        try fixture.git(["tag", "-a", "v1-annotated", "-m", "annotated"])
        try fixture.git(["push", "-q", "origin", "v1", "v1-annotated"])
        try fixture.write("v.txt", "two\n")
        let two = try fixture.commit("two")
        try fixture.write("v.txt", "feature\n")
        let feature = try fixture.commit("feature", branch: "feature")

        for (ref, expected) in [
            ("main", two), ("refs/heads/main", two), ("HEAD", two), ("", two),
            ("feature", feature), ("v1", one), ("refs/tags/v1", one), ("tags/v1-annotated", one),
            (one, one), (String(one.prefix(10)), one),
        ] {
            let source = try source(fixture, ref: ref)
            let result = try await source.poll(deadline: .now + .seconds(30))
            #expect(result.commit == expected, "ref \(ref)")
        }
        // An annotated tag polled twice is unchanged the second time.
        let tagged = try source(fixture, ref: "v1-annotated")
        #expect(!(try await tagged.poll(deadline: .now + .seconds(30))).fetched)

        // A commit already cached needs no network at all, even with the remote gone.
        try FileManager.default.removeItem(atPath: fixture.remote)
        let pinned = try source(fixture, ref: two)
        let result = try await pinned.poll(deadline: .now + .seconds(30))
        #expect(result.commit == two)
        #expect(!result.fetched)
    }

    @Test func unknownRefListsWhatExists() async throws {
        let fixture = try GitFixture()
        try fixture.commit("one")
        let source = try source(fixture, ref: "release")
        let error = await #expect(throws: GitSourceError.self) { try await source.poll(deadline: .now + .seconds(30)) }
        #expect(error?.code == .refNotFound)
        #expect(error?.message.contains("ref 'release' not found") == true)
        #expect(error?.message.contains("refs/heads/main") == true)

        let commit = try self.source(fixture, ref: String(repeating: "a", count: 40))
        let missing = await #expect(throws: GitSourceError.self) { try await commit.poll(deadline: .now + .seconds(30)) }
        #expect(missing?.code == .commitNotFound)
    }

    @Test func fileURLsWork() async throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", "a\n")
        let head = try fixture.commit("one")
        let source = try source(fixture, url: "file://" + fixture.remote)
        #expect(try await source.poll(deadline: .now + .seconds(30)).commit == head)
    }

    @Test func badURLsReportLibgit2sMessage() async throws {
        let fixture = try GitFixture()
        let missing = try source(fixture, url: fixture.root + "/does-not-exist.git")
        let error = await #expect(throws: GitSourceError.self) { try await missing.poll(deadline: .now + .seconds(30)) }
        #expect(error?.code == .libgit2)
        #expect(error?.message.contains("does-not-exist.git") == true)

        let refused = try source(fixture, url: "http://127.0.0.1:1/repo.git")
        let network = await #expect(throws: GitSourceError.self) { try await refused.poll(deadline: .now + .seconds(30)) }
        #expect(network?.message.hasPrefix("connect to http://127.0.0.1:1/repo.git: ") == true)
        #expect((network?.message.count ?? 0) > "connect to http://127.0.0.1:1/repo.git: ".count)
    }

    @Test func expiredDeadlineFailsWithoutWork() async throws {
        let fixture = try GitFixture()
        try fixture.commit("one")
        let source = try source(fixture)
        let error = await #expect(throws: GitSourceError.self) { try await source.poll(deadline: .now - .seconds(1)) }
        #expect(error?.code == .timedOut)
        #expect(!FileManager.default.fileExists(atPath: source.cachePath))
        // The source still works afterwards.
        #expect(try await source.poll(deadline: .now + .seconds(30)).fetched)
    }

    @Test func deadlineReturnsEvenWhenTheServerNeverAnswers() async throws {
        let server = try FakeHTTPServer(mode: "stall")
        defer { server.stop() }
        let fixture = try GitFixture()
        let source = try source(fixture, url: "http://127.0.0.1:\(server.port)/repo.git")
        let start = ContinuousClock.now
        let error = await #expect(throws: GitSourceError.self) { try await source.poll(deadline: .now + .milliseconds(300)) }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == .timedOut)
        // The server would hold the connection for 60 s; the slack is for a loaded machine
        // (parallel tests block the cooperative pool with git CLI calls).
        #expect(elapsed < .seconds(15), "returned after \(elapsed)")
    }

    @Test func cancellingTheTaskCancelsThePoll() async throws {
        let server = try FakeHTTPServer(mode: "stall")
        defer { server.stop() }
        let fixture = try GitFixture()
        let source = try source(fixture, url: "http://127.0.0.1:\(server.port)/repo.git")
        let task = Task { try await source.poll(deadline: .now + .seconds(60)) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let result = await task.result
        guard case .failure(let error as GitSourceError) = result else {
            Issue.record("expected a cancellation error, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
    }

    @Test func credentialsAreTriedOnceThenGivenUp() async throws {
        let server = try FakeHTTPServer(mode: "401")
        defer { server.stop() }
        let fixture = try GitFixture()
        let url = "http://127.0.0.1:\(server.port)/private.git"
        let anonymous = try GitRepositorySource(
            configuration: GitSourceConfiguration(url: url, ref: "main", cacheDirectory: fixture.cache), environment: [:])
        let missing = await #expect(throws: GitSourceError.self) { try await anonymous.poll(deadline: .now + .seconds(20)) }
        #expect(missing?.code == .authenticationFailed)
        #expect(missing?.message.contains("set NGROKCTL_GIT_TOKEN") == true)

        let withToken = try GitRepositorySource(
            configuration: GitSourceConfiguration(url: url, ref: "main", cacheDirectory: fixture.cache),
            environment: ["NGROKCTL_GIT_TOKEN": "wrong"])
        let rejected = await #expect(throws: GitSourceError.self) { try await withToken.poll(deadline: .now + .seconds(20)) }
        #expect(rejected?.code == .authenticationFailed)
        #expect(rejected?.message.contains("authentication failed") == true)
        // One anonymous request, one with the token, then it gives up (no loop).
        #expect(server.requests.filter { $0.hasSuffix(" auth") }.count == 1)
    }
}
