import NgrokModel

/// What the planner and executor need from the ngrok API. The production adapter wraps
/// `NgrokAPI.NgrokClient`; tests can also use fakes.
public protocol ReconcileAPI: Sendable {
    /// Every object of a collection (all pages), as response JSON objects.
    func listAll(_ collection: APICollection) async throws -> [[String: WireValue]]
    /// One request. Returns the response JSON (nil for an empty 204 body).
    /// Non-idempotent requests (POST) must not be retried blindly: when the outcome is unknown,
    /// throw `ReconcileAPIError.outcomeUnknown`.
    func send(method: HTTPMethod, path: String, body: [UInt8]?) async throws -> WireValue?
}

public enum ReconcileAPIError: Error, Sendable, CustomStringConvertible {
    /// The request may or may not have taken effect (connection lost after sending, 5xx on a create).
    case outcomeUnknown(String)
    /// The API answered with an error.
    case api(status: Int, code: String?, message: String, operationID: String?)

    public var description: String {
        switch self {
        case .outcomeUnknown(let detail): "outcome unknown: \(detail)"
        case .api(let status, let code, let message, let operationID):
            "HTTP \(status)" + (code.map { " \($0)" } ?? "") + ": \(message)"
                + (operationID.map { " (operation \($0))" } ?? "")
        }
    }

    /// The API refused a create because the object exists already (a rule's CIDR in its policy,
    /// ERR_NGROK_1408; a reserved domain, 413).
    public var isDuplicate: Bool {
        guard case .api(_, let code?, _, _) = self else { return false }
        return ["ERR_NGROK_1408", "ERR_NGROK_413"].contains(code)
    }

    public var status: Int? {
        if case .api(let status, _, _, _) = self { return status }
        return nil
    }
}

extension ReconcileAPI {
    /// Reads every collection concurrently into a live state.
    public func snapshot() async throws -> LiveState {
        try await withThrowingTaskGroup(of: (APICollection, [LiveObject]).self) { group in
            for collection in LiveState.collections {
                group.addTask {
                    (collection, try await self.listAll(collection).map { LiveObject(collection: collection, json: $0) })
                }
            }
            var objects: [APICollection: [LiveObject]] = [:]
            for try await (collection, list) in group { objects[collection] = list }
            return LiveState(objects: objects)
        }
    }
}
