import Foundation
import Logging
import NgrokAPI
import NgrokModel
import TestSupport
import Testing
@testable import Emulator

@Suite struct LimitsAndFaultsTests {
    func configuration(
        rateLimit: RateLimit? = nil, concurrency: Int? = nil, faults: FaultConfiguration = .none, keys: [String] = ["test-key"]
    ) -> EmulatorConfiguration {
        EmulatorConfiguration(apiKeys: keys, rateLimit: rateLimit, concurrencyLimit: concurrency, faults: faults)
    }

    @Test func rateLimitPerKey() async throws {
        let config = configuration(rateLimit: RateLimit(requests: 5, window: .seconds(30)), keys: ["test-key", "other"])
        try await withEmulator(config) { client, server in
            for _ in 0..<5 { #expect(try await client.get("/credentials").status == 200) }
            let limited = try await client.get("/credentials")
            #expect(limited.status == 429 && limited.errorCode == "ERR_NGROK_226")
            let retryAfter = try #require(limited.headers["retry-after"].flatMap { Int($0) })
            #expect((1...30).contains(retryAfter))
            #expect(limited["msg"]?.stringValue?.contains("5 API requests per 30 seconds") == true)
            var other = client
            other.apiKey = "other"
            #expect(try await other.get("/credentials").status == 200)
            #expect(server.statistics().rateLimited == 1)
        }
    }

    @Test func defaultRateLimitIs120PerMinute() {
        #expect(EmulatorConfiguration().rateLimit == RateLimit(requests: 120, window: .seconds(60)))
        let limiter = RateLimiter(limit: .ngrokDefault)
        let start = ContinuousClock.now
        for i in 0..<120 { #expect(limiter.acquire(key: "k", now: start + .milliseconds(i)) == nil) }
        #expect(limiter.acquire(key: "k", now: start + .seconds(1)) == 59)
        #expect(limiter.acquire(key: "k", now: start + .seconds(60) + .milliseconds(1)) == nil)
    }

    @Test func concurrencyLimit() async throws {
        let config = configuration(concurrency: 1, faults: FaultConfiguration(latency: .fixed(.seconds(4))))
        try await withEmulator(config) { client, _ in
            let statuses = try await withThrowingTaskGroup(of: TestClient.Reply.self) { group in
                for _ in 0..<4 { group.addTask { try await client.get("/credentials") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.contains { $0.status == 200 })
            #expect(statuses.contains { $0.status == 429 && $0.errorCode == "ERR_NGROK_225" })
        }
    }

    @Test func dropClosesBeforeProcessing() async throws {
        try await withEmulator(configuration(faults: FaultConfiguration(dropRate: 1))) { client, server in
            let reply = try await client.post("/credentials", ["description": "never"])
            #expect(reply.curlExit == 52, "curl: empty reply from server")
            #expect(reply.status == 0)
            #expect(try server.objectCount() == 0)
            #expect(server.statistics().dropped == 1)
        }
    }

    @Test func lostResponseCommitsTheWrite() async throws {
        try await withEmulator(configuration(faults: FaultConfiguration(lostResponseRate: 1))) { client, server in
            let reply = try await client.post("/credentials", ["description": "committed"])
            #expect(reply.curlExit == 52)
            #expect(try server.objectCount() == 1)
            // Reads are answered (only writes lose their response), so the client can find it.
            let list = try await client.get("/credentials")
            #expect(list["credentials"]?.arrayValue?.first?["description"] == "committed")
            #expect(server.statistics().lostResponses == 1)
        }
    }

    @Test func injectedFailuresAndThrottles() async throws {
        try await withEmulator(configuration(faults: FaultConfiguration(failRate: 1))) { client, server in
            let reply = try await client.post("/credentials", [:])
            #expect([500, 502, 503].contains(reply.status))
            #expect(reply["status_code"]?.intValue == Int64(reply.status))
            #expect(reply["details"]?["operation_id"]?.stringValue?.hasPrefix("op_") == true)
            #expect(try server.objectCount() == 0)
        }
        try await withEmulator(configuration(faults: FaultConfiguration(throttleRate: 1))) { client, server in
            let reply = try await client.get("/credentials")
            #expect(reply.status == 429 && reply.errorCode == "ERR_NGROK_226" && reply.headers["retry-after"] == "1")
            #expect(server.statistics().injectedThrottles == 1)
        }
    }

    @Test func latencyRange() async throws {
        let faults = FaultConfiguration(latency: .init(min: .milliseconds(150), max: .milliseconds(250)))
        try await withEmulator(configuration(faults: faults)) { client, _ in
            let start = ContinuousClock.now
            let reply = try await client.get("/credentials")
            #expect(reply.status == 200)
            #expect(ContinuousClock.now - start >= .milliseconds(150))
        }
    }

    @Test func faultsAreDeterministicForASeed() async throws {
        func outcomes(seed: UInt64) async throws -> [Int] {
            let faults = FaultConfiguration(seed: seed, failRate: 0.3, throttleRate: 0.2, dropRate: 0.1)
            return try await withEmulator(configuration(faults: faults)) { client, _ in
                var out: [Int] = []
                for _ in 0..<25 {
                    let reply = try await client.get("/credentials")
                    out.append(reply.curlExit == 0 ? reply.status : -Int(reply.curlExit))
                }
                return out
            }
        }
        let a = try await outcomes(seed: 42)
        let b = try await outcomes(seed: 42)
        let c = try await outcomes(seed: 7)
        #expect(a == b)
        #expect(a != c)
        #expect(a.contains(200) && a.contains(429) && a.contains { $0 >= 500 } && a.contains(-52))
    }

    @Test func statsEndpoint() async throws {
        try await withEmulator { client, _ in
            _ = try await client.post("/credentials", [:])
            _ = try await client.get("/credentials")
            _ = try await client.get("/credentials")
            let ec = try await client.post("/endpoint_configurations", ["type": "http"])
            _ = try await client.put("/endpoint_configurations/\(ec["id"]!.stringValue!)/compression", [:])
            var unversioned = client
            unversioned.version = nil
            let stats = try await unversioned.get("/_emulator/stats")
            #expect(stats.status == 200)
            #expect(stats["requests"]?["GET /credentials"] == 2)
            #expect(stats["requests"]?["POST /credentials"] == 1)
            #expect(stats["requests"]?["PUT /endpoint_configurations/{id}/compression"] == 1)
            #expect(stats["total"] == 5)
            #expect(stats["statuses"]?["200"] == 3 && stats["statuses"]?["201"] == 2)
            #expect(try await unversioned.request("POST", "/_emulator/stats/reset").status == 204)
            #expect(try await unversioned.get("/_emulator/stats")["total"] == 0)
        }
    }

    /// `/_emulator/*` reveals the traffic and resets the rate limiter: without the API key (or
    /// with a wrong one) every route there answers 401 and changes nothing.
    @Test func emulatorRoutesRequireTheAPIKey() async throws {
        try await withEmulator { client, _ in
            _ = try await client.get("/credentials")
            var anonymous = client
            anonymous.apiKey = nil
            anonymous.version = nil
            var wrongKey = anonymous
            wrongKey.apiKey = "not-the-key"
            for caller in [anonymous, wrongKey] {
                #expect(try await caller.get("/_emulator/stats").status == 401)
                #expect(try await caller.get("/_emulator/health").status == 401)
                #expect(try await caller.request("POST", "/_emulator/stats/reset").status == 401)
            }
            // Nothing was reset: the authenticated caller still sees its request.
            #expect(try await client.get("/_emulator/stats")["total"] == 1)
        }
    }
}

@Suite struct LifecycleTests {
    /// `stop()` returns promptly although a client keeps an idle keep-alive connection open.
    @Test func stopClosesIdleKeepAliveConnections() async throws {
        let emulator = try await EmulatorFixture.start(apiKey: "k")
        let server = emulator.server
        // libcurl keeps the connection open in its pool after the request.
        let transport = CurlTransport()
        let client = emulator.client(budget: .unlimited(), transport: transport)
        #expect(try await client.listAll(.credentials).isEmpty)
        #expect(client.statistics.count(status: 200) == 1)
        let start = ContinuousClock.now
        await server.stop()
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(server.baseURL == nil)
        // The same server object can start again (same store).
        let again = try await server.start()
        #expect(again.hasPrefix("http://127.0.0.1:"))
        await server.stop()
        withExtendedLifetime(transport) {}
    }

    /// `Expect: 100-continue` gets an interim 100 at once (curl would otherwise wait a second).
    @Test func expectContinueIsAnsweredImmediately() async throws {
        try await withEmulator { client, server in
            let body = JSON.object(JSONObject([("metadata", .string(String(repeating: "m", count: 3000)))])).serialized()
            let reply = try await client.request("POST", "/credentials", body: body, extraHeaders: ["Expect": "100-continue"])
            #expect(reply.status == 201)
            #expect(reply.rawHeaders.hasPrefix("HTTP/1.1 100 Continue"), "\(reply.rawHeaders)")
            #expect(try server.objectCount() == 1)
        }
    }
}
