/// The API's error envelope:
/// `{"error_code": "ERR_NGROK_218", "status_code": 400, "msg": "...", "details": {"operation_id": "op_..."}}`.
/// `error_code` may be absent (a 2021 404 had none).
public struct APIErrorBody: Codable, Sendable, Hashable {
    public var errorCode: String?
    public var statusCode: Int?
    public var msg: String
    public var details: [String: String]

    public var operationID: String? { details["operation_id"] }

    enum CodingKeys: String, CodingKey {
        case errorCode = "error_code"
        case statusCode = "status_code"
        case msg
        case details
    }

    public init(errorCode: String? = nil, statusCode: Int? = nil, msg: String, details: [String: String] = [:]) {
        self.errorCode = errorCode
        self.statusCode = statusCode
        self.msg = msg
        self.details = details
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        errorCode = c.tolerant(.errorCode)
        statusCode = c.tolerant(.statusCode)
        msg = c.tolerant(.msg) ?? ""
        details = c.tolerant(.details) ?? [:]
    }
}
