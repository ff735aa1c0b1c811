import NgrokAPI
import NgrokModel

/// The production `ReconcileAPI`: `NgrokClient` with its budget, retries and statistics. Responses go
/// from JSON to `WireValue` as they are (no typed round trip).
public struct NgrokClientAPI: ReconcileAPI {
    public let client: NgrokClient

    public init(client: NgrokClient) { self.client = client }

    public func listAll(_ collection: String) async throws -> [[String: WireValue]] {
        guard let which = APICollection(rawValue: collection) else {
            throw ReconcileAPIError.api(status: 0, code: nil, message: "unknown collection \(collection)", operationID: nil)
        }
        do {
            return try await client.listAll(which)
        } catch let error as APIError {
            throw Self.translate(error)
        }
    }

    public func send(method: String, path: String, body: [UInt8]?) async throws -> WireValue? {
        guard let httpMethod = HTTPMethod(rawValue: method) else {
            throw ReconcileAPIError.api(status: 0, code: nil, message: "unsupported method \(method)", operationID: nil)
        }
        do {
            return try await client.send(httpMethod, path: path, body: body)
        } catch let error as APIError {
            throw Self.translate(error)
        }
    }

    static func translate(_ error: APIError) -> ReconcileAPIError {
        switch error {
        case .api(let failure):
            .api(status: failure.status, code: failure.errorCode, message: failure.message, operationID: failure.operationID)
        case .outcomeUnknown(_, let reason):
            .outcomeUnknown(reason)
        default:
            .api(status: error.status ?? 0, code: nil, message: error.description, operationID: nil)
        }
    }
}
