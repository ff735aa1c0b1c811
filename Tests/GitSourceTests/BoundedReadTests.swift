import Foundation
import GitSource
import TestSupport
import Testing

/// A commit cannot make the reader inflate a huge blob or walk an unbounded tree: sizes come
/// from object headers before anything is inflated, and files other than manifests are only
/// read when asked for.
@Suite(.serialized) struct BoundedReadTests {
    /// Builds a commit straight in the source's cache (no fetch) from `entries` (path → blob id).
    func commit(in gitDir: String, _ entries: [(String, String)]) throws -> String {
        let listing = entries.map { "100644 blob \($0.1)\t\($0.0)" }.joined(separator: "\n") + "\n"
        let listingFile = gitDir + "/tree-listing"
        try listing.write(toFile: listingFile, atomically: true, encoding: .utf8)
        let tree = try GitFixture.run("/bin/sh", ["-c", "git --git-dir='\(gitDir)' mktree < '\(listingFile)'"], in: gitDir)
        return try GitFixture.run(
            "/bin/sh",
            ["-c", "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t git --git-dir='\(gitDir)' commit-tree \(tree) -m big"],
            in: gitDir)
    }

    func blob(in gitDir: String, _ text: String) throws -> String {
        let file = gitDir + "/blob-" + UUID().uuidString
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return try GitFixture.run("/usr/bin/git", ["--git-dir=" + gitDir, "hash-object", "-w", file], in: gitDir)
    }

    /// A 100 MB blob (as `big.yaml`, a manifest name, and as `big.bin`) is never inflated: the
    /// snapshot lists it with its size, reading it fails with the size from its header, and the
    /// process's peak memory does not grow by anything like its size.
    @Test func aHugeBlobIsNeverInflated() async throws {
        let fixture = try GitFixture()
        let source = try GitRepositorySource(configuration: GitSourceConfiguration(
            url: fixture.remote, ref: "main", cacheDirectory: fixture.cache))
        try FileManager.default.createDirectory(atPath: fixture.cache, withIntermediateDirectories: true)
        _ = try GitFixture.run("/usr/bin/git", ["init", "-q", "--bare", source.cachePath], in: fixture.root)
        let size = 100_000_000
        let huge = try LargeBlob.writeZeros(gitDir: source.cachePath, size: size)
        let stack = try blob(in: source.cachePath, "kind: Stack\n")
        let pem = try blob(in: source.cachePath, "-----BEGIN CERTIFICATE-----\n")
        let id = try commit(
            in: source.cachePath,
            [("big.bin", huge), ("big.yaml", huge), ("ca.pem", pem), ("ngrokctl.yaml", stack)])

        let measured = LargeBlob.resetPeak()
        let before = LargeBlob.peakResidentBytes()
        let snapshot = try await source.snapshot(commit: id)
        #expect(snapshot.files.keys.sorted() == ["ngrokctl.yaml"])
        #expect(snapshot.unreadFiles == ["big.bin": size, "big.yaml": size, "ca.pem": 28])
        let error = #expect(throws: GitSourceError.self) { try snapshot.read("big.yaml", limit: 4 << 20) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("\(size) bytes") == true)
        #expect(throws: GitSourceError.self) { try snapshot.read("big.bin", limit: Int.max) }
        // A referenced file is read on demand.
        #expect(try snapshot.read("ca.pem", limit: 1024) == Array("-----BEGIN CERTIFICATE-----\n".utf8))
        let growth = LargeBlob.peakResidentBytes() - before
        if measured {
            #expect(growth < 30_000_000, "peak RSS grew by \(growth) bytes reading a commit with a \(size)-byte blob")
        }
    }

    @Test func tooManyFilesMakeTheCommitTooLarge() async throws {
        let fixture = try GitFixture()
        for index in 0..<6 { try fixture.write("f\(index).yaml", "n: \(index)\n") }
        let head = try fixture.commit("six files")
        let source = try GitRepositorySource(configuration: GitSourceConfiguration(
            url: fixture.remote, ref: "main", cacheDirectory: fixture.cache, maxFiles: 5))
        _ = try await source.poll(deadline: .now + .seconds(30))
        let error = await #expect(throws: GitSourceError.self) { try await source.snapshot(commit: head) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("more than 5 files") == true)
    }

    @Test func theTotalCapCoversManifestsAndReferencedFiles() async throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", String(repeating: "a", count: 600) + "\n")
        try fixture.write("b.yaml", String(repeating: "b", count: 600) + "\n")
        try fixture.write("key.pem", String(repeating: "k", count: 600) + "\n")
        let head = try fixture.commit("three files")
        // Trees (about 100 bytes) and two manifests fit; the referenced file does not.
        let source = try GitRepositorySource(configuration: GitSourceConfiguration(
            url: fixture.remote, ref: "main", cacheDirectory: fixture.cache, maxSnapshotBytes: 1_500))
        _ = try await source.poll(deadline: .now + .seconds(30))
        let snapshot = try await source.snapshot(commit: head)
        #expect(snapshot.files.count == 2)
        let error = #expect(throws: GitSourceError.self) { try snapshot.read("key.pem", limit: 4 << 20) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("limit of 1500 bytes read per commit") == true)

        let tight = try GitRepositorySource(configuration: GitSourceConfiguration(
            url: fixture.remote, ref: "main", cacheDirectory: fixture.cache, maxSnapshotBytes: 1_000))
        let tooLarge = await #expect(throws: GitSourceError.self) { try await tight.snapshot(commit: head) }
        #expect(tooLarge?.code == .tooLarge)
    }
}
