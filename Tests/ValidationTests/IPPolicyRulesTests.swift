import NgrokModel
import Testing
import Validation

@Suite struct IPPolicyRulesTests {
    @Test func duplicatesAfterCanonicalisation() {
        let problems = IPPolicyRules.validate(cidrs: [
            "192.0.2.1", "2001:DB8::/32", "192.0.2.1/32", "2001:db8:0::/32", "10.0.0.0/8",
        ])
        #expect(problems.map(\.field) == ["[2]", "[3]"])
        #expect(problems.allSatisfy { $0.apiErrorCode == 1408 })
        #expect(problems[0].message.contains("rule 1"))
        #expect(problems[0].message.contains("written '192.0.2.1'"))
    }

    @Test func invalidEntriesAreIndexed() {
        let problems = IPPolicyRules.validate(cidrs: ["10.0.0.1/8", "ok", "10.0.0.0/8"])
        #expect(problems.map(\.field) == ["[0]", "[1]"])
        #expect(IPPolicyRules.validate(cidrs: ["192.0.2.1"], requireMask: true).first?.apiErrorCode == 1413)
    }

    @Test func duplicateOfExisting() throws {
        let cidr = try CIDR(parsing: "192.0.2.0/24")
        #expect(IPPolicyRules.duplicate(of: cidr, in: ["10.0.0.0/8", "192.0.2.0/24"]) == 1)
        #expect(IPPolicyRules.duplicate(of: cidr, in: ["192.0.2.0/25"]) == nil)
    }

    @Test func action() throws {
        #expect(try IPPolicyRules.parseAction("deny").get() == .deny)
        if case .failure(let p) = IPPolicyRules.parseAction("Allow") {
            #expect(p.apiErrorCode == 1422)
            #expect(p.suggestion == "allow")
        } else {
            Issue.record("should fail")
        }
    }
}

@Suite struct NgrokDomainTests {
    @Test func ngrokOwned() {
        #expect(ReservedDomainRules.isNgrokOwned("myapp"))
        #expect(ReservedDomainRules.isNgrokOwned("myapp.ngrok.io"))
        #expect(!ReservedDomainRules.isNgrokOwned("app.example.com"))
        #expect(!ReservedDomainRules.isNgrokOwned("notngrok.io"))
        let problems = ReservedDomainRules.validate(
            ReservedDomainSpec(domain: "myapp", certificate: "c", certificateManagement: .init()))
        #expect(Set(problems.compactMap(\.apiErrorCode)) == [434, 439, 440])
    }

    @Test func coverage() {
        #expect(ReservedDomainRules.certificateCovers(["app.example.com"], domain: "APP.example.com"))
        #expect(ReservedDomainRules.certificateCovers(["*.example.com"], domain: "app.example.com"))
        #expect(!ReservedDomainRules.certificateCovers(["*.example.com"], domain: "a.b.example.com"))
        #expect(!ReservedDomainRules.certificateCovers(["*.example.com"], domain: "example.com"))
        #expect(ReservedDomainRules.certificateCovers(["*.example.com"], domain: "*.example.com"))
        #expect(!ReservedDomainRules.certificateCovers(["other.example.com"], domain: "app.example.com"))
    }
}
