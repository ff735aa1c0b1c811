import NgrokAPI
import NgrokModel

/// The production `ReconcileAPI`: `NgrokClient` with its budget, retries and statistics. Responses go
/// from JSON to `WireValue` as they are (no typed round trip).
public struct NgrokClientAPI: ReconcileAPI {
    public let client: NgrokClient

    public init(client: NgrokClient) { self.client = client }

    public func listAll(_ collection: APICollection) async throws -> [[String: WireValue]] {
        do {
            return try await client.listAll(collection)
        } catch let error as APIError {
            throw Self.translate(error)
        }
    }

    public func send(method: HTTPMethod, path: String, body: [UInt8]?) async throws -> WireValue? {
        do {
            return try await client.send(method, path: path, body: body)
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
