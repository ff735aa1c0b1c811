import Synchronization

/// Request counters of a running emulator (`GET /_emulator/stats`).
public struct EmulatorStats: Sendable, Hashable, Codable {
    /// Requests per `"METHOD /path/template"`, e.g. `"GET /credentials"`, `"PUT /endpoint_configurations/{id}/oauth"`.
    public var requests: [String: Int] = [:]
    /// Every request to the API namespace (including rejected ones).
    public var total = 0
    /// Responses sent per HTTP status (`"200"`, `"429"`, …); dropped and lost responses are not counted.
    public var statuses: [String: Int] = [:]
    /// Connections closed before processing (drop faults).
    public var dropped = 0
    /// Requests processed whose response was withheld (lost-response faults).
    public var lostResponses = 0
    /// Injected 5xx answers.
    public var injectedFailures = 0
    /// Injected 429 answers.
    public var injectedThrottles = 0
    /// 429 ERR_NGROK_226 answers from the rate limit.
    public var rateLimited = 0
    /// 429 ERR_NGROK_225 answers from the concurrency limit.
    public var concurrencyLimited = 0

    public init() {}

    /// Requests to one template, 0 when none.
    public func count(_ template: String) -> Int { requests[template] ?? 0 }

    var json: JSON {
        var counts = JSONObject()
        for key in requests.keys.sorted() { counts[key] = .int(Int64(requests[key]!)) }
        var byStatus = JSONObject()
        for key in statuses.keys.sorted() { byStatus[key] = .int(Int64(statuses[key]!)) }
        return [
            "total": .int(Int64(total)), "requests": .object(counts), "statuses": .object(byStatus), "dropped": .int(Int64(dropped)),
            "lost_responses": .int(Int64(lostResponses)), "injected_failures": .int(Int64(injectedFailures)),
            "injected_throttles": .int(Int64(injectedThrottles)), "rate_limited": .int(Int64(rateLimited)),
            "concurrency_limited": .int(Int64(concurrencyLimited)),
        ]
    }
}

final class StatsRecorder: Sendable {
    private let stats = Mutex(EmulatorStats())

    func update(_ body: (inout EmulatorStats) -> Void) { stats.withLock { body(&$0) } }
    func snapshot() -> EmulatorStats { stats.withLock { $0 } }
    func reset() { stats.withLock { $0 = EmulatorStats() } }
}
