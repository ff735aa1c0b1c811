import Testing
import Validation

@Suite struct CIDRTests {
    @Test(arguments: [
        ("192.0.2.0/24", "192.0.2.0/24"),
        ("203.0.113.7", "203.0.113.7/32"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("2001:DB8::/32", "2001:db8::/32"),
        ("2001:db8:0:0:0:0:0:1", "2001:db8::1/128"),
        ("2001:0db8:0000:0000:0001:0000:0000:0000/128", "2001:db8:0:0:1::/128"),
        ("::/0", "::/0"),
        ("::1", "::1/128"),
        ("fe80::/10", "fe80::/10"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1/128"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1/128"),
        (" 192.0.2.0/24 ", "192.0.2.0/24"),
    ])
    func canonicalForm(input: String, expected: String) throws {
        let cidr = try CIDR(parsing: input)
        #expect(cidr.description == expected)
        #expect(CIDR.canonical(input) == expected)
    }

    @Test func families() throws {
        #expect(try CIDR(parsing: "192.0.2.1").family == .v4)
        #expect(try CIDR(parsing: "192.0.2.1").prefixLength == 32)
        #expect(try CIDR(parsing: "2001:db8::1").family == .v6)
        #expect(try CIDR(parsing: "2001:db8::1").prefixLength == 128)
    }

    @Test(arguments: [
        ("10.0.0.1/8", "10.0.0.0/8"),
        ("192.168.1.77/24", "192.168.1.0/24"),
        ("172.16.5.4/12", "172.16.0.0/12"),
        ("2001:db8::1/32", "2001:db8::/32"),
        ("10.1.1.1/0", "0.0.0.0/0"),
        ("192.0.2.130/25", "192.0.2.128/25"),
    ])
    func notTheLowestAddress(input: String, corrected: String) {
        guard case .failure(let problem) = CIDR.parse(input) else {
            Issue.record("\(input) should fail")
            return
        }
        #expect(problem.apiErrorCode == 1409)
        #expect(problem.suggestion == corrected)
        #expect(problem.hint.contains(corrected))
        #expect(problem.message.contains(input))
        #expect(problem.isError)
    }

    @Test func hostBitsAllowedWhenAsked() throws {
        let cidr = try CIDR(parsing: "10.0.0.1/8", requireNetworkAddress: false)
        #expect(cidr.description == "10.0.0.0/8")
        #expect(CIDR(network: IPAddress("192.168.1.77")!, prefixLength: 24).description == "192.168.1.0/24")
    }

    @Test func bareAddressRefusedWhenMaskRequired() {
        guard case .failure(let problem) = CIDR.parse("192.0.2.1", requireMask: true) else {
            Issue.record("should fail")
            return
        }
        #expect(problem.apiErrorCode == 1413)
        #expect(problem.suggestion == "192.0.2.1/32")
        guard case .failure(let v6) = CIDR.parse("2001:db8::1", requireMask: true) else {
            Issue.record("should fail")
            return
        }
        #expect(v6.suggestion == "2001:db8::1/128")
    }

    @Test(arguments: [
        "", "   ", "192.0.2", "192.0.2.256", "192.0.2.1/33", "192.0.2.1/", "192.0.2.1/-1", "192.0.2.1/a",
        "2001:db8::1/129", "2001:db8:::1", "2001:db8::1::2", "fe80::1%eth0", "[2001:db8::1]", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7", "12345::", "010.0.0.1", "192.0.2.1/24/8", "example.com", "1.2.3.4.5", "::ffff:1.2.3",
        "192.0.2.1 /24", "１.2.3.4",
    ])
    func invalid(input: String) {
        guard case .failure(let problem) = CIDR.parse(input) else {
            Issue.record("\(input) should fail")
            return
        }
        #expect(problem.apiErrorCode == 1406)
        #expect(!problem.message.isEmpty)
        #expect(!problem.hint.isEmpty)
    }

    @Test func equalityAfterCanonicalisation() throws {
        #expect(try CIDR(parsing: "2001:DB8::/32") == CIDR(parsing: "2001:db8:0::/32"))
        #expect(try CIDR(parsing: "192.0.2.1") == CIDR(parsing: "192.0.2.1/32"))
        #expect(try CIDR(parsing: "192.0.2.0/24") != CIDR(parsing: "192.0.2.0/25"))
    }

    @Test func contains() throws {
        let net = try CIDR(parsing: "10.0.0.0/8")
        #expect(net.contains(IPAddress("10.200.1.1")!))
        #expect(!net.contains(IPAddress("11.0.0.1")!))
        #expect(!net.contains(IPAddress("::a00:1")!))
    }

    @Test func ipv6Formatting() {
        #expect(IPAddress("2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        #expect(IPAddress("0:0:0:0:0:0:0:0")?.description == "::")
        #expect(IPAddress("1:0:0:0:0:0:0:0")?.description == "1::")
        #expect(IPAddress("2001:db8:0:1:0:0:0:0")?.description == "2001:db8:0:1::")
        #expect(IPAddress("::192.0.2.1")?.description == "::c000:201")
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }
}
