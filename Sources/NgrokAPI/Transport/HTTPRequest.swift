import NgrokModel

/// One HTTP request as handed to a transport.
public struct HTTPRequest: Sendable, Hashable {
    public var method: HTTPMethod
    /// The full URL.
    public var url: String
    /// Header lines, in order. May contain the Authorization header: never print them.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Seconds.
    public var connectTimeout: Double
    /// Seconds, for the whole exchange.
    public var timeout: Double

    public init(
        method: HTTPMethod, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        connectTimeout: Double = 10, timeout: Double = 30
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
            && lhs.connectTimeout == rhs.connectTimeout && lhs.timeout == rhs.timeout
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(url)
        hasher.combine(body)
    }
}

extension HTTPRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `dump()` and mirrors show header names only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "method": method, "url": url, "headers": headers.map(\.name), "body": "\(body?.count ?? 0) bytes",
                "connectTimeout": connectTimeout, "timeout": timeout,
            ], displayStyle: .struct)
    }

    /// Method and URL only: headers (the API key) are never printed.
    public var description: String { "\(method) \(url)" }
    public var debugDescription: String {
        "HTTPRequest(\(method) \(url), headers: \(headers.map(\.name)), body: \(body?.count ?? 0) bytes)"
    }
}

/// One HTTP response.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Header names lower-cased; the last value wins.
    public var headers: [String: String]
    public var body: [UInt8]
    /// New connections the transfer opened (0 when a kept-alive connection was reused).
    public var newConnections: Int

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = [], newConnections: Int = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.newConnections = newConnections
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A transport failure: no HTTP response was received.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The libcurl error code (`CURLcode`), e.g. 7 couldn't connect, 28 timeout, 52 empty reply, 56 recv error.
    public var code: Int
    public var message: String
    /// Whether any byte of the request may have reached the server. False means the request was certainly
    /// not processed (resolve/connect failures), so even a POST may be retried.
    public var requestMayHaveBeenSent: Bool

    public init(code: Int, message: String, requestMayHaveBeenSent: Bool) {
        self.code = code
        self.message = message
        self.requestMayHaveBeenSent = requestMayHaveBeenSent
    }

    public var isTimeout: Bool { code == 28 }

    public var description: String {
        "transport error \(code): \(message)\(requestMayHaveBeenSent ? "" : " (request not sent)")"
    }
}

/// Sends HTTP requests. `CurlTransport` is the real one; tests and planners may substitute fakes.
public protocol HTTPTransport: Sendable {
    /// Throws `TransportError` when no response was received, `CancellationError` when cancelled.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
