import Foundation
import NgrokModel
import TestSupport
import Testing
import Validation

@Suite struct PEMTests {
    let pki = TestPKI.shared

    @Test func crlfAndSurroundingText() throws {
        let crlf =
            "Bag Attributes: something\r\n" + pki.leafPem.replacingOccurrences(of: "\n", with: "\r\n")
            + "trailing text\r\n"
        let blocks = try PEM.blocks(in: crlf).get()
        #expect(blocks.map(\.label) == ["CERTIFICATE"])
        #expect(CertificateRules.validateBundle(crlf).violations.isEmpty)
    }

    @Test func indentedBlocksParse() throws {
        let indented = pki.bundle.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        #expect(try PEM.blocks(in: indented).get().count == 2)
    }

    @Test func headersAreCollected() throws {
        let blocks = try PEM.blocks(in: pki.leafKeyLegacyEncrypted).get()
        #expect(blocks.count == 1)
        #expect(blocks[0].label == "EC PRIVATE KEY")
        #expect(blocks[0].headers.contains { $0.hasPrefix("Proc-Type") })
        #expect(blocks[0].isEncryptedKey)
        #expect(blocks[0].isPrivateKey)
    }

    @Test func mismatchedEnd() {
        let text = "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END PRIVATE KEY-----\n"
        guard case .failure(let problem) = PEM.blocks(in: text) else {
            Issue.record("should fail")
            return
        }
        #expect(problem.message.contains("ends with"))
    }

    @Test func empty() throws {
        #expect(try PEM.blocks(in: "").get().isEmpty)
    }
}

@Suite struct RuleViolationTests {
    @Test func nestingAndPaths() {
        let v = RuleViolation.error(field: "scopes[1]", "dup", hint: "fix")
        #expect(v.nested(under: "modules.oauth").field == "modules.oauth.scopes[1]")
        #expect(RuleViolation.error(field: "[2]", "x").nested(under: "spec.acl").field == "spec.acl[2]")
        #expect(RuleViolation.error("x").nested(under: "spec.caPem").field == "spec.caPem")
        #expect(FieldPath.join("", "a") == "a")
        #expect(v.description == "scopes[1]: dup; fix")
        #expect(RuleViolation.warning("w").description == "warning: w")
    }

    @Test func diagnosticLocation() {
        let resource = Fixtures.resource(
            .credential, "c", .credential(CredentialSpec(acl: [])), paths: ["spec.acl", "spec.acl[1]"])
        let d = RuleViolation.error(field: "[1]", "bad", hint: "h").diagnostic(for: resource, under: "spec.acl")
        #expect(d.location?.line == 3)
        #expect(d.address == resource.address)
        #expect(d.severity == .error)
        #expect(d.hint == "h")
        // Unknown paths fall back to the nearest located parent.
        let parent = RuleViolation.error(field: "[7]", "bad").diagnostic(for: resource, under: "spec.acl")
        #expect(parent.location?.line == 2)
        let document = RuleViolation.error(field: "spec.other", "bad").diagnostic(for: resource)
        #expect(document.location?.line == 1)
    }

    @Test func disabledModulesStillNeedTheirType() {
        let problems = EndpointConfigurationRules.validate(
            type: .http, modules: EndpointModules(oauth: OAuthModule(enabled: false, provider: .google)))
        #expect(problems.map(\.apiErrorCode) == [1621])
    }
}
