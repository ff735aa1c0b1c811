/// Settings of an `NgrokClient`.
public struct NgrokClientConfiguration: Sendable, Hashable, CustomStringConvertible {
    public static let defaultBaseURL = "https://api.ngrok.com"

    /// `https://api.ngrok.com`, or any base such as `http://127.0.0.1:PORT` for the emulator.
    public var baseURL: String
    public var apiKey: APIKey
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Seconds.
    public var connectTimeout: Double
    /// Seconds for a whole exchange.
    public var requestTimeout: Double
    public var retry: RetryPolicy
    /// `limit` for list requests (the API's maximum is 100).
    public var pageSize: Int

    public init(
        baseURL: String = NgrokClientConfiguration.defaultBaseURL, apiKey: APIKey,
        userAgent: String = "ngrokctl/\(NgrokAPIInfo.version)", connectTimeout: Double = 10,
        requestTimeout: Double = 30, retry: RetryPolicy = RetryPolicy(), pageSize: Int = 100
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.pageSize = min(100, max(1, pageSize))
    }

    /// Never shows the key.
    public var description: String {
        "NgrokClientConfiguration(baseURL: \(baseURL), apiKey: (redacted), userAgent: \(userAgent), "
            + "connectTimeout: \(connectTimeout), requestTimeout: \(requestTimeout))"
    }
}

public enum NgrokAPIInfo {
    /// The client version sent in `User-Agent` by default.
    public static let version = "0.1.0"
}
