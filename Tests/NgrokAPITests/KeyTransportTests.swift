import Foundation
import NgrokAPI
import NgrokModel
import Testing
import TestSupport

/// The API key goes over https, or over plain http only to a loopback address; anything else is
/// refused before a connection is made.
@Suite struct KeyTransportTests {
    /// Forwards only loopback requests to the real transport and counts every request it is given,
    /// so a refused request is proven never to have left the client (no traffic to other hosts).
    final class LoopbackOnlyTransport: HTTPTransport, @unchecked Sendable {
        let lock = NSLock()
        var sent: [String] = []
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            lock.withLock { sent.append(request.url) }
            guard let host = URLComponents(string: request.url)?.host, KeyTransport.isLoopback(host) else {
                throw TransportError(code: 7, message: "test transport: not sending to a non-loopback address", requestMayHaveBeenSent: false)
            }
            return try await CurlTransport.shared.send(request)
        }
    }

    @Test func theKeyReachesALoopbackListenerOverHTTP() async throws {
        let listener = try RecordingListener()
        defer { listener.stop() }
        let transport = LoopbackOnlyTransport()
        let client = NgrokClient(
            configuration: NgrokClientConfiguration(baseURL: listener.url, apiKey: APIKey("loopback-key"), retry: RetryPolicy(maxAttempts: 1)),
            budget: .unlimited(), transport: transport)
        await #expect(throws: APIError.self) { _ = try await client.listAll(.ipPolicies) }
        #expect(listener.authorizations == ["Authorization: Bearer loopback-key"])
    }

    @Test func plainHTTPToAnotherHostIsRefusedBeforeAnyConnection() async throws {
        for base in ["http://203.0.113.7:8080", "http://api.example.com", "http://127.0.0.1.example.com", "ftp://127.0.0.1", "https://user:pw@api.ngrok.com"] {
            let transport = LoopbackOnlyTransport()
            let client = NgrokClient(
                configuration: NgrokClientConfiguration(baseURL: base, apiKey: APIKey("never-sent"), retry: RetryPolicy(maxAttempts: 1)),
                budget: .unlimited(), transport: transport)
            do {
                _ = try await client.listAll(.ipPolicies)
                Issue.record("\(base): not refused")
            } catch let error as APIError {
                guard case .configuration(let why) = error else { Issue.record("\(base): \(error)"); continue }
                #expect(!why.contains("never-sent") && !why.contains("pw"))
            }
            #expect(transport.sent.isEmpty, "\(base): a request reached the transport")
        }
        #expect(KeyTransport.problem(baseURL: "https://api.ngrok.com") == nil)
        #expect(KeyTransport.problem(baseURL: "http://[::1]:8080") == nil)
        #expect(KeyTransport.problem(baseURL: "http://localhost:8080") == nil)
        #expect(KeyTransport.problem(baseURL: "http://127.10.0.1") == nil)
    }
}
