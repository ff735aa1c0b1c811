import Controller
import GitSource
import Testing

@Suite struct GitHubWebhookTests {
    let secret = Array("It's a Secret to Everybody".utf8)

    @Test func matchesGitHubsDocumentedExample() {
        // From GitHub's "Validating webhook deliveries" documentation.
        let body = Array("Hello, World!".utf8)
        #expect(GitHubWebhook.signature(for: body, secret: secret)
            == "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
        let webhook = GitHubWebhook(secret: secret, reference: .name("main"))
        #expect(webhook.isValidSignature("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", body: body))
        #expect(webhook.isValidSignature("sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17", body: body))
        #expect(!webhook.isValidSignature("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18", body: body))
        #expect(!webhook.isValidSignature("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", body: body))
        #expect(!webhook.isValidSignature("sha256=zz", body: body))
        #expect(!webhook.isValidSignature("sha256=", body: body))
        #expect(!webhook.isValidSignature(nil, body: body))
    }

    @Test func decisions() {
        let webhook = GitHubWebhook(secret: secret, reference: .name("main"))
        var log = DeliveryLog(capacity: 8)
        func decide(_ body: String, event: String? = "push", delivery: String? = nil, signed: Bool = true) -> GitHubWebhook.Decision {
            let bytes = Array(body.utf8)
            return webhook.decide(
                event: event, delivery: delivery,
                signature: signed ? GitHubWebhook.signature(for: bytes, secret: secret) : nil, body: bytes, deliveries: &log)
        }
        #expect(decide(#"{"ref":"refs/heads/main"}"#, delivery: "1") == .trigger(after: nil))
        #expect(decide(#"{"ref":"refs/heads/main"}"#, delivery: "1") == .duplicate)
        #expect(decide(#"{"ref":"refs/heads/dev"}"#, delivery: "2") == .ignored("push to refs/heads/dev"))
        #expect(decide(#"{}"#, event: "ping", delivery: "3") == .ignored("event ping"))
        #expect(decide(#"not json"#, delivery: "4") == .badRequest("push payload without a ref"))
        if case .unauthorized = decide(#"{"ref":"refs/heads/main"}"#, delivery: "5", signed: false) {} else {
            Issue.record("unsigned delivery accepted")
        }
        // An unauthorised delivery does not poison the log.
        #expect(decide(#"{"ref":"refs/heads/main"}"#, delivery: "5") == .trigger(after: nil))
    }

    func insert(_ log: inout DeliveryLog, _ id: String) -> Bool { log.insert(id) }

    @Test func deliveryLogIsBounded() {
        var log = DeliveryLog(capacity: 3)
        #expect(insert(&log, "a"))
        #expect(insert(&log, "b"))
        #expect(insert(&log, "c"))
        #expect(!insert(&log, "a"))
        #expect(insert(&log, "d"))  // forgets "a"
        #expect(log.count == 3)
        #expect(insert(&log, "a"))
        #expect(!insert(&log, "d"))
        for index in 0..<10_000 { _ = log.insert("x\(index)") }
        #expect(log.count == 3)
    }
}
