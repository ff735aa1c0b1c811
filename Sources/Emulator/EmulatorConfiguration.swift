public import Foundation
public import Logging

/// How an `EmulatorServer` listens, persists, authenticates, limits and misbehaves.
public struct EmulatorConfiguration: Sendable {
    /// Address to bind; loopback by default.
    public var host: String
    /// TCP port; 0 picks an ephemeral port (the chosen one is in `EmulatorServer.start()`'s URL).
    public var port: Int
    /// SQLite database file; nil keeps everything in memory (lost on stop).
    public var dbPath: String?
    /// Accepted API keys (`Authorization: Bearer <key>`). Empty accepts any well-formed bearer key.
    public var apiKeys: [String]
    /// Requests allowed per API key in a rolling window (429 ERR_NGROK_226 beyond it); nil disables it.
    public var rateLimit: RateLimit?
    /// Maximum simultaneous API requests (429 ERR_NGROK_225 beyond it); nil disables it.
    public var concurrencyLimit: Int?
    /// Injected faults (all off by default).
    public var faults: FaultConfiguration
    /// Base URL written into `uri`/`next_page_uri` fields; nil uses the server's own `http://host:port`.
    public var publicBaseURL: String?
    public var logger: Logger
    /// The emulator's clock for `created_at` and IDs; tests move it to age objects without sleeping.
    public var clock: @Sendable () -> Date = { Date() }

    public init(
        host: String = "127.0.0.1", port: Int = 0, dbPath: String? = nil, apiKeys: [String] = [],
        rateLimit: RateLimit? = .ngrokDefault, concurrencyLimit: Int? = nil, faults: FaultConfiguration = .none,
        publicBaseURL: String? = nil, logger: Logger = Logger(label: "ngrokctl.emulator")
    ) {
        self.host = host
        self.port = port
        self.dbPath = dbPath
        self.apiKeys = apiKeys
        self.rateLimit = rateLimit
        self.concurrencyLimit = concurrencyLimit
        self.faults = faults
        self.publicBaseURL = publicBaseURL
        self.logger = logger
    }
}

extension EmulatorConfiguration {
    /// An in-process emulator for `--api-url local:PATH`: loopback, ephemeral port, the given database
    /// (nil = in memory), any bearer key accepted unless `apiKeys` is given, rate limit as given
    /// (none by default), no faults.
    public static func local(
        dbPath: String?, apiKeys: [String] = [], rateLimit: RateLimit? = nil,
        logger: Logger = Logger(label: "ngrokctl.emulator")
    ) -> EmulatorConfiguration {
        EmulatorConfiguration(dbPath: dbPath, apiKeys: apiKeys, rateLimit: rateLimit, logger: logger)
    }
}

/// A rolling-window request budget.
public struct RateLimit: Sendable, Hashable {
    public var requests: Int
    public var window: Duration
    public init(requests: Int, window: Duration) {
        self.requests = requests
        self.window = window
    }
    /// ngrok's documented limit: 120 requests per rolling 60 seconds.
    public static let ngrokDefault = RateLimit(requests: 120, window: .seconds(60))
}

/// Fault injection. Rates are probabilities in 0...1, drawn from a generator seeded with `seed`, so a
/// given sequence of requests meets the same faults on every run.
public struct FaultConfiguration: Sendable, Hashable {
    public var seed: UInt64
    /// 5xx answers (500/502/503) without processing the request.
    public var failRate: Double
    /// 429 ERR_NGROK_226 answers (with `Retry-After`) without processing the request.
    public var throttleRate: Double
    /// Connection closed with no response, before the request is processed.
    public var dropRate: Double
    /// The request is processed and committed, then the connection is closed with no response.
    public var lostResponseRate: Double
    /// Added latency before each API request is handled.
    public var latency: Latency?

    public init(
        seed: UInt64 = 1, failRate: Double = 0, throttleRate: Double = 0, dropRate: Double = 0,
        lostResponseRate: Double = 0, latency: Latency? = nil
    ) {
        self.seed = seed
        self.failRate = failRate
        self.throttleRate = throttleRate
        self.dropRate = dropRate
        self.lostResponseRate = lostResponseRate
        self.latency = latency
    }

    public static let none = FaultConfiguration()

    public var isActive: Bool {
        failRate > 0 || throttleRate > 0 || dropRate > 0 || lostResponseRate > 0 || latency != nil
    }

    /// A fixed delay or a uniformly drawn one in `min...max`.
    public struct Latency: Sendable, Hashable {
        public var min: Duration
        public var max: Duration
        public init(min: Duration, max: Duration) {
            self.min = min
            self.max = Swift.max(min, max)
        }
        public static func fixed(_ value: Duration) -> Latency { Latency(min: value, max: value) }
    }
}
