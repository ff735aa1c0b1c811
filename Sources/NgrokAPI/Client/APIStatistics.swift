import NgrokModel
import Synchronization

/// One completed HTTP exchange (an attempt), as passed to observers.
public struct RequestRecord: Sendable, Hashable {
    public var method: HTTPMethod
    /// The collection of the path's first segment, e.g. `.ipPolicies`; nil for a path outside the
    /// API's collections.
    public var collection: APICollection?
    /// Path and query, e.g. `/ip_policies?limit=100`.
    public var path: String
    /// The HTTP status; nil for a transport error.
    public var status: Int?
    /// 1 for the first attempt.
    public var attempt: Int
    /// Seconds from sending to the response.
    public var seconds: Double
    /// Seconds spent waiting on the budget before sending.
    public var budgetWait: Double
    /// Whether the client will retry it.
    public var willRetry: Bool
}

/// Counters of the requests a client made: by method, collection and status, plus retries and time
/// spent waiting on the budget. A value: take one with `NgrokClient.statistics`.
public struct APIStatistics: Sendable, Hashable, CustomStringConvertible {
    public struct Key: Sendable, Hashable, Comparable {
        public var method: HTTPMethod
        /// nil for a path outside the API's collections.
        public var collection: APICollection?
        /// 0 for a transport error.
        public var status: Int

        public init(method: HTTPMethod, collection: APICollection?, status: Int) {
            self.method = method
            self.collection = collection
            self.status = status
        }

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (label(lhs.collection), lhs.method.rawValue, lhs.status) < (label(rhs.collection), rhs.method.rawValue, rhs.status)
        }
    }

    /// How a collection is named in summaries and metric labels: its path (`ip_policies`), or
    /// `other` for a path outside the API's collections.
    public static func label(_ collection: APICollection?) -> String { collection?.path ?? "other" }

    /// Attempts by method, collection and status.
    public var requests: [Key: Int] = [:]
    /// Attempts that were retries (attempt > 1).
    public var retries = 0
    /// 429 responses.
    public var rateLimited = 0
    /// Attempts that got no response.
    public var transportErrors = 0
    /// Seconds callers spent waiting on the budget.
    public var budgetWaitSeconds = 0.0
    /// Seconds spent in HTTP exchanges (summed over concurrent requests).
    public var requestSeconds = 0.0
    /// Connections opened (low when keep-alive works).
    public var connectionsOpened = 0

    public init() {}

    /// All attempts.
    public var totalRequests: Int { requests.values.reduce(0, +) }

    /// Attempts matching the filters (nil matches any).
    public func count(method: HTTPMethod? = nil, collection: APICollection? = nil, status: Int? = nil) -> Int {
        requests.filter { key, _ in
            (method == nil || key.method == method) && (collection == nil || key.collection == collection)
                && (status == nil || key.status == status)
        }.values.reduce(0, +)
    }

    mutating func record(_ record: RequestRecord, newConnections: Int) {
        requests[Key(method: record.method, collection: record.collection, status: record.status ?? 0), default: 0] += 1
        if record.attempt > 1 { retries += 1 }
        if record.status == 429 { rateLimited += 1 }
        if record.status == nil { transportErrors += 1 }
        budgetWaitSeconds += record.budgetWait
        requestSeconds += record.seconds
        connectionsOpened += newConnections
    }

    /// A multi-line summary for `--verbose`.
    public var description: String {
        var lines = [
            "API requests: \(totalRequests) (retries \(retries), 429s \(rateLimited), transport errors \(transportErrors), "
                + "connections \(connectionsOpened), budget wait \(String(format2: budgetWaitSeconds)) s)"
        ]
        for (key, count) in requests.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(key.method) \(Self.label(key.collection)) \(key.status == 0 ? "error" : String(key.status)): \(count)")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    init(format2 value: Double) {
        let scaled = (value * 100).rounded() / 100
        self = String(scaled)
    }
}

/// Thread-safe accumulation of statistics and fan-out to observers; shareable between clients.
public final class APIStatisticsRecorder: Sendable {
    private struct State {
        var statistics = APIStatistics()
        var observers: [@Sendable (RequestRecord) -> Void] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var statistics: APIStatistics { state.withLock { $0.statistics } }

    /// Calls `observer` after every completed attempt (on the caller's task; keep it quick).
    public func addObserver(_ observer: @escaping @Sendable (RequestRecord) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }

    public func reset() { state.withLock { $0.statistics = APIStatistics() } }

    func record(_ record: RequestRecord, newConnections: Int) {
        let observers = state.withLock { state in
            state.statistics.record(record, newConnections: newConnections)
            return state.observers
        }
        for observer in observers { observer(record) }
    }
}
