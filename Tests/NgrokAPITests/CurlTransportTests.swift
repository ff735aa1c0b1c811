import Foundation
import NgrokModel
import Testing

@testable import NgrokAPI

@Suite(.serialized) struct CurlTransportTests {
    let server: EchoServer
    let transport = CurlTransport.shared

    init() throws { server = try EchoServer() }

    private func echo(_ response: HTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

    @Test func methodsHeadersAndBodies() async throws {
        for method in HTTPMethod.allCases {
            let body: [UInt8]? = method == .get || method == .delete ? nil : Array(#"{"a":1}"#.utf8)
            let request = HTTPRequest(
                method: method, url: server.baseURL + "/things/x?limit=5",
                headers: [("Authorization", "Bearer k"), ("Ngrok-Version", "2"), ("Content-Type", "application/json")],
                body: body)
            let response = try await transport.send(request)
            #expect(response.status == 200)
            #expect(response.header("Ngrok-Operation-Id") == "op_echo")
            let echoed = try echo(response)
            #expect(echoed["method"] as? String == method.rawValue)
            #expect(echoed["path"] as? String == "/things/x?limit=5")
            #expect(echoed["body"] as? String == (body.map { String(decoding: $0, as: UTF8.self) } ?? ""))
            let headers = echoed["headers"] as? [String: String] ?? [:]
            #expect(headers["ngrok-version"] == "2")
            #expect(headers["expect"] == nil)
        }
        server.stop()
    }

    @Test func statusAndLargeBodies() async throws {
        let response = try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/?status=503"))
        #expect(response.status == 503)
        let big = try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/?size=2000000"))
        #expect(big.body.count == 2_000_000)
        let post = try await transport.send(
            HTTPRequest(method: .post, url: server.baseURL + "/", body: Array(repeating: UInt8(ascii: "y"), count: 300_000)))
        #expect((try echo(post)["body"] as? String)?.count == 300_000)
        server.stop()
    }

    @Test func keepAliveReusesTheConnection() async throws {
        _ = try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/one"))
        let second = try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/two"))
        let third = try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/three"))
        #expect(second.newConnections == 0)
        #expect(third.newConnections == 0)
        server.stop()
    }

    @Test func concurrentRequestsOverlap() async throws {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<24 {
                group.addTask {
                    try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/\(i)?delay_ms=300")).status
                }
            }
            for try await status in group { #expect(status == 200) }
        }
        #expect(ContinuousClock.now - start < .seconds(3))
        server.stop()
    }

    @Test func timeoutsAndDropsAreTransportErrors() async throws {
        do {
            _ = try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/?delay_ms=3000", timeout: 0.3))
            Issue.record("expected a timeout")
        } catch let error as TransportError {
            #expect(error.isTimeout)
            #expect(error.requestMayHaveBeenSent)
        }
        do {
            _ = try await transport.send(HTTPRequest(method: .post, url: server.baseURL + "/?drop=1", body: [1]))
            Issue.record("expected a dropped connection")
        } catch let error as TransportError {
            #expect(error.requestMayHaveBeenSent)
        }
        server.stop()
        do {
            _ = try await transport.send(HTTPRequest(method: .post, url: server.baseURL + "/", body: [1], connectTimeout: 2))
            Issue.record("expected connection refused")
        } catch let error as TransportError {
            #expect(error.code == 7)
            #expect(!error.requestMayHaveBeenSent)
        }
    }

    @Test func cancellationEndsTheRequest() async throws {
        let task = Task {
            try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/?delay_ms=5000"))
        }
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(ContinuousClock.now - start < .seconds(1))
        server.stop()
    }

    @Test func clientOverCurlEndToEnd() async throws {
        let client = NgrokClient(
            configuration: NgrokClientConfiguration(baseURL: server.baseURL, apiKey: APIKey("k")), budget: .unlimited())
        let response = try await client.execute(.get, "/credentials?limit=100")
        #expect(response.status == 200)
        let headers = try echo(response)["headers"] as? [String: String] ?? [:]
        #expect(headers["authorization"] == "Bearer k")
        #expect(headers["user-agent"]?.hasPrefix("ngrokctl/") == true)
        #expect(client.statistics.count(method: .get, collection: .credentials, status: 200) == 1)
        server.stop()
    }
}
