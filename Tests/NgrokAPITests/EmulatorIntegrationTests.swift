import Emulator
import Foundation
import NgrokModel
import Reconcile
import TestSupport
import Testing

@testable import NgrokAPI

typealias JSONObject = [String: WireValue]

/// A JSON string literal.
func jsonString(_ text: String) -> String { WireValue.string(text).serialized() }

extension NgrokClient {
    /// A request answered with a JSON object.
    func object(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> JSONObject {
        let answer = try await send(method, path: path, body: body.map { Array($0.utf8) })
        guard case .object(let object)? = answer else {
            throw APIError.invalidResponse(RequestSummary(method: method, path: path), status: 200, reason: "not an object")
        }
        return object
    }

    /// A DELETE answered with an empty body (204).
    func deleted(_ path: String) async throws -> Bool { try await send(.delete, path: path) == nil }

    /// A live state read the way `plan` reads it.
    func liveState() async throws -> LiveState { try await NgrokClientAPI(client: self).snapshot() }
}

extension Dictionary where Key == String, Value == WireValue {
    func string(_ key: String) -> String? { self[key]?.stringValue }
    /// The `id` of the reference object under `key`.
    func refID(_ key: String) -> String? {
        guard case .object(let ref)? = self[key] else { return nil }
        return ref["id"]?.stringValue
    }
    /// The `id`s of the list of reference objects under `key`.
    func refIDs(_ key: String) -> [String] {
        guard case .list(let refs)? = self[key] else { return [] }
        return refs.compactMap { $0["id"]?.stringValue }
    }
    func object(_ key: String) -> JSONObject? {
        guard case .object(let object)? = self[key] else { return nil }
        return object
    }
}

/// Module sub-paths of an endpoint configuration.
let moduleNames = [
    "basic_auth", "circuit_breaker", "compression", "request_headers", "response_headers", "ip_policy", "mutual_tls",
    "tls_termination", "webhook_validation", "oauth", "logging", "saml", "oidc",
]

/// Figures of one snapshot read: list calls against the target of at most ⌈N/100⌉ + 1 per collection.
struct SnapshotReport: CustomStringConvertible {
    var objects: Int
    var calls: Int
    var retries: Int
    var targetCalls: Int
    var seconds: Double
    var withinTarget: Bool { calls <= targetCalls }
    var description: String {
        "snapshot: \(objects) objects, \(calls) API calls (target ≤ \(targetCalls)), retries \(retries), wall \(seconds) s"
    }

    /// Reads a live state through `NgrokClientAPI` and counts the calls it took.
    static func read(_ client: NgrokClient) async throws -> (LiveState, SnapshotReport) {
        let before = client.statistics
        let start = ContinuousClock.now
        let live = try await client.liveState()
        let elapsed = ContinuousClock.now - start
        let after = client.statistics
        let page = client.configuration.pageSize
        let target = LiveState.collections.reduce(0) { $0 + (live.all($1).count + page - 1) / page + 1 }
        let calls = LiveState.collections.reduce(0) {
            $0 + after.count(method: .get, collection: $1) - before.count(method: .get, collection: $1)
        }
        return (
            live,
            SnapshotReport(
                objects: live.count, calls: calls, retries: after.retries - before.retries, targetCalls: target,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        )
    }
}

/// Creates `objects` objects spread over the collections that need no certificates (credentials 30%, IP
/// policies 20%, their rules 20%, whitelist entries 10%, endpoint configurations 10%, reserved addresses
/// 10%), each marked as owned by `stack`. Returns them as a list shows them (credential tokens null).
func seedAccount(_ client: NgrokClient, objects: Int, stack: String = "bench", concurrency: Int = 8) async throws
    -> [JSONObject]
{
    let policies = max(1, objects * 2 / 10)
    let rules = objects * 2 / 10
    let whitelist = objects / 10
    let configurations = objects / 10
    let addrs = objects / 10
    let credentials = max(0, objects - policies - rules - whitelist - configurations - addrs)
    @Sendable func marker(_ kind: Kind, _ name: String) -> String {
        jsonString(OwnershipMarker(stack: stack, address: ResourceAddress(kind, name)).encoded)
    }
    @Sendable func octets(_ i: Int) -> String { "\(10 + i / 65536 % 200).\(i / 256 % 256).\(i % 256)" }
    var jobs: [(path: String, body: String)] = []
    for i in 0..<credentials { jobs.append(("/credentials", #"{"metadata":\#(marker(.credential, "c\(i)"))}"#)) }
    for i in 0..<whitelist {
        jobs.append(("/ip_whitelist", #"{"metadata":\#(marker(.ipWhitelistEntry, "w\(i)")),"ip_net":"\#(octets(i)).0/24"}"#))
    }
    for i in 0..<configurations {
        jobs.append((
            "/endpoint_configurations",
            #"{"type":"https","metadata":\#(marker(.endpointConfiguration, "e\(i)")),"compression":{"enabled":true}}"#
        ))
    }
    for i in 0..<addrs {
        jobs.append(("/reserved_addrs", #"{"metadata":\#(marker(.reservedAddress, "a\(i)")),"region":"us"}"#))
    }
    var created = try await createAll(client, jobs, concurrency: concurrency)
    let policyObjects = try await createAll(
        client,
        (0..<policies).map { i in
            ("/ip_policies", #"{"metadata":\#(marker(.ipPolicy, "p\(i)")),"action":"\#(i % 2 == 0 ? "allow" : "deny")"}"#)
        }, concurrency: concurrency)
    created += policyObjects
    let policyIDs = policyObjects.compactMap { $0.string("id") }
    created += try await createAll(
        client,
        (0..<rules).map { i in
            ("/ip_policy_rules", #"{"cidr":"\#(octets(i)).1/32","ip_policy_id":"\#(policyIDs[i % policyIDs.count])"}"#)
        }, concurrency: concurrency)
    return created.map { object in
        var listed = object
        if listed["token"] != nil { listed["token"] = .null }  // lists show no token
        return listed
    }
}

private func createAll(_ client: NgrokClient, _ jobs: [(path: String, body: String)], concurrency: Int) async throws
    -> [JSONObject]
{
    try await withThrowingTaskGroup(of: JSONObject.self) { group in
        var results: [JSONObject] = []
        var next = 0
        func add() {
            let job = jobs[next]
            next += 1
            group.addTask { try await client.object(.post, job.path, job.body) }
        }
        for _ in 0..<min(concurrency, jobs.count) { add() }
        while let result = try await group.next() {
            results.append(result)
            if next < jobs.count { add() }
        }
        return results
    }
}

@Suite(.serialized) struct EmulatorIntegrationTests {
    func marker(_ kind: Kind, _ name: String) -> String {
        jsonString(OwnershipMarker(stack: "it", address: ResourceAddress(kind, name)).encoded)
    }

    @Test func everyCallOfEveryCollection() async throws {
        let emulator = try await EmulatorFixture.start()
        defer { Task { await emulator.stop() } }
        let client = emulator.client()
        let testCA = try TestPKI.makeCA("Test CA")
        let leaf = try TestPKI.makeLeaf(["app.example.com"], signedBy: testCA)

        // Credentials.
        let credential = try await client.object(
            .post, "/credentials", #"{"description":"d","metadata":\#(marker(.credential, "c")),"acl":["bind:a.example.com"]}"#)
        let credentialID = try #require(credential.string("id"))
        #expect(credential.string("token")?.isEmpty == false)
        #expect(try await client.object(.get, "/credentials/\(credentialID)")["token"] ?? .null == .null)
        let updatedCredential = try await client.object(.patch, "/credentials/\(credentialID)", #"{"acl":[]}"#)
        #expect(updatedCredential["acl"] == .list([]) && updatedCredential.string("description") == "d")
        #expect(try await client.listAll(.credentials).contains { $0.string("id") == credentialID })

        // IP policies and rules.
        let policy = try await client.object(
            .post, "/ip_policies", #"{"description":"office","metadata":\#(marker(.ipPolicy, "office")),"action":"allow"}"#)
        let policyID = try #require(policy.string("id"))
        #expect(policy.string("action") == "allow")
        #expect(try await client.object(.patch, "/ip_policies/\(policyID)", #"{"description":"hq"}"#).string("description") == "hq")
        let rule = try await client.object(
            .post, "/ip_policy_rules", #"{"description":"lan","cidr":"10.0.0.0/8","ip_policy_id":"\#(policyID)"}"#)
        let ruleID = try #require(rule.string("id"))
        #expect(rule.refID("ip_policy") == policyID)
        #expect(try await client.object(.patch, "/ip_policy_rules/\(ruleID)", #"{"cidr":"10.1.0.0/16"}"#).string("cidr") == "10.1.0.0/16")
        #expect(try await client.object(.get, "/ip_policy_rules/\(ruleID)").string("cidr") == "10.1.0.0/16")
        do {
            _ = try await client.object(.post, "/ip_policy_rules", #"{"cidr":"10.1.2.3/8","ip_policy_id":"\#(policyID)"}"#)
            Issue.record("expected ERR_NGROK_1409")
        } catch let error as APIError {
            #expect(error.status == 400)
            #expect(error.errorCode == "ERR_NGROK_1409")
        }

        // Whitelist.
        let entry = try await client.object(
            .post, "/ip_whitelist", #"{"metadata":\#(marker(.ipWhitelistEntry, "w")),"ip_net":"10.1.1.0/24"}"#)
        let entryID = try #require(entry.string("id"))
        #expect(try await client.object(.patch, "/ip_whitelist/\(entryID)", #"{"description":"x"}"#).string("ip_net") == "10.1.1.0/24")
        #expect(try await client.listAll(.ipWhitelist).map { $0.string("id") } == [entryID])

        // Certificate authorities and TLS certificates.
        let ca = try await client.object(.post, "/certificate_authorities", #"{"ca_pem":\#(jsonString(testCA.certificatePEM))}"#)
        let caID = try #require(ca.string("id"))
        #expect(ca.string("subject_common_name") == "Test CA")
        #expect(try await client.object(.patch, "/certificate_authorities/\(caID)", #"{"metadata":"m"}"#).string("metadata") == "m")
        let cert = try await client.object(
            .post, "/tls_certificates",
            #"{"certificate_pem":\#(jsonString(leaf.certificatePEM)),"private_key_pem":\#(jsonString(leaf.keyPEM))}"#)
        let certID = try #require(cert.string("id"))
        #expect(cert.object("subject_alternative_names")?["dns_names"] == .list([.string("app.example.com")]))
        #expect(try await client.object(.get, "/tls_certificates/\(certID)").string("certificate_pem")?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
        _ = try await client.object(.patch, "/tls_certificates/\(certID)", #"{"description":"leaf"}"#)

        // Endpoint configurations and every module.
        let ec = try await client.object(
            .post, "/endpoint_configurations",
            #"{"type":"https","description":"web","metadata":\#(marker(.endpointConfiguration, "web")),"request_headers":{"enabled":true,"add":{"X-Frontend":"ngrok"},"remove":["Cache-Control"]}}"#)
        let ecID = try #require(ec.string("id"))
        #expect(ec.object("request_headers")?["add"] == .object(["x-frontend": .string("ngrok")]))
        let patched = try await client.object(
            .patch, "/endpoint_configurations/\(ecID)", #"{"ip_policy":{"enabled":true,"ip_policy_ids":["\#(policyID)"]}}"#)
        #expect(patched.object("ip_policy")?.refIDs("ip_policies") == [policyID])
        #expect(patched.object("request_headers") != nil)
        let modules: [(String, String)] = [
            ("circuit_breaker", #"{"enabled":true,"tripped_duration":120,"rolling_window":300,"num_buckets":5,"volume_threshold":20,"error_threshold_percentage":0.2}"#),
            ("compression", #"{"enabled":true}"#),
            ("request_headers", #"{"enabled":true,"add":{"a":"1"}}"#),
            ("response_headers", #"{"enabled":true,"remove":["server"]}"#),
            ("ip_policy", #"{"enabled":true,"ip_policy_ids":["\#(policyID)"]}"#),
            ("tls_termination", #"{"enabled":true,"terminate_at":"edge","min_version":"1.2"}"#),
            ("mutual_tls", #"{"enabled":true,"certificate_authority_ids":["\#(caID)"]}"#),
            ("webhook_validation", #"{"enabled":true,"provider":"GITHUB","secret":"whsec"}"#),
            ("oauth", #"{"enabled":true,"provider":{"google":{"email_domains":["example.com"]}}}"#),
            ("logging", #"{"enabled":true,"event_stream_ids":[]}"#),
        ]
        for (name, body) in modules {
            let response = try await client.object(.put, "/endpoint_configurations/\(ecID)/\(name)", body)
            let fetched = try await client.object(.get, "/endpoint_configurations/\(ecID)/\(name)")
            #expect(response == fetched, "module \(name)")
        }
        let full = try await client.object(.get, "/endpoint_configurations/\(ecID)")
        #expect(full.object("circuit_breaker")?["error_threshold_percentage"] == .double(0.2))
        #expect(full.object("mutual_tls")?.refIDs("certificate_authorities") == [caID])
        #expect(full.object("oauth")?.object("provider")?.object("google") != nil)
        #expect(full.object("oauth")?.string("cookie_prefix") == "ngrok.")
        #expect(try await client.deleted("/endpoint_configurations/\(ecID)/oauth"))
        _ = try await client.object(
            .put, "/endpoint_configurations/\(ecID)/oidc",
            #"{"enabled":true,"issuer":"https://accounts.google.com","client_id":"id","client_secret":"secret","scopes":["openid"]}"#)
        #expect(try await client.deleted("/endpoint_configurations/\(ecID)/oidc"))
        let saml = try await client.object(
            .put, "/endpoint_configurations/\(ecID)/saml",
            #"{"enabled":true,"idp_metadata":\#(jsonString("<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.com\"></EntityDescriptor>"))}"#)
        #expect(saml.string("entity_id")?.contains(ecID) == true)
        #expect(saml.string("assertion_consumer_service_url")?.hasSuffix("/acs") == true)
        let withModules = try await client.object(.get, "/endpoint_configurations/\(ecID)")
        for name in moduleNames where withModules.object(name) != nil {
            #expect(try await client.deleted("/endpoint_configurations/\(ecID)/\(name)"))
        }
        let bare = try await client.object(.get, "/endpoint_configurations/\(ecID)")
        #expect(moduleNames.allSatisfy { bare.object($0) == nil })
        await #expect(throws: APIError.self) { _ = try await client.send(.get, path: "/endpoint_configurations/\(ecID)/compression") }

        let httpEC = try #require(try await client.object(.post, "/endpoint_configurations", #"{"type":"http"}"#).string("id"))
        let tcpEC = try #require(
            try await client.object(
                .post, "/endpoint_configurations", #"{"type":"tcp","ip_policy":{"enabled":true,"ip_policy_ids":["\#(policyID)"]}}"#
            ).string("id"))

        // Reserved domains: attach, detach through every sub-path.
        let domain = try await client.object(
            .post, "/reserved_domains",
            #"{"name":"app.example.com","region":"us","metadata":\#(marker(.reservedDomain, "app")),"http_endpoint_configuration_id":"\#(httpEC)","https_endpoint_configuration_id":"\#(ecID)","certificate_id":"\#(certID)"}"#)
        let domainID = try #require(domain.string("id"))
        #expect(domain.string("domain") == "app.example.com")
        #expect(domain.refID("http_endpoint_configuration") == httpEC)
        #expect(domain.refID("https_endpoint_configuration") == ecID)
        #expect(domain.refID("certificate") == certID)
        for sub in ["certificate", "http_endpoint_configuration", "https_endpoint_configuration"] {
            #expect(try await client.deleted("/reserved_domains/\(domainID)/\(sub)"))
        }
        let managed = try await client.object(
            .patch, "/reserved_domains/\(domainID)",
            #"{"certificate_management_policy":{"authority":"letsencrypt","private_key_type":"ecdsa"}}"#)
        #expect(managed.object("certificate_management_policy")?.string("private_key_type") == "ecdsa")
        #expect(try await client.deleted("/reserved_domains/\(domainID)/certificate_management_policy"))
        let plain = try await client.object(.get, "/reserved_domains/\(domainID)")
        #expect(plain.refID("http_endpoint_configuration") == nil && plain.refID("https_endpoint_configuration") == nil)
        #expect(plain.object("certificate_management_policy") == nil)

        // Reserved addresses.
        let addr = try await client.object(
            .post, "/reserved_addrs",
            #"{"metadata":\#(marker(.reservedAddress, "ssh")),"region":"us","endpoint_configuration_id":"\#(tcpEC)"}"#)
        let addrID = try #require(addr.string("id"))
        #expect(addr.string("addr")?.isEmpty == false)
        #expect(addr.refID("endpoint_configuration") == tcpEC)
        #expect(try await client.deleted("/reserved_addrs/\(addrID)/endpoint_configuration"))
        #expect(try await client.object(.get, "/reserved_addrs/\(addrID)").refID("endpoint_configuration") == nil)
        #expect(try await client.object(.patch, "/reserved_addrs/\(addrID)", #"{"description":"ssh"}"#).string("description") == "ssh")

        // The live state sees all of it, indexed by marker.
        let live = try await client.liveState()
        #expect(live.owned(by: "it").count == 6)  // CA and certificate were created unmarked
        #expect(live.rulesByPolicy[policyID]?.map(\.id) == [ruleID])

        // Deletes, and a 404 afterwards.
        for path in [
            "/reserved_domains/\(domainID)", "/reserved_addrs/\(addrID)", "/endpoint_configurations/\(ecID)",
            "/endpoint_configurations/\(httpEC)", "/endpoint_configurations/\(tcpEC)", "/ip_policy_rules/\(ruleID)",
            "/ip_policies/\(policyID)", "/ip_whitelist/\(entryID)", "/tls_certificates/\(certID)",
            "/certificate_authorities/\(caID)", "/credentials/\(credentialID)",
        ] {
            #expect(try await client.deleted(path), "DELETE \(path)")
        }
        do {
            _ = try await client.send(.get, path: "/credentials/\(credentialID)")
            Issue.record("expected 404")
        } catch let error as APIError {
            #expect(error.isNotFound)
        }
        #expect(try await client.liveState().count == 0)
        await emulator.stop()
    }

    @Test func unknownKeyIsRejectedWithoutLeakingIt() async throws {
        let emulator = try await EmulatorFixture.start()
        let client = NgrokClient(
            configuration: NgrokClientConfiguration(baseURL: emulator.baseURL, apiKey: APIKey("wrong-SECRET-key")),
            budget: .unlimited())
        do {
            _ = try await client.listAll(.credentials)
            Issue.record("expected an auth error")
        } catch let error as APIError {
            #expect(error.status != nil && error.status! >= 400)
            #expect(!"\(error)".contains("wrong-SECRET-key"))
        }
        await emulator.stop()
    }

    @Test func snapshotOf2500IsCompleteAndExactEvenWithFaults() async throws {
        let db = temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: db) }
        // Both servers write the same `uri`s (and next_page_uri names another host: the client keeps its own).
        let seeder = try await EmulatorFixture.start(dbPath: db, publicBaseURL: "https://api.ngrok.com")
        let created = try await seedAccount(seeder.client(budget: .unlimited(concurrency: 8)), objects: 2_500, stack: "big")
        #expect(created.count == 2_500)
        let (clean, cleanReport) = try await SnapshotReport.read(seeder.client())
        await seeder.stop()

        let listed = LiveState.collections.flatMap { clean.all($0) }
        #expect(clean.count == 2_500)
        #expect(Set(listed.map(\.json)) == Set(created))
        #expect(cleanReport.withinTarget, "\(cleanReport)")
        #expect(clean.owned(by: "big").count == 2_500 - 500)  // rules carry no marker

        // 20% 5xx, 10% 429, 5% dropped connections.
        let faulty = try await EmulatorFixture.start(
            dbPath: db, faults: FaultConfiguration(seed: 42, failRate: 0.2, throttleRate: 0.1, dropRate: 0.05),
            publicBaseURL: "https://api.ngrok.com")
        let client = faulty.client(retry: RetryPolicy(maxAttempts: 12, baseDelay: 0.05, maxDelay: 1, maxRetryAfter: 2))
        let (live, report) = try await SnapshotReport.read(client)
        let stats = faulty.server.statistics()
        await faulty.stop()
        #expect(live.count == 2_500)
        #expect(live.objects == clean.objects)
        #expect(report.retries > 0)
        #expect(stats.injectedFailures > 0 && stats.injectedThrottles > 0 && stats.dropped > 0)
        print("clean: \(cleanReport)\nfaulty: \(report)\nemulator: \(stats)")
    }

    @Test func aLostCreateResponseIsOutcomeUnknownAndTheMarkerFindsIt() async throws {
        let emulator = try await EmulatorFixture.start(faults: FaultConfiguration(lostResponseRate: 1))
        let client = emulator.client()
        do {
            _ = try await client.send(
                .post, path: "/ip_policies", body: Array(#"{"metadata":\#(marker(.ipPolicy, "lost")),"action":"allow"}"#.utf8))
            Issue.record("expected outcomeUnknown")
        } catch let error as APIError {
            #expect(error.isOutcomeUnknown)
        }
        #expect(emulator.server.statistics().count("POST /ip_policies") == 1)
        await emulator.stop()
    }

    @Test func aBurstUnderTheRateLimitGetsNo429() async throws {
        // The emulator allows 20 requests per rolling 5 s and 4 at once; the budget is sized the same.
        let emulator = try await EmulatorFixture.start(
            rateLimit: RateLimit(requests: 20, window: .seconds(5)), concurrencyLimit: 4)
        let budget = APIBudget(APIBudget.Configuration(requestsPerWindow: 20, window: 5, concurrency: 4))
        let client = emulator.client(budget: budget)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<45 {
                group.addTask {
                    if i % 3 == 0 {
                        _ = try await client.send(.post, path: "/credentials", body: Array(#"{"description":"burst \#(i)"}"#.utf8))
                    } else {
                        _ = try await client.listAll(.credentials)
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        let stats = emulator.server.statistics()
        await emulator.stop()
        #expect(stats.rateLimited == 0)
        #expect(stats.concurrencyLimited == 0)
        #expect(client.statistics.rateLimited == 0)
        #expect(client.statistics.totalRequests == 45)
        #expect(elapsed >= .seconds(5))
        print("burst of 45 under 20/5s: \(elapsed), budget wait \(client.statistics.budgetWaitSeconds) s")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["NGROKCTL_SLOW_TESTS"] != nil))
    func aBurstUnderTheDefault120PerMinuteGetsNo429() async throws {
        let emulator = try await EmulatorFixture.start(rateLimit: .ngrokDefault)
        let client = emulator.client(budget: APIBudget())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<130 { group.addTask { _ = try await client.listAll(.reservedAddrs) } }
            try await group.waitForAll()
        }
        let stats = emulator.server.statistics()
        await emulator.stop()
        #expect(stats.rateLimited == 0)
    }

    @Test func adaptsWhenTheServerLimitIsTighterThanTheBudget() async throws {
        // The budget thinks 60 per 5 s, the server allows 15: 429s come, the client slows down and finishes.
        let emulator = try await EmulatorFixture.start(rateLimit: RateLimit(requests: 15, window: .seconds(5)))
        let budget = APIBudget(APIBudget.Configuration(requestsPerWindow: 60, window: 5, concurrency: 4))
        let client = emulator.client(budget: budget, retry: RetryPolicy(maxAttempts: 20, baseDelay: 0.1, maxDelay: 2))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<30 { group.addTask { _ = try await client.listAll(.credentials) } }
            try await group.waitForAll()
        }
        await emulator.stop()
        #expect(client.statistics.rateLimited > 0)
        #expect(client.statistics.count(status: 200) == 30)
        #expect(budget.currentRateFactor < 1)
    }

    /// `NGROKCTL_BENCH=1 swift test --filter benchmark`: 10,000 objects, 50 ms latency per request; once with
    /// an unlimited budget (latency-bound) and once under the default 120/min budget and emulator limit.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NGROKCTL_BENCH"] != nil))
    func benchmarkSnapshotOf10000() async throws {
        let db = temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: db) }
        let seeder = try await EmulatorFixture.start(dbPath: db)
        let seedStart = ContinuousClock.now
        _ = try await seedAccount(seeder.client(budget: .unlimited(concurrency: 16)), objects: 10_000, concurrency: 16)
        print("seeded 10,000 objects in \(ContinuousClock.now - seedStart)")
        await seeder.stop()
        let latency = FaultConfiguration(latency: .fixed(.milliseconds(50)))

        let fast = try await EmulatorFixture.start(dbPath: db, rateLimit: nil, faults: latency)
        let (live, report) = try await SnapshotReport.read(fast.client(budget: .unlimited()))
        await fast.stop()
        print("unlimited budget, 50 ms latency:\n\(report)")
        #expect(live.count == 10_000)
        #expect(report.withinTarget)

        let limited = try await EmulatorFixture.start(dbPath: db, rateLimit: .ngrokDefault, faults: latency)
        let (again, budgeted) = try await SnapshotReport.read(limited.client(budget: APIBudget()))
        let stats = limited.server.statistics()
        await limited.stop()
        print("default budget (120/min), 50 ms latency:\n\(budgeted)\nemulator 429s: \(stats.rateLimited)")
        #expect(again.count == 10_000)
        #expect(budgeted.withinTarget)
        #expect(stats.rateLimited == 0)
    }
}
