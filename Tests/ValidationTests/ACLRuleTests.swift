import NgrokModel
import Testing
import Validation

@Suite struct ACLRuleTests {
    @Test(arguments: [
        "*", "bind:app.example.com", "bind:*.example.com", "bind:example", "bind:1.tcp.ngrok.io:20002",
        "bind:192.0.2.1:443", "bind:example.ngrok.io", "bind:a-b.example.com",
    ])
    func valid(rule: String) {
        #expect(ACLRule.validate(rule) == nil)
    }

    @Test(arguments: [
        "", "**", "bind", "bind:", "allow:app.example.com", "app.example.com", "bind:app..example.com",
        "bind:app.example.com:0", "bind:app.example.com:65536", "bind:app.example.com:", "bind:foo.*.example.com",
        "bind:*", "bind:app_1.example.com", "bind:-app.example.com", "bind:app example.com", "bind:host:port",
        "Bind:app.example.com", "bind:*.example.com:80x",
    ])
    func invalid(rule: String) {
        let problem = ACLRule.validate(rule)
        #expect(problem != nil, "\(rule)")
        #expect(problem?.apiErrorCode == 600)
    }

    @Test func upperCaseBindGetsSuggestion() {
        #expect(ACLRule.validate("BIND:app.example.com")?.suggestion == "bind:app.example.com")
    }

    @Test func listChecks() {
        let problems = ACLRule.validate(["bind:a.example.com", "nope", "bind:a.example.com"])
        #expect(problems.filter(\.isError).map(\.field) == ["[1]"])
        #expect(problems.filter { !$0.isError }.map(\.field) == ["[2]"])
        let star = ACLRule.validate(["bind:a.example.com", "*"])
        #expect(star.count == 1)
        #expect(star[0].severity == .warning)
        #expect(star[0].field == "[1]")
        #expect(ACLRule.validate(["*"]).isEmpty)
        #expect(ACLRule.validate([]).isEmpty)
    }
}
