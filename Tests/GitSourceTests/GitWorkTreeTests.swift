import Foundation
import GitSource
import TestSupport
import Testing

@Suite struct GitWorkTreeTests {
    @Test func findsTheWorkTreeAndHead() throws {
        let fixture = try GitFixture()
        try fixture.write("stacks/prod/ngrokctl.yaml", "x\n")
        let head = try fixture.commit("one")
        let found = try #require(try GitWorkTree.discover(from: fixture.work + "/stacks/prod"))
        #expect(found.headCommit == head)
        #expect(found.branch == "main")
        #expect(found.hasUncommittedChanges == false)
        #expect(URL(fileURLWithPath: found.root).resolvingSymlinksInPath().path
            == URL(fileURLWithPath: fixture.work).resolvingSymlinksInPath().path)

        try fixture.write("stacks/prod/new.yaml", "y\n")
        #expect(try GitWorkTree.discover(from: fixture.work)?.hasUncommittedChanges == true)
    }

    @Test func unbornAndOutside() throws {
        let fixture = try GitFixture()
        let unborn = try #require(try GitWorkTree.discover(from: fixture.work))
        #expect(unborn.headCommit == nil)
        #expect(try GitWorkTree.discover(from: fixture.cache.isEmpty ? "/" : "/proc") == nil)
    }
}
