import Foundation
import Logging
import NgrokModel

/// The client of the ngrok API v2; requests and responses are JSON (`WireValue`). Every request goes
/// through the shared `APIBudget`, is retried per the `RetryPolicy`, and is counted in `statistics`.
public final class NgrokClient: Sendable {
    public let configuration: NgrokClientConfiguration
    public let budget: APIBudget
    public let recorder: APIStatisticsRecorder
    private let transport: any HTTPTransport
    private let logger: Logger

    public init(
        configuration: NgrokClientConfiguration, budget: APIBudget, transport: any HTTPTransport = CurlTransport.shared,
        recorder: APIStatisticsRecorder = APIStatisticsRecorder(), logger: Logger = Logger(label: "ngrokctl.api")
    ) {
        self.configuration = configuration
        self.budget = budget
        self.transport = transport
        self.recorder = recorder
        self.logger = logger
    }

    /// Counters so far.
    public var statistics: APIStatistics { recorder.statistics }

    /// Calls `observer` after every completed attempt (e.g. to export metrics).
    public func addObserver(_ observer: @escaping @Sendable (RequestRecord) -> Void) {
        recorder.addObserver(observer)
    }

    // MARK: Requests

    /// Every object of a collection as response JSON objects, following `next_page_uri` (`limit` = page
    /// size). The items of a page are under the collection's list key (`whitelist` for `/ip_whitelist`).
    public func listAll(_ collection: APICollection) async throws -> [[String: WireValue]] {
        var items: [[String: WireValue]] = []
        var path: String? = "/\(collection.path)?limit=\(configuration.pageSize)"
        var seen: Set<String> = []
        while let current = path {
            guard seen.insert(current).inserted else {
                throw APIError.invalidResponse(
                    RequestSummary(method: .get, path: current), status: 200, reason: "next_page_uri repeats")
            }
            let response = try await execute(.get, current)
            func invalid(_ reason: String) -> APIError {
                .invalidResponse(RequestSummary(method: .get, path: current), status: response.status, reason: reason)
            }
            guard case .object(let page)? = try json(response, .get, current) else { throw invalid("not a list page") }
            var pageItems: [[String: WireValue]] = []
            switch page[collection.listKey] {
            case nil, .null?: break
            case .list(let list)?:
                for item in list {
                    guard case .object(let object) = item else { throw invalid("\(collection.listKey) holds a non-object") }
                    pageItems.append(object)
                }
            default: throw invalid("\(collection.listKey) is not a list")
            }
            items.append(contentsOf: pageItems)
            if pageItems.isEmpty { break }
            switch page["next_page_uri"] {
            case nil, .null?: path = nil
            case .string(let uri)?: path = try relativePath(of: uri)
            default: throw invalid("next_page_uri is not a string")
            }
        }
        return items
    }

    /// One request (`path` starts with `/`, e.g. `/ip_policies/ipp_…/…`) and its response JSON: nil for an
    /// empty body (204). A POST is never retried once it may have reached the server
    /// (see `APIError.outcomeUnknown`); a retried DELETE answered 404 throws the 404.
    public func send(_ method: HTTPMethod, path: String, body: [UInt8]? = nil) async throws -> WireValue? {
        let response = try await execute(method, path, body: body)
        if response.status == 404 {
            throw APIError.api(
                APIFailure(request: RequestSummary(method: method, path: path), status: 404, message: "not found"))
        }
        return try json(response, method, path)
    }

    // MARK: Raw access

    /// One request with budget, retries and statistics; returns the 2xx response (or a 404 answering a
    /// retried DELETE). `path` starts with `/`, has no empty, `.` or `..` segment, and may carry a query.
    public func execute(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws -> HTTPResponse {
        guard path.hasPrefix("/") else { throw APIError.configuration("path must start with /: \(path)") }
        let segments = path.prefix { $0 != "?" }.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw APIError.configuration("path must not hold empty, . or .. segments: \(path)")
        }
        if let problem = KeyTransport.problem(baseURL: configuration.baseURL) { throw APIError.configuration(problem) }
        let request = HTTPRequest(
            method: method, url: configuration.baseURL + path, headers: headers(hasBody: body != nil), body: body,
            connectTimeout: configuration.connectTimeout, timeout: configuration.requestTimeout)
        let collection = Self.collection(of: path)
        let policy = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            let summary = RequestSummary(method: method, path: path, attempts: attempt)
            let permit = try await budget.acquire()
            let started = ContinuousClock.now
            let outcome: Result<HTTPResponse, TransportError>
            do {
                outcome = .success(try await transport.send(request))
            } catch let error as TransportError {
                outcome = .failure(error)
            } catch {
                budget.release(permit, succeeded: nil)
                throw error
            }
            let elapsed = ContinuousClock.now - started
            let seconds = elapsed.seconds
            let canRetry = attempt < policy.maxAttempts

            switch outcome {
            case .failure(let error):
                budget.release(permit, succeeded: nil)
                let unsafe = method == .post && error.requestMayHaveBeenSent
                let retry = canRetry && !unsafe
                record(method, collection, path, nil, attempt, seconds, permit.waited, retry, 0)
                logger.debug(
                    "API transport error",
                    metadata: ["method": "\(method)", "path": "\(path)", "attempt": "\(attempt)", "error": "\(error)"])
                if unsafe { throw APIError.outcomeUnknown(summary, reason: error.description) }
                guard retry else { throw APIError.transport(summary, error) }
                try await Task.sleep(for: .seconds(policy.delay(afterAttempt: attempt, retryAfter: nil)))

            case .success(let response):
                let status = response.status
                let retryAfter = RetryPolicy.parseRetryAfter(response.header("retry-after"))
                if status == 429 { budget.rateLimited(retryAfter: retryAfter) }
                budget.release(permit, succeeded: status == 429 || status >= 500 ? nil : true)
                let transient = status == 429 || status >= 500
                let unsafe = method == .post && status >= 500
                let retry = transient && canRetry && !unsafe
                record(method, collection, path, status, attempt, seconds, permit.waited, retry, response.newConnections)
                logger.debug(
                    "API request",
                    metadata: [
                        "method": "\(method)", "path": "\(path)", "status": "\(status)", "attempt": "\(attempt)",
                        "ms": "\(Int(seconds * 1000))",
                    ])
                if (200..<300).contains(status) { return response }
                if status == 404 && method == .delete && attempt > 1 { return response }
                if unsafe {
                    throw APIError.outcomeUnknown(summary, reason: failure(response, summary).description)
                }
                if retry {
                    try await Task.sleep(for: .seconds(policy.delay(afterAttempt: attempt, retryAfter: retryAfter)))
                    continue
                }
                throw APIError.api(failure(response, summary))
            }
        }
    }

    // MARK: Helpers

    private func headers(hasBody: Bool) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("Authorization", "Bearer \(configuration.apiKey.reveal)"),
            ("Ngrok-Version", "2"),
            ("User-Agent", configuration.userAgent),
            ("Accept", "application/json"),
        ]
        if hasBody { headers.append(("Content-Type", "application/json")) }
        return headers
    }

    private func record(
        _ method: HTTPMethod, _ collection: APICollection?, _ path: String, _ status: Int?, _ attempt: Int, _ seconds: Double,
        _ waited: Double, _ willRetry: Bool, _ newConnections: Int
    ) {
        recorder.record(
            RequestRecord(
                method: method, collection: collection, path: path, status: status, attempt: attempt, seconds: seconds,
                budgetWait: waited, willRetry: willRetry),
            newConnections: newConnections)
    }

    private func failure(_ response: HTTPResponse, _ summary: RequestSummary) -> APIFailure {
        let header = response.header("ngrok-operation-id")
        if let body = try? JSONDecoding().decode(APIErrorBody.self, from: response.body) {
            return APIFailure(
                request: summary, status: response.status, errorCode: body.errorCode, message: body.msg,
                operationID: body.operationID ?? header, details: body.details)
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
        return APIFailure(request: summary, status: response.status, message: text, operationID: header)
    }

    /// The response JSON; nil for an empty body.
    private func json(_ response: HTTPResponse, _ method: HTTPMethod, _ path: String) throws -> WireValue? {
        guard !response.body.isEmpty else { return nil }
        do {
            return try WireValue(jsonText: response.body)
        } catch {
            throw APIError.invalidResponse(
                RequestSummary(method: method, path: path), status: response.status, reason: "\(error)")
        }
    }

    /// The path and query of a `next_page_uri` (which names the server's own host), to send to our base URL.
    func relativePath(of uri: String) throws -> String {
        if uri.hasPrefix("/") { return uri }
        guard let components = URLComponents(string: uri), !components.percentEncodedPath.isEmpty else {
            throw APIError.invalidResponse(
                RequestSummary(method: .get, path: uri), status: 200, reason: "bad next_page_uri")
        }
        var path = components.percentEncodedPath
        // A base URL with a path prefix (e.g. behind a proxy) is kept by `baseURL`; strip it from the URI.
        if let basePath = URLComponents(string: configuration.baseURL)?.percentEncodedPath, !basePath.isEmpty,
            path.hasPrefix(basePath + "/")
        {
            path.removeFirst(basePath.count)
        }
        if let query = components.percentEncodedQuery { path += "?" + query }
        return path
    }

    /// The collection named by the first path segment: `.ipPolicies` for `/ip_policies/ipp_…?x`.
    static func collection(of path: String) -> APICollection? {
        APICollection(rawValue: String(path.dropFirst().prefix { $0 != "/" && $0 != "?" }))
    }
}
