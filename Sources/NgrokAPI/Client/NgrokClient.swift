import Foundation
import Logging

/// The typed client of the ngrok API v2. Every request goes through the shared `APIBudget`, is retried
/// per the `RetryPolicy`, and is counted in `statistics`.
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

    // MARK: Objects

    /// Every object of a collection, following `next_page_uri` (`limit` = page size).
    public func list<T: APIObject>(_ type: T.Type) async throws -> [T] {
        var items: [T] = []
        var path: String? = "/\(T.collection.path)?limit=\(configuration.pageSize)"
        var seen: Set<String> = []
        while let current = path {
            guard seen.insert(current).inserted else {
                throw APIError.invalidResponse(
                    RequestSummary(method: .get, path: current), status: 200, reason: "next_page_uri repeats")
            }
            let page: ListPage<T> = try decode(try await execute(.get, current), for: .get, current)
            items.append(contentsOf: page.items)
            if page.items.isEmpty { break }
            path = try page.nextPageURI.map { try relativePath(of: $0) }
        }
        return items
    }

    public func get<T: APIObject>(_ type: T.Type, id: String) async throws -> T {
        let path = "/\(T.collection.path)/\(try pathSegment(id))"
        return try decode(try await execute(.get, path), for: .get, path)
    }

    /// POST: never retried once it may have reached the server (see `APIError.outcomeUnknown`).
    public func create<T: APIObject>(_ type: T.Type, _ body: some APIRequestBody) async throws -> T {
        let path = "/\(T.collection.path)"
        return try decode(try await execute(.post, path, body: try encode(body)), for: .post, path)
    }

    /// PATCH: nil fields of `body` are omitted (left unchanged).
    public func update<T: APIObject>(_ type: T.Type, id: String, _ body: some APIRequestBody) async throws -> T {
        let path = "/\(T.collection.path)/\(try pathSegment(id))"
        return try decode(try await execute(.patch, path, body: try encode(body)), for: .patch, path)
    }

    public func delete(_ collection: APICollection, id: String) async throws -> DeleteOutcome {
        try await deletePath("/\(collection.path)/\(try pathSegment(id))")
    }

    public func delete<T: APIObject>(_ type: T.Type, id: String) async throws -> DeleteOutcome {
        try await delete(T.collection, id: id)
    }

    // MARK: Endpoint configuration modules

    /// GET `/endpoint_configurations/{id}/{module}`.
    public func module(_ kind: EndpointModuleKind, of endpointConfigurationID: String) async throws
        -> EndpointModuleResponse
    {
        let path = try modulePath(kind, endpointConfigurationID)
        let response = try await execute(.get, path)
        return try decodeModule(kind, response, .get, path)
    }

    /// PUT `/endpoint_configurations/{id}/{module}` with the bare module object: replaces the module.
    public func replaceModule(_ module: EndpointModuleMutate, of endpointConfigurationID: String) async throws
        -> EndpointModuleResponse
    {
        let path = try modulePath(module.kind, endpointConfigurationID)
        let response = try await execute(.put, path, body: try encode(module.body))
        return try decodeModule(module.kind, response, .put, path)
    }

    /// DELETE `/endpoint_configurations/{id}/{module}`: the module becomes null.
    public func deleteModule(_ kind: EndpointModuleKind, of endpointConfigurationID: String) async throws
        -> DeleteOutcome
    {
        try await deletePath(try modulePath(kind, endpointConfigurationID))
    }

    // MARK: Detach sub-paths

    /// DELETE `/reserved_domains/{id}/{certificate_management_policy|certificate|http(s)_endpoint_configuration}`.
    public func detach(_ detachment: ReservedDomainDetachment, fromReservedDomain id: String) async throws
        -> DeleteOutcome
    {
        try await deletePath("/reserved_domains/\(try pathSegment(id))/\(detachment.path)")
    }

    /// DELETE `/reserved_addrs/{id}/endpoint_configuration`.
    public func detachEndpointConfiguration(fromReservedAddr id: String) async throws -> DeleteOutcome {
        try await deletePath("/reserved_addrs/\(try pathSegment(id))/endpoint_configuration")
    }

    // MARK: Raw access

    /// One request with budget, retries and statistics; returns the 2xx response (or a 404 answering a
    /// retried DELETE). `path` starts with `/` and may carry a query.
    public func execute(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws -> HTTPResponse {
        guard path.hasPrefix("/") else { throw APIError.configuration("path must start with /: \(path)") }
        if let problem = KeyTransport.problem(baseURL: configuration.baseURL) { throw APIError.configuration(problem) }
        let request = HTTPRequest(
            method: method, url: configuration.baseURL + path, headers: headers(hasBody: body != nil), body: body,
            connectTimeout: configuration.connectTimeout, timeout: configuration.requestTimeout)
        let collection = Self.collectionLabel(path)
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
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
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
        _ method: HTTPMethod, _ collection: String, _ path: String, _ status: Int?, _ attempt: Int, _ seconds: Double,
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

    private func deletePath(_ path: String) async throws -> DeleteOutcome {
        let response = try await execute(.delete, path)
        return response.status == 404 ? .alreadyGoneAfterRetry : .deleted
    }

    private func modulePath(_ kind: EndpointModuleKind, _ id: String) throws -> String {
        "/endpoint_configurations/\(try pathSegment(id))/\(kind.path)"
    }

    private func decode<T: Decodable>(_ response: HTTPResponse, for method: HTTPMethod, _ path: String) throws -> T {
        do {
            return try JSONDecoding().decode(T.self, from: response.body)
        } catch {
            throw APIError.invalidResponse(
                RequestSummary(method: method, path: path), status: response.status, reason: "\(error)")
        }
    }

    private func decodeModule(_ kind: EndpointModuleKind, _ response: HTTPResponse, _ method: HTTPMethod, _ path: String)
        throws -> EndpointModuleResponse
    {
        do {
            return try EndpointModuleResponse.decode(kind, from: response.body)
        } catch {
            throw APIError.invalidResponse(
                RequestSummary(method: method, path: path), status: response.status, reason: "\(error)")
        }
    }

    private func encode(_ body: some Encodable) throws -> [UInt8] {
        do {
            return try JSONDecoding.encode(body)
        } catch {
            throw APIError.configuration("cannot encode the request body: \(error)")
        }
    }

    /// An ID as a path segment: refuses anything that would change the path.
    private func pathSegment(_ id: String) throws -> String {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw APIError.configuration("invalid ID \(id.debugDescription)")
        }
        return id
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

    /// The first path segment: `ip_policies` for `/ip_policies/ipp_…?x`.
    static func collectionLabel(_ path: String) -> String {
        let trimmed = path.dropFirst().prefix { $0 != "/" && $0 != "?" }
        return String(trimmed)
    }
}
