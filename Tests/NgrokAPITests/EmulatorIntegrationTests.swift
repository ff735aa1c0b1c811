import Emulator
import Foundation
import NgrokModel
import Testing

@testable import NgrokAPI

/// PEMs made with the openssl CLI.
enum TestPEMs {
    struct Set { let caPEM: String; let certificatePEM: String; let privateKeyPEM: String }

    static let shared: Set = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pems-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func openssl(_ args: [String]) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + args
            process.standardError = FileHandle.nullDevice
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            try! process.run()
            process.waitUntilExit()
        }
        openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
            "-out", "ca.pem", "-days", "30", "-subj", "/CN=Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "leaf.key",
            "-out", "leaf.pem", "-days", "30", "-subj", "/CN=app.example.com", "-addext",
            "subjectAltName=DNS:app.example.com",
        ])
        func read(_ name: String) -> String { try! String(contentsOfFile: dir + "/" + name, encoding: .utf8) }
        return Set(caPEM: read("ca.pem"), certificatePEM: read("leaf.pem"), privateKeyPEM: read("leaf.key"))
    }()
}

/// A running emulator and a client for it.
struct EmulatorFixture {
    let server: EmulatorServer
    let baseURL: String
    static let key = "emulator-test-key-SECRET"

    static func start(
        dbPath: String? = nil, rateLimit: RateLimit? = nil, concurrencyLimit: Int? = nil,
        faults: FaultConfiguration = .none, publicBaseURL: String? = nil
    ) async throws -> EmulatorFixture {
        let server = try EmulatorServer(
            configuration: EmulatorConfiguration(
                dbPath: dbPath, apiKeys: [key], rateLimit: rateLimit, concurrencyLimit: concurrencyLimit, faults: faults,
                publicBaseURL: publicBaseURL))
        return EmulatorFixture(server: server, baseURL: try await server.start())
    }

    func client(budget: APIBudget = .unlimited(concurrency: 8), retry: RetryPolicy = RetryPolicy()) -> NgrokClient {
        NgrokClient(
            configuration: NgrokClientConfiguration(baseURL: baseURL, apiKey: APIKey(Self.key), retry: retry),
            budget: budget)
    }

    func stop() async { await server.stop() }
}

func temporaryDatabase() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("emulator-\(UUID().uuidString).sqlite").path
}

@Suite(.serialized) struct EmulatorIntegrationTests {
    func marker(_ kind: Kind, _ name: String) -> String {
        OwnershipMarker(stack: "it", address: ResourceAddress(kind, name)).encoded
    }

    @Test func everyCallOfEveryCollection() async throws {
        let emulator = try await EmulatorFixture.start()
        defer { Task { await emulator.stop() } }
        let client = emulator.client()
        let pems = TestPEMs.shared

        // Credentials.
        let credential = try await client.create(Credential.self, CredentialCreate(description: "d", metadata: marker(.credential, "c"), acl: ["bind:a.example.com"]))
        #expect(credential.token?.isEmpty == false)
        #expect(try await client.get(Credential.self, id: credential.id).token == nil)
        let updatedCredential = try await client.update(Credential.self, id: credential.id, CredentialUpdate(acl: []))
        #expect(updatedCredential.acl == [] && updatedCredential.description == "d")
        #expect(try await client.list(Credential.self).contains { $0.id == credential.id })

        // IP policies and rules.
        let policy = try await client.create(IPPolicy.self, IPPolicyCreate(description: "office", metadata: marker(.ipPolicy, "office"), action: .allow))
        #expect(policy.action == .allow)
        #expect(try await client.update(IPPolicy.self, id: policy.id, IPPolicyUpdate(description: "hq")).description == "hq")
        let rule = try await client.create(IPPolicyRule.self, IPPolicyRuleCreate(description: "lan", cidr: "10.0.0.0/8", ipPolicyID: policy.id))
        #expect(rule.ipPolicy.id == policy.id)
        #expect(try await client.update(IPPolicyRule.self, id: rule.id, IPPolicyRuleUpdate(cidr: "10.1.0.0/16")).cidr == "10.1.0.0/16")
        #expect(try await client.get(IPPolicyRule.self, id: rule.id).cidr == "10.1.0.0/16")
        do {
            _ = try await client.create(IPPolicyRule.self, IPPolicyRuleCreate(cidr: "10.1.2.3/8", ipPolicyID: policy.id))
            Issue.record("expected ERR_NGROK_1409")
        } catch let error as APIError {
            #expect(error.status == 400)
            #expect(error.errorCode == "ERR_NGROK_1409")
        }

        // Whitelist.
        let entry = try await client.create(IPWhitelistEntry.self, IPWhitelistEntryCreate(metadata: marker(.ipWhitelistEntry, "w"), ipNet: "10.1.1.0/24"))
        #expect(try await client.update(IPWhitelistEntry.self, id: entry.id, IPWhitelistEntryUpdate(description: "x")).ipNet == "10.1.1.0/24")
        #expect(try await client.list(IPWhitelistEntry.self).map(\.id) == [entry.id])

        // Certificate authorities and TLS certificates.
        let ca = try await client.create(CertificateAuthority.self, CertificateAuthorityCreate(caPEM: pems.caPEM))
        #expect(ca.subjectCommonName == "Test CA")
        #expect(try await client.update(CertificateAuthority.self, id: ca.id, CertificateAuthorityUpdate(metadata: "m")).metadata == "m")
        let cert = try await client.create(TLSCertificate.self, TLSCertificateCreate(certificatePEM: pems.certificatePEM, privateKeyPEM: pems.privateKeyPEM))
        #expect(cert.subjectAlternativeNames.dnsNames == ["app.example.com"])
        #expect(try await client.get(TLSCertificate.self, id: cert.id).certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        _ = try await client.update(TLSCertificate.self, id: cert.id, TLSCertificateUpdate(description: "leaf"))

        // Endpoint configurations and every module.
        let ec = try await client.create(
            EndpointConfiguration.self,
            EndpointConfigurationCreate(
                type: .https, description: "web", metadata: marker(.endpointConfiguration, "web"),
                requestHeaders: EndpointHeaders(add: ["X-Frontend": "ngrok"], remove: ["Cache-Control"])))
        #expect(ec.requestHeaders?.add == ["x-frontend": "ngrok"])
        let patched = try await client.update(
            EndpointConfiguration.self, id: ec.id,
            EndpointConfigurationUpdate(ipPolicy: EndpointIPPolicyMutate(ipPolicyIDs: [policy.id])))
        #expect(patched.ipPolicy?.ipPolicies.map(\.id) == [policy.id])
        #expect(patched.requestHeaders != nil)
        let modules: [EndpointModuleMutate] = [
            .circuitBreaker(EndpointCircuitBreaker(trippedDuration: 120, rollingWindow: 300, numBuckets: 5, volumeThreshold: 20, errorThresholdPercentage: 0.2)),
            .compression(EndpointCompression()),
            .requestHeaders(EndpointHeaders(add: ["a": "1"])),
            .responseHeaders(EndpointHeaders(remove: ["server"])),
            .ipPolicy(EndpointIPPolicyMutate(ipPolicyIDs: [policy.id])),
            .tlsTermination(EndpointTLSTermination(terminateAt: "edge", minVersion: "1.2")),
            .mutualTLS(EndpointMutualTLSMutate(certificateAuthorityIDs: [ca.id])),
            .webhookValidation(EndpointWebhookValidation(provider: "GITHUB", secret: "whsec")),
            .oauth(EndpointOAuth(provider: EndpointOAuthProvider(google: EndpointOAuthProviderApp(emailDomains: ["example.com"])))),
            .logging(EndpointLoggingMutate()),
        ]
        for module in modules {
            let response = try await client.replaceModule(module, of: ec.id)
            let fetched = try await client.module(module.kind, of: ec.id)
            #expect(response == fetched, "module \(module.kind)")
        }
        let full = try await client.get(EndpointConfiguration.self, id: ec.id)
        #expect(full.circuitBreaker?.errorThresholdPercentage == 0.2)
        #expect(full.mutualTLS?.certificateAuthorities.map(\.id) == [ca.id])
        #expect(full.oauth?.provider.name == "google")
        #expect(full.oauth?.cookiePrefix == "ngrok.")
        #expect(try await client.deleteModule(.oauth, of: ec.id) == .deleted)
        _ = try await client.replaceModule(
            .oidc(EndpointOIDC(issuer: "https://accounts.google.com", clientID: "id", clientSecret: "secret", scopes: ["openid"])), of: ec.id)
        #expect(try await client.deleteModule(.oidc, of: ec.id) == .deleted)
        let saml = try await client.replaceModule(
            .saml(EndpointSAMLMutate(idpMetadata: "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.com\"></EntityDescriptor>")), of: ec.id)
        if case .saml(let module) = saml {
            #expect(module.entityID.contains(ec.id))
            #expect(module.assertionConsumerServiceURL.hasSuffix("/acs"))
        } else {
            Issue.record("expected saml, got \(saml)")
        }
        for kind in EndpointModuleKind.allCases where try await client.get(EndpointConfiguration.self, id: ec.id).has(kind) {
            #expect(try await client.deleteModule(kind, of: ec.id) == .deleted)
        }
        let bare = try await client.get(EndpointConfiguration.self, id: ec.id)
        #expect(EndpointModuleKind.allCases.allSatisfy { !bare.has($0) })
        await #expect(throws: APIError.self) { _ = try await client.module(.compression, of: ec.id) }

        let httpEC = try await client.create(EndpointConfiguration.self, EndpointConfigurationCreate(type: .http))
        let tcpEC = try await client.create(EndpointConfiguration.self, EndpointConfigurationCreate(type: .tcp, ipPolicy: EndpointIPPolicyMutate(ipPolicyIDs: [policy.id])))

        // Reserved domains: attach, detach through every sub-path.
        let domain = try await client.create(
            ReservedDomain.self,
            ReservedDomainCreate(name: "app.example.com", region: "us", metadata: marker(.reservedDomain, "app"),
                                 httpEndpointConfigurationID: httpEC.id, httpsEndpointConfigurationID: ec.id, certificateID: cert.id))
        #expect(domain.domain == "app.example.com")
        #expect(domain.httpEndpointConfiguration?.id == httpEC.id)
        #expect(domain.httpsEndpointConfiguration?.id == ec.id)
        #expect(domain.certificate?.id == cert.id)
        #expect(try await client.detach(.certificate, fromReservedDomain: domain.id) == .deleted)
        #expect(try await client.detach(.httpEndpointConfiguration, fromReservedDomain: domain.id) == .deleted)
        #expect(try await client.detach(.httpsEndpointConfiguration, fromReservedDomain: domain.id) == .deleted)
        let managed = try await client.update(
            ReservedDomain.self, id: domain.id,
            ReservedDomainUpdate(certificateManagementPolicy: ReservedDomainCertPolicy(authority: "letsencrypt", privateKeyType: "ecdsa")))
        #expect(managed.certificateManagementPolicy?.privateKeyType == "ecdsa")
        #expect(try await client.detach(.certificateManagementPolicy, fromReservedDomain: domain.id) == .deleted)
        let plain = try await client.get(ReservedDomain.self, id: domain.id)
        #expect(plain.httpEndpointConfiguration == nil && plain.httpsEndpointConfiguration == nil)
        #expect(plain.certificateManagementPolicy == nil)

        // Reserved addresses.
        let addr = try await client.create(ReservedAddr.self, ReservedAddrCreate(metadata: marker(.reservedAddress, "ssh"), region: "us", endpointConfigurationID: tcpEC.id))
        #expect(!addr.addr.isEmpty)
        #expect(addr.endpointConfiguration?.id == tcpEC.id)
        #expect(try await client.detachEndpointConfiguration(fromReservedAddr: addr.id) == .deleted)
        #expect(try await client.get(ReservedAddr.self, id: addr.id).endpointConfiguration == nil)
        #expect(try await client.update(ReservedAddr.self, id: addr.id, ReservedAddrUpdate(description: "ssh")).description == "ssh")

        // The snapshot sees all of it, indexed by marker.
        let snapshot = try await client.snapshot()
        #expect(snapshot.owned(by: "it").count == 6)  // CA and certificate were created unmarked
        #expect(snapshot.rules(ofPolicy: policy.id).map(\.id) == [rule.id])

        // Deletes, and a 404 afterwards.
        #expect(try await client.delete(ReservedDomain.self, id: domain.id) == .deleted)
        #expect(try await client.delete(ReservedAddr.self, id: addr.id) == .deleted)
        for ecID in [ec.id, httpEC.id, tcpEC.id] { #expect(try await client.delete(.endpointConfigurations, id: ecID) == .deleted) }
        #expect(try await client.delete(IPPolicyRule.self, id: rule.id) == .deleted)
        #expect(try await client.delete(IPPolicy.self, id: policy.id) == .deleted)
        #expect(try await client.delete(IPWhitelistEntry.self, id: entry.id) == .deleted)
        #expect(try await client.delete(TLSCertificate.self, id: cert.id) == .deleted)
        #expect(try await client.delete(CertificateAuthority.self, id: ca.id) == .deleted)
        #expect(try await client.delete(Credential.self, id: credential.id) == .deleted)
        do {
            _ = try await client.get(Credential.self, id: credential.id)
            Issue.record("expected 404")
        } catch let error as APIError {
            #expect(error.isNotFound)
        }
        #expect(try await client.snapshot().count == 0)
        await emulator.stop()
    }

    @Test func unknownKeyIsRejectedWithoutLeakingIt() async throws {
        let emulator = try await EmulatorFixture.start()
        let client = NgrokClient(
            configuration: NgrokClientConfiguration(baseURL: emulator.baseURL, apiKey: APIKey("wrong-SECRET-key")),
            budget: .unlimited())
        do {
            _ = try await client.list(Credential.self)
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
        let seedClient = seeder.client(budget: .unlimited(concurrency: 8))
        let created = try await SnapshotBenchmark.seed(seedClient, objects: 2_500, stack: "big")
        #expect(created.count == 2_500)
        let clean = try await SnapshotBenchmark.run(seeder.client())
        await seeder.stop()

        #expect(clean.snapshot.count == 2_500)
        #expect(Set(clean.snapshot.allObjects) == Set(created))
        #expect(clean.report.withinTarget, "\(clean.report)")
        #expect(clean.snapshot.owned(by: "big").count == 2_500 - 500)  // rules carry no marker

        // 20% 5xx, 10% 429, 5% dropped connections.
        let faulty = try await EmulatorFixture.start(
            dbPath: db, faults: FaultConfiguration(seed: 42, failRate: 0.2, throttleRate: 0.1, dropRate: 0.05),
            publicBaseURL: "https://api.ngrok.com")
        let client = faulty.client(retry: RetryPolicy(maxAttempts: 12, baseDelay: 0.05, maxDelay: 1, maxRetryAfter: 2))
        let (snapshot, report) = try await SnapshotBenchmark.run(client)
        let stats = faulty.server.statistics()
        await faulty.stop()
        #expect(snapshot.count == 2_500)
        #expect(snapshot.fingerprint == clean.snapshot.fingerprint)
        #expect(snapshot == clean.snapshot)
        #expect(report.retries > 0)
        #expect(stats.injectedFailures > 0 && stats.injectedThrottles > 0 && stats.dropped > 0)
        print("clean: \(clean.report)\nfaulty: \(report)\nemulator: \(stats)")
    }

    @Test func aLostCreateResponseIsOutcomeUnknownAndTheMarkerFindsIt() async throws {
        let emulator = try await EmulatorFixture.start(faults: FaultConfiguration(lostResponseRate: 1))
        let client = emulator.client()
        let metadata = marker(.ipPolicy, "lost")
        do {
            _ = try await client.create(IPPolicy.self, IPPolicyCreate(metadata: metadata, action: .allow))
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
                        _ = try await client.create(Credential.self, CredentialCreate(description: "burst \(i)"))
                    } else {
                        _ = try await client.list(Credential.self)
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
            for _ in 0..<130 { group.addTask { _ = try await client.list(ReservedAddr.self) } }
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
            for _ in 0..<30 { group.addTask { _ = try await client.list(Credential.self) } }
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
        _ = try await SnapshotBenchmark.seed(seeder.client(budget: .unlimited(concurrency: 16)), objects: 10_000, concurrency: 16)
        print("seeded 10,000 objects in \(ContinuousClock.now - seedStart)")
        await seeder.stop()
        let latency = FaultConfiguration(latency: .fixed(.milliseconds(50)))

        let fast = try await EmulatorFixture.start(dbPath: db, rateLimit: nil, faults: latency)
        let (snapshot, report) = try await SnapshotBenchmark.run(fast.client(budget: .unlimited()))
        await fast.stop()
        print("unlimited budget, 50 ms latency:\n\(report)")
        #expect(snapshot.count == 10_000)
        #expect(report.withinTarget)

        let limited = try await EmulatorFixture.start(dbPath: db, rateLimit: .ngrokDefault, faults: latency)
        let (again, budgeted) = try await SnapshotBenchmark.run(limited.client(budget: APIBudget()))
        let stats = limited.server.statistics()
        await limited.stop()
        print("default budget (120/min), 50 ms latency:\n\(budgeted)\nemulator 429s: \(stats.rateLimited)")
        #expect(again.count == 10_000)
        #expect(budgeted.withinTarget)
        #expect(stats.rateLimited == 0)
    }
}
