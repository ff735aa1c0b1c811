import Controller
import Foundation
import GitSource
import NgrokModel
import TestSupport
import Testing

@Suite struct ControllerHTTPTests {
    /// A controller that polls rarely, so that only webhooks cause prompt syncs.
    func slowController(_ fixture: GitFixture, engine: FakeEngine) throws -> Controller {
        try Controller(
            configuration: testConfiguration(fixture, interval: .seconds(60), drift: .seconds(600)), engine: engine,
            logger: .quiet)
    }

    @Test func signedPushWebhookTriggersASyncWithinASecond() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        try fixture.commit("one")
        let engine = FakeEngine()
        let controller = try slowController(fixture, engine: engine)
        try await withRunningController(controller) { port in
            try await engine.waitForCall()
            try fixture.write("stack/a.yaml", "b\n")
            let second = try fixture.commit("two")
            let body = pushEvent()
            let response = try await http("POST", port: port, "/webhook/github", headers: webhookHeaders(body), body: body)
            #expect(response.status == 202)
            // From the accepted delivery (curl's own start-up is not the controller's latency).
            let start = ContinuousClock.now
            let call = try await engine.waitForCall(timeout: .seconds(1), after: 1) { $0.commit == second }
            #expect(call.files["a.yaml"] == "b\n")
            #expect(ContinuousClock.now - start < .seconds(1))
            #expect(controller.status.lastReason == .webhook)
        }
    }

    @Test func badOrMissingSignatureIsRefusedAndTriggersNothing() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        try fixture.commit("one")
        let engine = FakeEngine()
        let controller = try slowController(fixture, engine: engine)
        try await withRunningController(controller) { port in
            try await engine.waitForCall()
            let body = pushEvent()
            var wrong = webhookHeaders(body, secret: "not-the-secret")
            #expect(try await http("POST", port: port, "/webhook/github", headers: wrong, body: body).status == 401)
            wrong["X-Hub-Signature-256"] = nil
            #expect(try await http("POST", port: port, "/webhook/github", headers: wrong, body: body).status == 401)
            // A valid signature over another body does not validate this one.
            var swapped = webhookHeaders(pushEvent(ref: "refs/heads/other"))
            swapped["X-GitHub-Delivery"] = UUID().uuidString
            #expect(try await http("POST", port: port, "/webhook/github", headers: swapped, body: body).status == 401)
            try await Task.sleep(for: .milliseconds(500))
            #expect(engine.calls.count == 1)
        }
    }

    @Test func duplicateDeliveriesAndOtherEventsAreIgnored() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        try fixture.commit("one")
        let engine = FakeEngine()
        let controller = try slowController(fixture, engine: engine)
        try await withRunningController(controller) { port in
            try await engine.waitForCall()
            let body = pushEvent()
            let headers = webhookHeaders(body, delivery: "delivery-1")
            #expect(try await http("POST", port: port, "/webhook/github", headers: headers, body: body).status == 202)
            try await engine.waitForCall(after: 1)
            #expect(try await http("POST", port: port, "/webhook/github", headers: headers, body: body).status == 204)

            let other = pushEvent(ref: "refs/heads/feature")
            #expect(try await http("POST", port: port, "/webhook/github", headers: webhookHeaders(other), body: other).status == 204)
            let ping = Array(#"{"zen":"hi"}"#.utf8)
            #expect(try await http("POST", port: port, "/webhook/github", headers: webhookHeaders(ping, event: "ping"), body: ping).status == 204)
            try await Task.sleep(for: .milliseconds(500))
            #expect(engine.calls.count == 2)
        }
    }

    @Test func oversizedBodyIsRefused() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        try fixture.commit("one")
        let controller = try slowController(fixture, engine: FakeEngine())
        try await withRunningController(controller) { port in
            let body = [UInt8](repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
            let response = try await http("POST", port: port, "/webhook/github", headers: webhookHeaders(body), body: body)
            #expect(response.status == 413)
        }
    }

    @Test func webhookWithoutASecretIsDisabled() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        try fixture.commit("one")
        let controller = try Controller(
            configuration: testConfiguration(fixture, secret: nil), engine: FakeEngine(), logger: .quiet)
        try await withRunningController(controller) { port in
            let body = pushEvent()
            let response = try await http("POST", port: port, "/webhook/github", headers: webhookHeaders(body), body: body)
            #expect(response.status == 404)
        }
    }

    @Test func healthReadinessStatusAndMetrics() async throws {
        let fixture = try GitFixture()
        try fixture.write("stack/a.yaml", "a\n")
        let head = try fixture.commit("one")
        let engine = FakeEngine(hold: true) { _ in
            SyncReport(
                result: .applied, changes: ["create": 2], driftObjects: 3,
                apiRequests: [
                    APIRequestCount(method: .get, collection: .ipPolicies, code: 200, count: 2),
                    APIRequestCount(method: .post, collection: .ipPolicies, code: 201, count: 1),
                ],
                apiBudgetWait: .milliseconds(250))
        }
        let controller = try slowController(fixture, engine: engine)
        try await withRunningController(controller) { port in
            #expect(try await http("GET", port: port, "/healthz").status == 200)
            try await engine.waitForCall()
            #expect(try await http("GET", port: port, "/readyz").status == 503)  // the first sync is still running
            engine.release()
            try await eventually("/readyz to answer 200 after the first sync") {
                try await http("GET", port: port, "/readyz").status == 200
            }

            let status = try await http("GET", port: port, "/status")
            #expect(status.status == 200)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(status.body.utf8)) as? [String: Any])
            #expect(json["commit"] as? String == head)
            #expect(json["lastGoodCommit"] as? String == head)
            #expect(json["lastResult"] as? String == "applied")
            #expect(json["driftCount"] as? Int == 3)
            #expect(json["nextRun"] is String)
            #expect(json["lastSyncTime"] is String)

            let metrics = try await http("GET", port: port, "/metrics").body
            for line in [
                #"ngrokctl_reconcile_total{result="applied"} 1"#,
                #"ngrokctl_reconcile_total{result="failed"} 0"#,
                #"ngrokctl_api_requests_total{method="GET",collection="ip_policies",code="200"} 2"#,
                #"ngrokctl_api_requests_total{method="POST",collection="ip_policies",code="201"} 1"#,
                "ngrokctl_drift_objects 3",
                #"ngrokctl_source_info{commit="\#(head)"} 1"#,
                "ngrokctl_reconcile_duration_seconds_count 1",
                "ngrokctl_api_budget_wait_seconds_sum 0.25",
            ] {
                #expect(metrics.contains(line), "missing \(line)")
            }
            #expect(metrics.contains("ngrokctl_last_success_timestamp_seconds "))
        }
    }
}
