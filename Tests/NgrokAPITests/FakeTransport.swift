import Foundation
import Synchronization

@testable import NgrokAPI

/// A scripted transport: each request is answered by `handler`; every request is recorded.
final class FakeTransport: HTTPTransport, Sendable {
    typealias Handler = @Sendable (HTTPRequest, Int) async throws -> HTTPResponse
    private let handler: Handler
    private let log = Mutex<[HTTPRequest]>([])

    init(_ handler: @escaping Handler) { self.handler = handler }

    var requests: [HTTPRequest] { log.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let index = log.withLock { log in
            log.append(request)
            return log.count
        }
        return try await handler(request, index)
    }

    /// A JSON response.
    static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }

    static func error(_ status: Int, code: String? = "ERR_NGROK_999", msg: String = "boom") -> HTTPResponse {
        let codeField = code.map { #""error_code":"\#($0)","# } ?? ""
        return json(status, #"{\#(codeField)"status_code":\#(status),"msg":"\#(msg)","details":{"operation_id":"op_test"}}"#)
    }
}

/// A scripted sequence of answers, consumed in order (the last one repeats).
final class Script: Sendable {
    private let answers: Mutex<[Result<HTTPResponse, TransportError>]>
    init(_ answers: [Result<HTTPResponse, TransportError>]) { self.answers = Mutex(answers) }
    func next() throws -> HTTPResponse {
        let answer = answers.withLock { answers in answers.count > 1 ? answers.removeFirst() : answers[0] }
        return try answer.get()
    }
}

func makeClient(
    _ transport: FakeTransport, budget: APIBudget = .unlimited(), retry: RetryPolicy = RetryPolicy(baseDelay: 0.001, maxDelay: 0.01),
    key: String = "sk_test_SECRET_KEY_123"
) -> NgrokClient {
    NgrokClient(
        configuration: NgrokClientConfiguration(baseURL: "https://fake.local/", apiKey: APIKey(key), retry: retry),
        budget: budget, transport: transport)
}

let dropped = TransportError(code: 52, message: "Empty reply from server", requestMayHaveBeenSent: true)
let refused = TransportError(code: 7, message: "Couldn't connect", requestMayHaveBeenSent: false)

/// A shareable lock-protected value for tests.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
