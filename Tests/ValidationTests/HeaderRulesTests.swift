import NgrokModel
import Testing
import Validation

@Suite struct HeaderRulesTests {
    @Test(arguments: ["X-Request-Id", "x-custom", "A", "X_Weird.Name~1", "Content-Security-Policy"])
    func validNames(name: String) {
        #expect(HeaderRules.validateName(name) == nil)
    }

    @Test(arguments: ["", "X Header", "X-Héader", "X:Colon", "X-Tab\t", "(paren)", "X\u{0}"])
    func invalidNames(name: String) {
        #expect(HeaderRules.validateName(name)?.apiErrorCode == 1623)
    }

    @Test func nameLength() {
        #expect(HeaderRules.validateName(String(repeating: "a", count: 128)) == nil)
        #expect(HeaderRules.validateName(String(repeating: "a", count: 129))?.apiErrorCode == 1697)
    }

    @Test func valueLength() {
        #expect(HeaderRules.validateValue(String(repeating: "v", count: 1024)).isEmpty)
        #expect(HeaderRules.validateValue(String(repeating: "v", count: 1025)).first?.apiErrorCode == 1698)
        #expect(HeaderRules.validateValue("line\nbreak").first?.apiErrorCode == 1624)
        #expect(HeaderRules.validateValue("tab\tok").isEmpty)
    }

    @Test(arguments: [
        "${.ngrok.request_id}", "${.ngrok.client_ip}", "${.ngrok.geo.country_code}", "${.ngrok.geo.latitude}",
        "${.ngrok.geo.longitude}", "${.ngrok.geo.lat_long_radius_km}",
        "id=${ .ngrok.request_id } ip=${.ngrok.client_ip}",
        "plain value", "costs $5", "$notatemplate", "{.ngrok.request_id}",
    ])
    func validTemplates(value: String) {
        #expect(HeaderRules.validateValue(value).isEmpty, "\(HeaderRules.validateValue(value))")
    }

    @Test(arguments: [
        "${.ngrok.request}", "${ngrok.request_id}", "${.ngrok.geo.city}", "${}", "${.ngrok.request_id",
        "a ${.env.HOME}",
        "${.NGROK.REQUEST_ID}",
    ])
    func invalidTemplates(value: String) {
        let problems = HeaderRules.validateValue(value)
        #expect(problems.count == 1, "\(value)")
        #expect(problems.first?.apiErrorCode == 1624)
    }

    @Test func templateSuggestion() {
        #expect(HeaderRules.validateValue("${ngrok.request_id}").first?.suggestion == "${.ngrok.request_id}")
        #expect(HeaderRules.validateValue("${.geo.country_code}").first?.suggestion == "${.ngrok.geo.country_code}")
    }

    @Test func templateExpressions() throws {
        let found = try HeaderRules.templateExpressions(in: "a ${.ngrok.client_ip} b ${ .ngrok.request_id }").get()
        #expect(found == [".ngrok.client_ip", ".ngrok.request_id"])
    }

    @Test func duplicateAddsDifferingInCase() {
        let problems = HeaderRules.validate(add: [("X-Foo", "1"), ("x-foo", "2"), ("X-Bar", "3")], remove: [])
        #expect(problems.count == 1)
        #expect(problems[0].apiErrorCode == 1669)
        #expect(problems[0].field == "add.x-foo")
        #expect(problems[0].message.contains("X-Foo"))
    }

    @Test func hopByHopWarnings() {
        let problems = HeaderRules.validate(
            add: [("Connection", "close"), ("Keep-Alive", "5"), ("X-Ok", "1")],
            remove: ["Transfer-Encoding", "upgrade", "X-Debug"])
        #expect(problems.allSatisfy { $0.severity == .warning })
        #expect(Set(problems.map(\.field)) == ["add.Connection", "add.Keep-Alive", "remove[0]", "remove[1]"])
        for name in [
            "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
            "Transfer-Encoding", "Upgrade",
        ] {
            #expect(HeaderRules.isHopByHop(name))
            #expect(HeaderRules.isHopByHop(name.lowercased()))
        }
        #expect(!HeaderRules.isHopByHop("X-Forwarded-For"))
    }

    @Test func removeChecks() {
        let problems = HeaderRules.validate(add: [], remove: ["X-A", "x-a", "bad name"])
        #expect(problems.map(\.field).sorted() == ["remove[1]", "remove[2]"])
        #expect(problems.allSatisfy { $0.isError })
    }

    @Test func fieldsOfValueProblems() {
        let problems = HeaderRules.validate(HeadersModule(add: [.init(name: "X-Id", value: "${.nope}")]))
        #expect(problems.map(\.field) == ["add.X-Id"])
    }

    @Test func canonicalName() {
        #expect(HeaderRules.canonicalName("foo-BAR") == "Foo-Bar")
        #expect(HeaderRules.canonicalName("x-request-id") == "X-Request-Id")
    }
}
