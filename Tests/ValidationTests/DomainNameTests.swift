import Testing
import Validation

@Suite struct DomainNameTests {
    @Test(arguments: [
        "app.example.com", "*.example.com", "myapp", "a.b.c.d.example.co.uk", "APP.Example.COM", "x1-2.example.com",
        "foo.ngrok.io",
    ])
    func valid(name: String) {
        #expect(DomainName.validateReservedDomain(name).isEmpty, "\(DomainName.validateReservedDomain(name))")
    }

    @Test(arguments: [
        ("", 406), ("app..example.com", 409), ("app_1.example.com", 408), ("app.*.example.com", 402),
        ("*app.example.com", 403), ("**.example.com", 403), ("*", 402), ("app.example.com.", 409),
        ("-app.example.com", 411), ("app-.example.com", 411), ("app!.example.com", 407), ("app.ngrok.com", 404),
        ("ngrok.com", 404), ("ünï.example.com", 407),
    ])
    func invalid(name: String, code: Int) {
        let problems = DomainName.validateReservedDomain(name)
        #expect(problems.contains { $0.apiErrorCode == code }, "\(name): \(problems)")
    }

    @Test(arguments: ["app_1.example.com", "app!.example.com", "app..example.com", "*app.example.com", "ngrok.com"])
    func oneProblemPerMistake(name: String) {
        #expect(DomainName.validateReservedDomain(name).count == 1, "\(DomainName.validateReservedDomain(name))")
    }

    @Test func lengths() {
        let label = String(repeating: "a", count: 64)
        #expect(DomainName.validateReservedDomain("\(label).example.com").contains { $0.apiErrorCode == 410 })
        let ok = String(repeating: "a", count: 63)
        #expect(DomainName.validateReservedDomain("\(ok).example.com").isEmpty)
        let long = Array(repeating: ok, count: 4).joined(separator: ".") + ".com"
        #expect(long.utf8.count > 253)
        #expect(DomainName.validateReservedDomain(long).contains { $0.apiErrorCode == 423 })
    }

    @Test func trailingDotSuggestion() {
        let problems = DomainName.validateReservedDomain("app.example.com.")
        #expect(problems.first?.suggestion == "app.example.com")
    }

    @Test func hostnames() {
        #expect(DomainName.validateHostname("app.example.com") == nil)
        #expect(DomainName.validateHostname("*.example.com") != nil)
        #expect(DomainName.validateHostname("*.example.com", allowWildcard: true) == nil)
        #expect(DomainName.validateHostname("") != nil)
    }
}
