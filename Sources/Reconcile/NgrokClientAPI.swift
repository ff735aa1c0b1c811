import Foundation
import NgrokAPI
import NgrokModel

/// The production `ReconcileAPI`: the typed `NgrokClient` with its budget, retries and statistics.
/// Lists are decoded with the typed wire models and re-encoded into request-shaped values.
public struct NgrokClientAPI: ReconcileAPI {
    public let client: NgrokClient

    public init(client: NgrokClient) { self.client = client }

    public func listAll(_ collection: String) async throws -> [[String: WireValue]] {
        guard let which = APICollection(rawValue: collection) else {
            throw ReconcileAPIError.api(status: 0, code: nil, message: "unknown collection \(collection)", operationID: nil)
        }
        do {
            switch which {
            case .credentials: return try Self.values(try await client.list(Credential.self))
            case .ipPolicies: return try Self.values(try await client.list(IPPolicy.self))
            case .ipPolicyRules: return try Self.values(try await client.list(IPPolicyRule.self))
            case .ipWhitelist: return try Self.values(try await client.list(IPWhitelistEntry.self))
            case .certificateAuthorities: return try Self.values(try await client.list(CertificateAuthority.self))
            case .tlsCertificates: return try Self.values(try await client.list(TLSCertificate.self))
            case .endpointConfigurations: return try Self.values(try await client.list(EndpointConfiguration.self))
            case .reservedDomains: return try Self.values(try await client.list(ReservedDomain.self))
            case .reservedAddrs: return try Self.values(try await client.list(ReservedAddr.self))
            }
        } catch let error as APIError {
            throw Self.translate(error)
        }
    }

    public func send(method: String, path: String, body: [UInt8]?) async throws -> WireValue? {
        guard let httpMethod = HTTPMethod(rawValue: method) else {
            throw ReconcileAPIError.api(status: 0, code: nil, message: "unsupported method \(method)", operationID: nil)
        }
        do {
            let response = try await client.execute(httpMethod, path, body: body)
            if response.status == 404 { throw ReconcileAPIError.api(status: 404, code: nil, message: "not found", operationID: nil) }
            guard !response.body.isEmpty else { return nil }
            return try WireValue(jsonText: response.body)
        } catch let error as APIError {
            throw Self.translate(error)
        }
    }

    static func values<T: APIObject>(_ objects: [T]) throws -> [[String: WireValue]] {
        let encoder = JSONEncoder()
        return try objects.map { object in
            guard case .object(let fields) = try WireValue(jsonText: try encoder.encode(object)) else { return [:] }
            return fields
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
