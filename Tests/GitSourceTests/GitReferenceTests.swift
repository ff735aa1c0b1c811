import GitSource
import Testing

@Suite struct GitReferenceTests {
    @Test func parsesTheUsualSpellings() {
        #expect(GitReference(parsing: "main") == .name("main"))
        #expect(GitReference(parsing: "refs/heads/release/1") == .branch("release/1"))
        #expect(GitReference(parsing: "heads/x") == .branch("x"))
        #expect(GitReference(parsing: "refs/tags/v1.2") == .tag("v1.2"))
        #expect(GitReference(parsing: " HEAD ") == .remoteHead)
        #expect(GitReference(parsing: "") == .remoteHead)
        let sha = "0123456789ABCDEF0123456789abcdef01234567"
        #expect(GitReference(parsing: sha) == .commit(sha.lowercased()))
    }

    @Test func matchesPushesToTheWatchedRef() {
        #expect(GitReference(parsing: "main").isMoved(byPushTo: "refs/heads/main"))
        #expect(!GitReference(parsing: "main").isMoved(byPushTo: "refs/heads/dev"))
        #expect(GitReference(parsing: "refs/tags/v1").isMoved(byPushTo: "refs/tags/v1"))
        #expect(!GitReference(parsing: "refs/tags/v1").isMoved(byPushTo: "refs/heads/v1"))
        #expect(!GitReference.commit(String(repeating: "a", count: 40)).isMoved(byPushTo: "refs/heads/main"))
    }
}
