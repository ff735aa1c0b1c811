import Foundation
import NgrokModel
import Synchronization
import Testing

@testable import NgrokAPI

@Suite struct NgrokClientTests {
    @Test func sendsTheRequiredHeaders() async throws {
        let transport = FakeTransport { _, _ in
            FakeTransport.json(201, #"{"id":"cr_1","uri":"u","created_at":"t","description":"","metadata":"m","acl":[],"token":"tok"}"#)
        }
        let client = makeClient(transport)
        let credential = try await client.send(.post, path: "/credentials", body: Array(#"{"metadata":"m"}"#.utf8))
        #expect(credential?["token"]?.stringValue == "tok")
        let request = try #require(transport.requests.first)
        #expect(request.method == .post)
        #expect(request.url == "https://fake.local/credentials")
        let headers = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(headers["authorization"] == "Bearer sk_test_SECRET_KEY_123")
        #expect(headers["ngrok-version"] == "2")
        #expect(headers["user-agent"] == "ngrokctl/\(NgrokAPIInfo.version)")
        #expect(headers["content-type"] == "application/json")
        #expect(String(decoding: request.body ?? [], as: UTF8.self) == #"{"metadata":"m"}"#)
    }

    @Test func getIsRetriedOn5xxAndTransportErrors() async throws {
        let script = Script([
            .success(FakeTransport.error(500)), .failure(dropped), .success(FakeTransport.error(503)),
            .success(FakeTransport.json(200, #"{"id":"ipp_1","action":"allow"}"#)),
        ])
        let transport = FakeTransport { _, _ in try script.next() }
        let client = makeClient(transport)
        let policy = try await client.send(.get, path: "/ip_policies/ipp_1")
        #expect(policy?["action"]?.stringValue == "allow")
        #expect(transport.requests.count == 4)
        let stats = client.statistics
        #expect(stats.retries == 3)
        #expect(stats.transportErrors == 1)
        #expect(stats.count(method: .get, collection: .ipPolicies, status: 200) == 1)
        #expect(stats.count(status: 500) == 1)
    }

    @Test func postIsNotRetriedAfter5xx() async throws {
        let transport = FakeTransport { _, _ in FakeTransport.error(502) }
        let client = makeClient(transport)
        await #expect {
            _ = try await client.send(.post, path: "/ip_policies", body: Array(#"{"action":"allow"}"#.utf8))
        } throws: { error in
            (error as? APIError)?.isOutcomeUnknown == true
        }
        #expect(transport.requests.count == 1)
    }

    @Test func postIsNotRetriedAfterADroppedConnection() async throws {
        let transport = FakeTransport { _, _ in throw dropped }
        let client = makeClient(transport)
        do {
            _ = try await client.send(.post, path: "/ip_policies", body: Array(#"{"action":"allow"}"#.utf8))
            Issue.record("expected an error")
        } catch let error as APIError {
            guard case .outcomeUnknown(let request, _) = error else { Issue.record("got \(error)"); return }
            #expect(request.method == .post && request.path == "/ip_policies")
        }
        #expect(transport.requests.count == 1)
    }

    @Test func postIsRetriedWhenNeverSentOrRateLimited() async throws {
        let script = Script([
            .failure(refused), .success(FakeTransport.error(429, code: "ERR_NGROK_226")),
            .success(FakeTransport.json(201, #"{"id":"ipp_1","action":"deny"}"#)),
        ])
        let transport = FakeTransport { _, _ in try script.next() }
        let client = makeClient(transport)
        let policy = try await client.send(.post, path: "/ip_policies", body: Array(#"{"action":"deny"}"#.utf8))
        #expect(policy?["id"]?.stringValue == "ipp_1")
        #expect(transport.requests.count == 3)
        #expect(client.statistics.rateLimited == 1)
    }

    @Test func deleteNotFoundAfterRetryIsAPlainNotFound() async throws {
        // The executor counts a DELETE answered 404 as done; after a retry the 404 carries no error body.
        let script = Script([.success(FakeTransport.error(500)), .success(FakeTransport.error(404, code: nil))])
        let transport = FakeTransport { _, _ in try script.next() }
        let client = makeClient(transport)
        do {
            _ = try await client.send(.delete, path: "/credentials/cr_1")
            Issue.record("expected a 404")
        } catch let error as APIError {
            #expect(error.isNotFound)
            #expect(error.errorCode == nil)
        }
        #expect(transport.requests.count == 2)

        let plain = makeClient(FakeTransport { _, _ in HTTPResponse(status: 204) })
        #expect(try await plain.send(.delete, path: "/credentials/cr_1") == nil)
    }

    @Test func firstNotFoundIsAnError() async throws {
        let transport = FakeTransport { _, _ in FakeTransport.error(404, code: nil, msg: "Resource not found") }
        let client = makeClient(transport)
        do {
            _ = try await client.send(.delete, path: "/credentials/cr_1")
            Issue.record("expected an error")
        } catch let error as APIError {
            #expect(error.isNotFound)
            #expect(error.errorCode == nil)
            guard case .api(let failure) = error else { Issue.record("got \(error)"); return }
            #expect(failure.message == "Resource not found")
            #expect(failure.operationID == "op_test")
        }
    }

    @Test func errorsCarryCodeMessageAndOperation() async throws {
        let transport = FakeTransport { _, _ in FakeTransport.error(400, code: "ERR_NGROK_1409", msg: "use 10.0.0.0/8") }
        let client = makeClient(transport)
        do {
            _ = try await client.send(
                .post, path: "/ip_policy_rules", body: Array(#"{"cidr":"10.1.0.0/8","ip_policy_id":"ipp_1"}"#.utf8))
            Issue.record("expected an error")
        } catch let error as APIError {
            #expect(error.status == 400)
            #expect(error.errorCode == "ERR_NGROK_1409")
            #expect(error.description.contains("use 10.0.0.0/8"))
            #expect(error.description.contains("op_test"))
            #expect(error.description.contains("POST /ip_policy_rules"))
        }
        #expect(transport.requests.count == 1)
    }

    @Test func retriesGiveUpAfterMaxAttempts() async throws {
        let transport = FakeTransport { _, _ in FakeTransport.error(503) }
        let client = makeClient(transport, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.001))
        await #expect(throws: APIError.self) { _ = try await client.listAll(.credentials) }
        #expect(transport.requests.count == 3)
    }

    @Test func paginationFollowsNextPageURI() async throws {
        // 250 objects, newest first, 100 per page; the server names its own host in next_page_uri.
        let ids = (0..<250).map { String(format: "cr_%05d", 249 - $0) }
        let transport = FakeTransport { request, _ in
            let components = URLComponents(string: request.url)!
            let limit = Int(components.queryItems?.first { $0.name == "limit" }?.value ?? "100")!
            let before = components.queryItems?.first { $0.name == "before_id" }?.value
            let start = before.map { b in ids.firstIndex(of: b)! + 1 } ?? 0
            let page = Array(ids[start..<min(ids.count, start + limit)])
            let next = start + limit < ids.count ? #""https://api.ngrok.com/credentials?before_id=\#(page.last!)&limit=\#(limit)""# : "null"
            let items = page.map { #"{"id":"\#($0)","created_at":"2021-01-01T00:00:00Z"}"# }.joined(separator: ",")
            return FakeTransport.json(200, #"{"credentials":[\#(items)],"uri":"x","next_page_uri":\#(next)}"#)
        }
        let client = makeClient(transport)
        let all = try await client.listAll(.credentials)
        #expect(all.map { $0["id"]?.stringValue } == ids)
        #expect(transport.requests.count == 3)
        #expect(transport.requests.map(\.url) == [
            "https://fake.local/credentials?limit=100",
            "https://fake.local/credentials?before_id=cr_00150&limit=100",
            "https://fake.local/credentials?before_id=cr_00050&limit=100",
        ])
    }

    @Test func paginationStopsOnAnEmptyPage() async throws {
        let transport = FakeTransport { request, index in
            if index == 1 {
                return FakeTransport.json(
                    200, #"{"reserved_addrs":[{"id":"ra_1"}],"uri":"x","next_page_uri":"/reserved_addrs?before_id=ra_1&limit=100"}"#)
            }
            return FakeTransport.json(
                200, #"{"reserved_addrs":[],"uri":"x","next_page_uri":"/reserved_addrs?before_id=ra_0&limit=100"}"#)
        }
        let client = makeClient(transport)
        let all = try await client.listAll(.reservedAddrs)
        #expect(all.count == 1)
        #expect(transport.requests.count == 2)
    }

    @Test func modulesAndDetachPaths() async throws {
        let transport = FakeTransport { request, _ in
            if request.method == .delete { return HTTPResponse(status: 204) }
            return FakeTransport.json(200, #"{"enabled":true,"ip_policies":[{"id":"ipp_1","uri":"u"}]}"#)
        }
        let client = makeClient(transport)
        let module = try await client.send(
            .put, path: "/endpoint_configurations/ec_1/ip_policy", body: Array(#"{"enabled":true,"ip_policy_ids":["ipp_1"]}"#.utf8))
        #expect(module?["ip_policies"] == .list([.object(["id": .string("ipp_1"), "uri": .string("u")])]))
        _ = try await client.send(.get, path: "/endpoint_configurations/ec_1/ip_policy")
        #expect(try await client.send(.delete, path: "/endpoint_configurations/ec_1/oauth") == nil)
        for detachment in ["certificate_management_policy", "certificate", "http_endpoint_configuration", "https_endpoint_configuration"] {
            _ = try await client.send(.delete, path: "/reserved_domains/rd_1/\(detachment)")
        }
        _ = try await client.send(.delete, path: "/reserved_addrs/ra_1/endpoint_configuration")
        #expect(transport.requests.map(\.description) == [
            "PUT https://fake.local/endpoint_configurations/ec_1/ip_policy",
            "GET https://fake.local/endpoint_configurations/ec_1/ip_policy",
            "DELETE https://fake.local/endpoint_configurations/ec_1/oauth",
            "DELETE https://fake.local/reserved_domains/rd_1/certificate_management_policy",
            "DELETE https://fake.local/reserved_domains/rd_1/certificate",
            "DELETE https://fake.local/reserved_domains/rd_1/http_endpoint_configuration",
            "DELETE https://fake.local/reserved_domains/rd_1/https_endpoint_configuration",
            "DELETE https://fake.local/reserved_addrs/ra_1/endpoint_configuration",
        ])
        #expect(String(decoding: transport.requests[0].body ?? [], as: UTF8.self) == #"{"enabled":true,"ip_policy_ids":["ipp_1"]}"#)
    }

    @Test func refusesPathsThatWouldLeaveTheAPI() async throws {
        let transport = FakeTransport { _, _ in HTTPResponse(status: 204) }
        let client = makeClient(transport)
        for path in ["credentials/cr_1", "/credentials/../x", "/credentials//x", "/./credentials", "//evil.example/x"] {
            await #expect(throws: APIError.self, "\(path)") { _ = try await client.send(.delete, path: path) }
        }
        #expect(transport.requests.isEmpty)
        #expect(try await client.send(.delete, path: "/credentials/cr_1") == nil)
    }

    @Test func observersSeeEveryAttempt() async throws {
        let script = Script([.success(FakeTransport.error(500)), .success(FakeTransport.json(200, #"{"id":"ca_1"}"#))])
        let client = makeClient(FakeTransport { _, _ in try script.next() })
        let seen = Shared<[RequestRecord]>([])
        client.addObserver { record in seen.withLock { $0.append(record) } }
        _ = try await client.send(.get, path: "/certificate_authorities/ca_1")
        let records = seen.withLock { $0 }
        #expect(records.map(\.status) == [500, 200])
        #expect(records.map(\.willRetry) == [true, false])
        #expect(records.allSatisfy { $0.collection == .certificateAuthorities })
    }

    @Test func requestsAreCountedByTheirTypedCollection() async throws {
        #expect(NgrokClient.collection(of: "/ip_policies/ipp_1?limit=1") == .ipPolicies)
        #expect(NgrokClient.collection(of: "/ip_whitelist?limit=100") == .ipWhitelist)
        #expect(NgrokClient.collection(of: "/api_keys") == nil)
        let client = makeClient(FakeTransport { _, _ in FakeTransport.json(200, #"{"id":"x"}"#) })
        _ = try await client.send(.get, path: "/reserved_addrs/ra_1")
        _ = try await client.send(.get, path: "/api_keys/ak_1")
        let stats = client.statistics
        #expect(stats.count(collection: .reservedAddrs) == 1)
        #expect(stats.requests[APIStatistics.Key(method: .get, collection: nil, status: 200)] == 1)
        #expect(APIStatistics.label(.reservedAddrs) == "reserved_addrs")
        #expect(APIStatistics.label(nil) == "other")
        #expect(stats.description.contains("GET other 200: 1"))
    }

    @Test func theKeyNeverAppears() async throws {
        let secret = "sk_test_SECRET_KEY_123"
        let key = APIKey(secret)
        let configuration = NgrokClientConfiguration(apiKey: key)
        for text in [
            "\(key)", String(reflecting: key), "\(configuration)", String(reflecting: configuration),
            String(describing: Mirror(reflecting: key).children.map(\.value)),
        ] {
            #expect(!text.contains(secret), "leaked in \(text)")
        }
        let transport = FakeTransport { _, _ in FakeTransport.error(401, code: "ERR_NGROK_201") }
        let client = makeClient(transport, key: secret)
        do {
            _ = try await client.listAll(.credentials)
        } catch {
            #expect(!"\(error)".contains(secret))
            #expect(!String(reflecting: error).contains(secret))
        }
        let request = try #require(transport.requests.first)
        var dumped = ""
        dump(request, to: &dumped)
        dump(client.configuration, to: &dumped)
        dump(error(for: client), to: &dumped)
        #expect(!dumped.contains(secret))
        #expect(!"\(request)".contains(secret))
        #expect(!String(reflecting: request).contains(secret))
        let outcome = makeClient(FakeTransport { _, _ in throw dropped }, key: secret)
        do { _ = try await outcome.send(.post, path: "/credentials", body: Array("{}".utf8)) } catch {
            #expect(!"\(error)".contains(secret))
        }
    }

    private func error(for client: NgrokClient) -> APIError {
        .api(APIFailure(request: RequestSummary(method: .get, path: "/x"), status: 401, message: "unauthorized"))
    }

    @Test func statisticsSummary() async throws {
        let script = Script([.success(FakeTransport.error(429)), .success(FakeTransport.json(200, #"{"credentials":[],"next_page_uri":null}"#))])
        let client = makeClient(FakeTransport { _, _ in try script.next() })
        _ = try await client.listAll(.credentials)
        let stats = client.statistics
        #expect(stats.totalRequests == 2 && stats.retries == 1 && stats.rateLimited == 1)
        #expect(stats.description.contains("GET credentials 429: 1"))
        #expect(stats.description.contains("GET credentials 200: 1"))
    }

    @Test func loadsTheKeyFromEnvironmentOrFile() throws {
        #expect(try APIKey.load(environment: ["NGROK_API_KEY": " abc \n"]).reveal == "abc")
        #expect(throws: APIKey.LoadError.missing) { try APIKey.load(environment: [:]) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID().uuidString)").path
        try "filekey\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try APIKey.load(file: path, environment: ["NGROK_API_KEY": "env"]).reveal == "filekey")
        #expect(throws: APIKey.LoadError.unreadableFile("/nonexistent/key")) {
            try APIKey.load(file: "/nonexistent/key", environment: [:])
        }
    }
}
