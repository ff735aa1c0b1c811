import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore

/// The request context: gives the responder the connection, so that drop faults can close it.
struct EmulatorRequestContext: InitializableFromSource {
    let channel: any Channel
    let logger: Logger
    init(source: ApplicationRequestContextSource) {
        channel = source.channel
        logger = source.logger
    }
}

/// Handles every HTTP request: the `/_emulator` namespace, then faults, version, authentication,
/// limits, body parsing and the API operation itself.
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext

    let api: EmulatorAPI
    let apiKeys: Set<String>
    let rateLimiter: RateLimiter?
    let concurrency: ConcurrencyGate?
    let faults: FaultInjector
    let stats: StatsRecorder
    let baseURL: @Sendable () -> String
    static let maxBody = 4 * 1024 * 1024

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        if path == "/_emulator" || path.hasPrefix("/_emulator/") {
            // The emulator's own routes reveal traffic and reset the rate limiter: they take the
            // same API key as the API (no version header, no faults, no limits).
            do {
                _ = try authenticate(request)
            } catch {
                return Self.errorResponse(error, operationID: "")
            }
            return emulatorEndpoint(method: method, path: path)
        }
        let operationID = api.ids.make("op")
        let route = APIRoute.resolve(method: method, path: path)
        stats.update { stats in
            stats.total += 1
            let template: String
            switch route {
            case .success(let r): template = r.template
            case .failure: template = "\(method) (unrouted)"
            }
            stats.requests[template, default: 0] += 1
        }

        let decision = faults.decide()
        if decision.drop {
            stats.update { $0.dropped += 1 }
            try? await context.channel.close()
            return Response(status: .internalServerError)
        }
        do {
            // Version.
            guard let version = request.headers[HTTPField.Name("Ngrok-Version")!] else {
                throw APIError.badRequest(
                    218,
                    "Your request has not specified an API version. Please include the version you wish to use in the Ngrok-Version header. Supported versions: 2."
                )
            }
            guard version.trimmingCharacters(in: .whitespaces) == "2" else {
                throw APIError.badRequest(
                    217, "The API version '\(version)' is not supported. Supported versions: 2.")
            }
            // Authentication.
            let key = try authenticate(request)
            // Limits.
            if let rateLimiter, let wait = rateLimiter.acquire(key: key) {
                stats.update { $0.rateLimited += 1 }
                throw APIError(
                    429, 226,
                    "Your account is rate limited to \(rateLimiter.limit.requests) API requests per \(Self.describe(rateLimiter.limit.window)).",
                    retryAfter: wait)
            }
            if let concurrency {
                guard concurrency.enter() else {
                    stats.update { $0.concurrencyLimited += 1 }
                    throw APIError(
                        429, 225, "Your account is limited to \(concurrency.maximum) simultaneous API requests.",
                        retryAfter: 1)
                }
            }
            defer { concurrency?.leave() }
            // Injected latency is time the request is in flight (it holds its concurrency slot).
            if decision.latency > .zero { try? await Task.sleep(for: decision.latency) }
            // Injected answers.
            if decision.throttle {
                stats.update { $0.injectedThrottles += 1 }
                let limit = rateLimiter?.limit ?? .ngrokDefault
                throw APIError(
                    429, 226,
                    "Your account is rate limited to \(limit.requests) API requests per \(Self.describe(limit.window)).",
                    retryAfter: 1)
            }
            if let status = decision.fail {
                stats.update { $0.injectedFailures += 1 }
                throw APIError(status, nil, "An internal server error occurred (injected by the emulator).")
            }
            // Route.
            let resolved: APIRoute
            switch route {
            case .success(let r): resolved = r
            case .failure(.notFound): throw APIError.notFound
            case .failure(.methodNotAllowed(let allowed)):
                throw APIError(
                    405, nil, "The method \(method) is not allowed on this path. Allowed: \(allowed.joined(separator: ", ")).")
            }
            // Query and body.
            let query = Self.parseQuery(request.uri.query)
            var isList = false
            if case .list = resolved { isList = true }
            if !query.isEmpty, !isList {
                throw APIError.badRequest(
                    231, "The query parameter '\(query[0].0)' is unknown. This operation takes no query parameters.")
            }
            var request = request
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: Self.maxBody)
            } catch {
                throw APIError(413, nil, "The request body is larger than \(Self.maxBody) bytes.")
            }
            let bytes = Array(buffer.readableBytesView)
            let body = try Self.parseBody(bytes, contentType: request.headers[.contentType], route: resolved)
            let reply = try await api.handle(resolved, query: query, body: body, baseURL: baseURL())
            if decision.loseResponse, resolved.isWrite {
                stats.update { $0.lostResponses += 1 }
                try? await context.channel.close()
                return Response(status: .internalServerError)
            }
            stats.update { $0.statuses[String(reply.status), default: 0] += 1 }
            return Self.response(status: reply.status, body: reply.body, operationID: operationID)
        } catch let error as APIError {
            stats.update { $0.statuses[String(error.status), default: 0] += 1 }
            return Self.errorResponse(error, operationID: operationID)
        } catch {
            context.logger.error("emulator internal error: \(error)")
            return Self.errorResponse(
                APIError(500, nil, "An internal server error occurred: \(error)"), operationID: operationID)
        }
    }

    func authenticate(_ request: Request) throws(APIError) -> String {
        guard let header = request.headers[.authorization] else {
            throw APIError(
                401, 200,
                "The ngrok API requires that you set the Authorization header for authentication. Your API keys and instructions are available on your dashboard: https://dashboard.ngrok.com/api-keys"
            )
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError(
                401, 201,
                "The ngrok API requires that you use Basic or Bearer authentication via the Authorization header. It could not parse the header in this request."
            )
        }
        let key = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard apiKeys.isEmpty || apiKeys.contains(key) else {
            throw APIError(401, 203, "The API authentication you specified is properly formed, but it is invalid.")
        }
        return key
    }

    static func describe(_ window: Duration) -> String {
        let seconds = window.components.seconds
        if seconds == 60 { return "minute" }
        return seconds == 1 ? "second" : "\(seconds) seconds"
    }

    static func parseQuery(_ query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func parseBody(_ bytes: [UInt8], contentType: String?, route: APIRoute) throws(APIError) -> JSON? {
        let isBlank = bytes.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard route.takesBody else {
            guard isBlank else {
                throw APIError.badRequest(211, "This operation does not accept a request body.")
            }
            return nil
        }
        if isBlank { return nil }
        guard let contentType else {
            throw APIError.badRequest(216, "The request has a body but no Content-Type header; use application/json.")
        }
        let mediaType = contentType.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" else {
            throw APIError.badRequest(210, "The content type '\(contentType)' is not supported; use application/json.")
        }
        do {
            return try JSON.parse(bytes)
        } catch {
            throw APIError.badRequest(213, "The request body could not be parsed as JSON: \(error.description).")
        }
    }

    static func response(status: Int, body: JSON?, operationID: String) -> Response {
        var headers = HTTPFields()
        headers[HTTPField.Name("Ngrok-Operation-Id")!] = operationID
        guard let body else {
            return Response(status: .init(code: status), headers: headers)
        }
        headers[.contentType] = "application/json"
        let text = body.serialized()
        return Response(
            status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func errorResponse(_ error: APIError, operationID: String) -> Response {
        var response = response(status: error.status, body: error.body(operationID: operationID), operationID: operationID)
        if let retryAfter = error.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    func emulatorEndpoint(method: String, path: String) -> Response {
        switch (method, path) {
        case ("GET", "/_emulator/stats"):
            return Self.response(status: 200, body: stats.snapshot().json, operationID: "")
        case ("POST", "/_emulator/stats/reset"):
            stats.reset()
            rateLimiter?.reset()
            return Self.response(status: 204, body: nil, operationID: "")
        case ("GET", "/_emulator/health"):
            return Self.response(status: 200, body: ["status": "ok"], operationID: "")
        default:
            return Self.response(status: 404, body: ["status_code": 404, "msg": "Not found"], operationID: "")
        }
    }
}
